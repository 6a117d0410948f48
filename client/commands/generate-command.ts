// PLACEHOLDER owned by the helper building `generate`: replace entirely.
import type { CommandModule } from 'yargs';
export const generateCommand: CommandModule = {
  command: 'generate',
  describe: 'generate (not built yet)',
  handler: () => { throw new Error('generate is not built yet'); },
};
