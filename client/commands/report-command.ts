// PLACEHOLDER owned by the helper building `report`: replace entirely.
import type { CommandModule } from 'yargs';
export const reportCommand: CommandModule = {
  command: 'report',
  describe: 'report (not built yet)',
  handler: () => { throw new Error('report is not built yet'); },
};
