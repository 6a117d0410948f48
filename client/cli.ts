// The yargs definition of the whole CLI, apart from the entry so tests (and the k8s manifest
// checks) can parse a command line without running it.
import yargs, { type Argv } from 'yargs';
import { histogramCommand } from './commands/histogram-command.ts';
import { generateCommand } from './commands/generate-command.ts';
import { benchCommand } from './commands/bench-command.ts';
import { capacityCommand } from './commands/capacity-command.ts';
import { reportCommand } from './commands/report-command.ts';
import { failAsUsageError, usageCheck } from './cli-usage.ts';
import { packageVersion } from './package-version.ts';

/** The subcommands (the default command, uploading images, has no name). */
export const COMMANDS = ['generate', 'bench', 'capacity', 'report'] as const;

/**
 * Builds the CLI parser for `argv` (already without node and script path). A wrong command line
 * throws UsageError (one line, see cli-usage.ts) out of `parseAsync()` instead of printing help.
 */
export function buildCli(argv: string[]): Argv {
  return yargs(argv)
    .scriptName('histogram-client')
    .env('HISTOGRAM')
    .command(histogramCommand)
    .command(generateCommand)
    .command(benchCommand)
    .command(capacityCommand)
    .command(reportCommand)
    .middleware(usageCheck(argv, COMMANDS) as never, true)
    .strict()
    .demandCommand(1)
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .fail(failAsUsageError(argv, COMMANDS))
    .wrap(Math.min(110, process.stdout.columns || 100));
}
