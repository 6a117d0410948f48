// `client report FILE...|-`: merges the result lines of bench pods (e.g. `kubectl logs` output)
// into one table, a merged JSON line with --json, and a PNG with --chart.
import { writeFile } from 'node:fs/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { readResults } from '../report/read-results.ts';
import { mergeResults } from '../report/merge-results.ts';
import { formatReport } from '../report/print-report.ts';
import { renderReportChart } from '../report/report-chart.ts';

interface ReportArgs {
  files: string[];
  json: boolean;
  chart?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report [files..]',
  describe: 'Merge bench result lines (files or - for stdin) into one report',
  builder: (yargs: Argv) =>
    yargs
      .positional('files', { type: 'string', array: true, default: ['-'] as string[], describe: 'files with result lines among other log lines; - reads stdin' })
      .option('json', { type: 'boolean', default: false, describe: 'print one merged JSON line instead of tables' })
      .option('chart', { type: 'string', describe: 'write a PNG: latency percentile distribution and requests per replica' }) as unknown as Argv<ReportArgs>,
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    try {
      await runReport(args);
    } catch (error) {
      process.stderr.write(`histogram-client report: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    }
  },
};

async function runReport(args: ArgumentsCamelCase<ReportArgs>): Promise<void> {
  const results = await readResults(args.files);
  process.stderr.write(`[report] merging ${results.length} result line(s)\n`);
  const report = mergeResults(results);
  process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  if (args.chart) {
    await writeFile(args.chart, await renderReportChart(report, results));
    process.stderr.write(`[report] chart written to ${args.chart}\n`);
  }
}
