// `client report FILE...|-`: merges the result lines of bench pods (e.g. `kubectl logs` output)
// into one table, a merged JSON line with --json, and a PNG with --chart; capacity step lines are
// merged step by step into the capacity table, answer and chart. `--compare A B` puts two runs
// side by side with the ratio of each figure and the scaling efficiency. `--slo` judges the
// merged bench run (exit 3 when an objective is missed); `--html` writes one self-contained page
// with every chart. The chart modules (canvas) load only when a chart is asked for.
import { writeFile } from 'node:fs/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { readRunLines, type RunLines } from '../report/read-results.ts';
import { mergeResults } from '../report/merge-results.ts';
import { formatReport } from '../report/print-report.ts';
import { compareRuns, type Comparison, type RunSide } from '../report/compare-runs.ts';
import { formatComparison } from '../report/print-compare.ts';
import { capacityAnswer } from '../capacity/capacity-answer.ts';
import { formatCapacity } from '../capacity/print-capacity.ts';
import { parseObjectives } from '../capacity/objectives.ts';
import { EXIT_OBJECTIVE_MISSED, formatVerdict, judgeObjectives } from '../bench/slo-verdict.ts';

interface ReportArgs {
  files: string[];
  json: boolean;
  chart?: string;
  compare: boolean;
  replicasA?: number;
  replicasB?: number;
  slo: string[];
  html?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report [files..]',
  describe: 'Merge bench or capacity result lines (files or - for stdin) into one report, or compare two runs',
  builder: (yargs: Argv) =>
    yargs
      .positional('files', {
        type: 'string',
        array: true,
        default: ['-'] as string[],
        describe: 'files with result lines among other log lines; - reads stdin',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print one merged JSON line instead of tables' })
      .option('chart', {
        type: 'string',
        describe: 'write a PNG: latency percentiles and requests per replica (bench), latency and achieved rate against offered rate (capacity)',
      })
      .option('compare', { type: 'boolean', default: false, describe: 'compare two runs: report --compare A B (files, one may be -)' })
      .option('replicas-a', { type: 'number', describe: 'with --compare: replicas behind run A [default: distinct X-Served-By values]' })
      .option('replicas-b', { type: 'number', describe: 'with --compare: replicas behind run B [default: distinct X-Served-By values]' })
      .option('slo', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'objective the merged bench run must meet (repeatable, as for bench): exit 3 when one is missed',
      })
      .option('html', {
        type: 'string',
        describe: 'write one self-contained HTML page: figures and every chart (bench, capacity, or both runs with --compare)',
      })
      .check((argv) => {
        if ((argv.slo as string[]).length > 0) {
          if (argv.compare) throw new Error('--slo is not available with --compare: gate on one run');
          parseObjectives(argv.slo as string[]);
        }
        const files = argv.files as string[];
        if (argv.compare && files.length !== 2) throw new Error(`Expected two runs for --compare (A B) but received ${files.length}`);
        if (argv.compare && argv.chart) throw new Error('--chart is not available with --compare');
        if (!argv.compare && (argv['replicas-a'] !== undefined || argv['replicas-b'] !== undefined))
          throw new Error('--replicas-a/--replicas-b go with --compare');
        for (const name of ['replicas-a', 'replicas-b'] as const) {
          const n = argv[name] as number | undefined;
          if (n !== undefined && !(Number.isInteger(n) && n >= 1)) throw new Error(`Expected a whole number >= 1 for --${name} but received ${n}`);
        }
        return true;
      })
      .example('kubectl -n histogram logs -l job-name=histogram-bench --tail=-1 | $0 report -', 'Merge the pods of a bench Job')
      .example('kubectl logs -l job-name=histogram-bench --tail=-1 | $0 report - --slo p99=250ms', 'Exit 3 when the merged run misses p99 ≤ 250 ms')
      .example('$0 report pod-*.log --html report.html', 'One page with every chart, to share')
      .example('$0 report --compare one-replica.log four-replicas.log', 'Ratios and scaling efficiency from 1 to 4 replicas') as unknown as Argv<ReportArgs>,
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    try {
      await (args.compare ? runCompare(args) : runReport(args));
    } catch (error) {
      process.stderr.write(`histogram-client report: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    }
  },
};

/** One run from its lines: raw lines merged, else an already merged line. */
function sideOf(lines: RunLines, source: string): RunSide {
  const kinds = [lines.bench.length > 0 || lines.reports.length > 0, lines.steps.length > 0 || lines.answers.length > 0];
  if (kinds[0] && kinds[1]) throw new Error(`Expected one kind of run in ${source} but found both bench and capacity lines`);
  if (lines.steps.length > 0) return { kind: 'capacity', answer: capacityAnswer(lines.steps) };
  if (lines.answers.length > 0) return { kind: 'capacity', answer: lines.answers.at(-1)! };
  if (lines.bench.length > 0) return { kind: 'bench', report: mergeResults(lines.bench) };
  return { kind: 'bench', report: lines.reports.at(-1)! };
}

const labelOf = (file: string) => (file === '-' ? 'stdin' : file);

/** Writes the HTML page for the runs (loaded only when asked for). */
async function writeHtml(file: string, title: string, sides: readonly RunSide[], labels: readonly string[], comparison?: Comparison): Promise<void> {
  const [{ renderHtmlReport }, { benchView, capacityView }] = await Promise.all([import('../report/html-report.ts'), import('../report/html-report-data.ts')]);
  const runs = sides.map((side, k) => (side.kind === 'bench' ? benchView(side.report, labels[k]!) : capacityView(side.answer, labels[k]!)));
  await writeFile(file, await renderHtmlReport({ title, runs: runs as never, ...(comparison ? { comparison } : {}) }));
  process.stderr.write(`[report] HTML report written to ${file}\n`);
}

async function runReport(args: ArgumentsCamelCase<ReportArgs>): Promise<void> {
  const lines = await readRunLines(args.files);
  let side = sideOf(lines, args.files.join(', '));
  const label = args.files.map(labelOf).join(', ');
  if (side.kind === 'capacity' && args.slo.length > 0) {
    throw new Error('--slo judges bench results; a capacity run is judged by the objectives it ran with (capacity --slo)');
  }
  if (side.kind === 'bench' && args.slo.length > 0) side = { kind: 'bench', report: { ...side.report, slo: judgeObjectives(args.slo, side.report) } };
  if (side.kind === 'capacity') {
    process.stderr.write(`[report] merging ${lines.steps.length} capacity step line(s)\n`);
    process.stdout.write(args.json ? `${JSON.stringify(side.answer)}\n` : formatCapacity(side.answer));
    if (args.chart) {
      const { renderCapacityChart } = await import('../capacity/capacity-chart.ts');
      await writeFile(args.chart, await renderCapacityChart(side.answer));
    }
  } else {
    process.stderr.write(`[report] merging ${lines.bench.length} result line(s)\n`);
    process.stdout.write(args.json ? `${JSON.stringify(side.report)}\n` : formatReport(side.report));
    if (args.chart) {
      if (lines.bench.length === 0) throw new Error("--chart needs the pods' result lines, not a merged report line");
      const { renderReportChart } = await import('../report/report-chart.ts');
      await writeFile(args.chart, await renderReportChart(side.report, lines.bench));
    }
  }
  if (args.chart) process.stderr.write(`[report] chart written to ${args.chart}\n`);
  if (args.html) {
    const title = side.kind === 'bench' ? `Bench report: ${side.report.urls.join(', ')}` : `Capacity: ${side.answer.urls.join(', ')}`;
    await writeHtml(args.html, title, [side], [label]);
  }
  if (side.kind === 'bench' && side.report.slo) {
    // With --json stdout holds the one line; the verdict in words goes to stderr.
    (args.json ? process.stderr : process.stdout).write(`${args.json ? '' : '\n'}${formatVerdict(side.report.slo)}`);
    if (!side.report.slo.pass) process.exitCode = EXIT_OBJECTIVE_MISSED;
  }
}

async function runCompare(args: ArgumentsCamelCase<ReportArgs>): Promise<void> {
  const [a, b] = args.files as [string, string];
  const sides = [sideOf(await readRunLines([a]), a), sideOf(await readRunLines([b]), b)] as const;
  const labels = { a: labelOf(a), b: labelOf(b) };
  const comparison = compareRuns(sides[0], sides[1], labels, { a: args.replicasA, b: args.replicasB });
  process.stdout.write(args.json ? `${JSON.stringify(comparison)}\n` : formatComparison(comparison));
  if (args.html) await writeHtml(args.html, `Comparison: ${labels.a} vs ${labels.b}`, sides, [`A: ${labels.a}`, `B: ${labels.b}`], comparison);
}
