// The yargs definition of the whole CLI, apart from the entry so tests (and the k8s manifest
// checks) can parse a command line without running it.
import yargs, { type Argv } from 'yargs';
import { histogramCommand } from './commands/histogram-command.ts';
import { generateCommand } from './commands/generate-command.ts';
import { benchCommand } from './commands/bench-command.ts';
import { reportCommand } from './commands/report-command.ts';

/** Builds the CLI parser for `argv` (already without node and script path). */
export function buildCli(argv: string[]): Argv {
  return yargs(argv)
    .scriptName('histogram-client')
    .env('HISTOGRAM')
    .command(histogramCommand)
    .command(generateCommand)
    .command(benchCommand)
    .command(reportCommand)
    .strict()
    .demandCommand(1)
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100));
}
