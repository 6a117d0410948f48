// `client capacity`: open-model steps at rising rates until one misses the objectives, then a
// bisection to the stated precision; prints the step table and the sustained rate, or with
// --json one line per step and the answer, and with --chart the latency-vs-rate chart.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { parseDuration } from '../bench/parse-duration.ts';
import { DEFAULT_OBJECTIVES, parseObjectives } from '../capacity/objectives.ts';
import { parsePrecision, rampRates } from '../capacity/step-schedule.ts';
import { formatCapacity } from '../capacity/print-capacity.ts';
import { writeUsageError } from '../cli-usage.ts';
import { resolveLoad, withLoadOptions, type LoadArgs } from './load-options.ts';

interface CapacityArgs extends LoadArgs {
  slo: string[];
  startRate: number;
  stepFactor: number;
  rates?: string;
  maxRate: number;
  stepWarmup: string;
  stepDuration: string;
  stepGap: string;
  precision: string;
  runId?: string;
  chart?: string;
}

/** `10,20,40` -> [10, 20, 40]. @throws Error for anything but numbers. */
export function parseRateList(text: string): number[] {
  const rates = text.split(',').map((part) => Number(part.trim()));
  if (rates.some((r) => !Number.isFinite(r))) throw new Error(`Expected numbers such as 10,20,40 for --rates but received "${text}"`);
  return rates;
}

function builder(yargs: Argv): Argv<CapacityArgs> {
  return withLoadOptions(yargs, { connections: 32, timeout: '10s', shardOf: "each step's rate" })
    .option('slo', {
      type: 'string',
      array: true,
      default: DEFAULT_OBJECTIVES,
      describe:
        'objective every step must meet (repeatable): p50|p90|p99|p99.9=DURATION of 2xx latency, errors=PERCENT% not 2xx or unanswered (errors=1% is added when none is given)',
    })
    .option('start-rate', { type: 'number', default: 10, describe: 'offered rate of the first step, req/s over all pods' })
    .option('step-factor', { type: 'number', default: 1.5, describe: 'each ramp step offers the previous rate times this' })
    .option('rates', { type: 'string', describe: 'explicit rising ramp, e.g. 20,40,60,80 (instead of --start-rate/--step-factor)' })
    .option('max-rate', { type: 'number', default: 2000, describe: 'the ramp offers no more than this (req/s)' })
    .option('step-warmup', { type: 'string', default: '2s', describe: "unmeasured load at each step's rate before it is measured" })
    .option('step-duration', { type: 'string', default: '10s', describe: 'measured time of each step' })
    .option('step-gap', { type: 'string', default: '2s', describe: "pause after each step (sharded: part of each step's fixed slot)" })
    .option('precision', {
      type: 'string',
      default: '5%',
      describe: 'bisect until the passing and failing rates are this close: 5% of the passing rate, or req/s',
    })
    .option('run-id', { type: 'string', describe: "groups the pods' lines of one run in report [default: --start-at, else random]" })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON line per step and the answer instead of tables' })
    .option('chart', { type: 'string', describe: 'write a PNG: latency percentiles and achieved rate against offered rate' })
    .check((argv) => {
      parseObjectives(argv.slo as string[]);
      parsePrecision(argv.precision as string);
      for (const name of ['step-warmup', 'step-duration', 'step-gap'] as const) parseDuration(argv[name] as string, name);
      if (parseDuration(argv['step-duration'] as string) <= 0) throw new Error('Expected a duration > 0 for --step-duration but received 0');
      rampRates({
        rates: argv.rates === undefined ? null : parseRateList(argv.rates as string),
        startRate: argv['start-rate'] as number,
        stepFactor: argv['step-factor'] as number,
        maxRate: argv['max-rate'] as number,
      });
      return true;
    })
    .example(
      '$0 capacity --url http://127.0.0.1:8080/v1/histogram --slo p99=250ms --slo errors=0.1% --chart capacity.png',
      'Ramp from 10 req/s by ×1.5 until p99 or errors fail, then bisect to 5 %',
    )
    .example(
      '$0 capacity --rates 50,100,150,200 --shard-index 0 --shard-count 4 --start-at 2030-01-01T12:00:00Z --json',
      'One pod of four: a fixed schedule, merged later by `report`',
    ) as unknown as Argv<CapacityArgs>;
}

async function handler(args: ArgumentsCamelCase<CapacityArgs>): Promise<void> {
  const log = (line: string) => process.stderr.write(`[capacity] ${line}\n`);
  let load: Awaited<ReturnType<typeof resolveLoad>>;
  try {
    load = await resolveLoad(args);
  } catch (error) {
    return writeUsageError(error, 'capacity');
  }
  try {
    // Loaded here, not at the top: the load engine is needed only once the command line is valid.
    const { runCapacity } = await import('../capacity/run-capacity.ts');
    const run = await runCapacity({
      url: args.url,
      images: load.images,
      accept: args.accept,
      headers: load.headers,
      connections: args.connections,
      timeoutMs: load.timeoutMs,
      shard: load.shard,
      ramp: {
        rates: args.rates === undefined ? null : parseRateList(args.rates),
        startRate: args.startRate,
        stepFactor: args.stepFactor,
        maxRate: args.maxRate,
      },
      precision: parsePrecision(args.precision),
      objectives: args.slo,
      stepWarmupMs: parseDuration(args.stepWarmup, 'step-warmup'),
      stepDurationMs: parseDuration(args.stepDuration, 'step-duration'),
      stepGapMs: parseDuration(args.stepGap, 'step-gap'),
      untilReadyMs: load.untilReadyMs,
      startAt: args.startAt ?? null,
      run: args.runId ?? args.startAt ?? randomBytes(6).toString('hex'),
      log,
      // Each step's line as soon as it is measured: a pod killed mid-run still leaves its steps.
      onStep: (line) => {
        if (args.json) process.stdout.write(`${JSON.stringify(line)}\n`);
      },
    });
    if (run.answer === null) {
      log(`shard ${load.shard.index + 1}/${load.shard.count} done: merge the pods' step lines with \`histogram-client report\` for the answer`);
      if (!args.json)
        process.stdout.write(
          `${run.lines.length} steps run as shard ${load.shard.index + 1}/${load.shard.count}; the answer needs every pod's lines (run with --json and merge them with report)\n`,
        );
      return;
    }
    process.stdout.write(args.json ? `${JSON.stringify(run.answer)}\n` : formatCapacity(run.answer));
    if (args.chart) {
      // canvas and chart.js load only when a chart is asked for.
      const { renderCapacityChart } = await import('../capacity/capacity-chart.ts');
      await writeFile(args.chart, await renderCapacityChart(run.answer));
      log(`chart written to ${args.chart}`);
    }
    if (run.answer.sustainedRate === null) process.exitCode = 1;
  } catch (error) {
    process.stderr.write(`histogram-client capacity: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

/** `histogram-client capacity`. */
export const capacityCommand: CommandModule<object, CapacityArgs> = {
  command: 'capacity',
  describe: 'Find the highest request rate that meets latency and error objectives (open-model steps, then bisection)',
  builder,
  handler,
};
