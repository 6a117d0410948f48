// PLACEHOLDER owned by the helper building `histogram`: replace entirely.
import type { CommandModule } from 'yargs';
export const histogramCommand: CommandModule = {
  command: '$0',
  describe: 'histogram (not built yet)',
  handler: () => { throw new Error('histogram is not built yet'); },
};
