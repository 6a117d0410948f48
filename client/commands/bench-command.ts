// PLACEHOLDER owned by the helper building `bench`: replace entirely.
import type { CommandModule } from 'yargs';
export const benchCommand: CommandModule = {
  command: 'bench',
  describe: 'bench (not built yet)',
  handler: () => { throw new Error('bench is not built yet'); },
};
