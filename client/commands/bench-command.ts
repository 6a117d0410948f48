// `client bench`: load against a URL (closed model, or an open model at a fixed rate), printing
// a table, or with --json the one result line `client report` merges; with --slo the run is
// judged and a missed objective sets its own exit status.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { parseDuration } from '../bench/parse-duration.ts';
import type { BenchResult } from '../bench/bench-result.ts';
import type { BenchOptions } from '../bench/bench-options.ts';
import { formatBenchResult } from '../bench/print-bench.ts';
import { writeUsageError } from '../cli-usage.ts';
import { parseObjectives } from '../capacity/objectives.ts';
import { resolveLoad, withLoadOptions, type LoadArgs } from './load-options.ts';

interface BenchArgs extends LoadArgs {
  duration: string;
  amount?: number;
  rate?: number;
  warmup: string;
  slo: string[];
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'Load-test the histogram API and report req/s, latency percentiles, errors and per-replica spread',
  builder: (yargs: Argv) =>
    withLoadOptions(yargs, { connections: 10, timeout: '30s', shardOf: '--rate' })
      .option('duration', { alias: 'd', type: 'string', default: '10s', describe: 'measured time (30s, 2m); ignored with --amount' })
      .option('amount', { alias: 'a', type: 'number', describe: 'measure this many requests instead of a duration (per pod)' })
      .option('rate', { alias: 'R', type: 'number', describe: 'open model: total requests/s over all shards, latency from due time' })
      .option('warmup', { type: 'string', default: '0s', describe: 'unmeasured load before the measurement' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON result line instead of tables' })
      .option('slo', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe:
          'objective the run must meet (repeatable): p50|p90|p99|p99.9=DURATION of 2xx latency, errors=PERCENT% not 2xx or unanswered (errors=1% is added when none is given); exit 3 when one is missed',
      })
      .check((argv) => {
        if ((argv.slo as string[]).length > 0) parseObjectives(argv.slo as string[]);
        return true;
      })
      .example(
        '$0 bench --url http://127.0.0.1:8080/v1/histogram -c 8 -d 30s --slo p99=250ms --slo errors=0.1%',
        'Exit 3 when p99 or the failed share misses',
      ) as unknown as Argv<BenchArgs>,
  handler: (args: ArgumentsCamelCase<BenchArgs>) => runBenchCommand(args),
};

const fail = (error: unknown): void => {
  process.stderr.write(`histogram-client bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
};

/**
 * Exit 2 for a bad option value (nothing sent), 1 when the run failed or no request got a 2xx,
 * 3 when it ran but missed an --slo objective.
 */
async function runBenchCommand(args: ArgumentsCamelCase<BenchArgs>): Promise<void> {
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const positive = (value: number | undefined, name: string) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new Error(`Expected a number > 0 for --${name} but received ${value}`);
    return value ?? null;
  };
  let options: BenchOptions;
  try {
    const load = await resolveLoad(args);
    options = {
      url: args.url,
      images: load.images,
      accept: args.accept,
      headers: load.headers,
      connections: args.connections,
      durationMs: args.amount === undefined ? parseDuration(args.duration) : null,
      amount: positive(args.amount, 'amount'),
      rate: positive(args.rate, 'rate'),
      warmupMs: parseDuration(args.warmup, 'warmup'),
      timeoutMs: load.timeoutMs,
      shard: load.shard,
      untilReadyMs: load.untilReadyMs,
      startAt: args.startAt ?? null,
      log,
    };
  } catch (error) {
    return writeUsageError(error, 'bench');
  }
  // Loaded here, not at the top: the load engines (node:http clients, HDR histograms) are needed only
  // once a valid command line is to be run.
  const [{ runBench }, { toResultLine }, { EXIT_OBJECTIVE_MISSED, formatVerdict, judgeObjectives }] = await Promise.all([
    import('../bench/run-bench.ts'),
    import('../bench/bench-result.ts'),
    import('../bench/slo-verdict.ts'),
  ]);
  let result: BenchResult;
  try {
    result = await runBench(options);
  } catch (error) {
    return fail(error);
  }
  if (args.slo.length > 0) result = { ...result, slo: judgeObjectives(args.slo, result) };
  process.stdout.write(args.json ? `${toResultLine(result)}\n` : formatBenchResult(result));
  // With --json stdout holds the one line; the verdict in words goes with the progress.
  if (result.slo) (args.json ? process.stderr : process.stdout).write(`${args.json ? '' : '\n'}${formatVerdict(result.slo)}`);
  if (result.requests.ok === 0) process.exitCode = 1;
  else if (result.slo && !result.slo.pass) process.exitCode = EXIT_OBJECTIVE_MISSED;
}
