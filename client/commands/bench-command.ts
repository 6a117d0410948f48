// `client bench`: load against a URL (closed model on autocannon, or an open model at a fixed
// rate), printing a table, or with --json the one result line `client report` merges.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { parseDuration } from '../bench/parse-duration.ts';
import { runBench } from '../bench/run-bench.ts';
import { toResultLine } from '../bench/bench-result.ts';
import { formatBenchResult } from '../bench/print-bench.ts';
import { resolveLoad, withLoadOptions, type LoadArgs } from './load-options.ts';

interface BenchArgs extends LoadArgs {
  duration: string;
  amount?: number;
  rate?: number;
  warmup: string;
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
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON result line instead of tables' }) as unknown as Argv<BenchArgs>,
  handler: async (args: ArgumentsCamelCase<BenchArgs>) => {
    try {
      await runBenchCommand(args);
    } catch (error) {
      process.stderr.write(`histogram-client bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    }
  },
};

async function runBenchCommand(args: ArgumentsCamelCase<BenchArgs>): Promise<void> {
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const positive = (value: number | undefined, name: string) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new Error(`Expected a number > 0 for --${name} but received ${value}`);
    return value ?? null;
  };
  const rate = positive(args.rate, 'rate');
  const amount = positive(args.amount, 'amount');
  const durationMs = args.amount === undefined ? parseDuration(args.duration) : null;
  const warmupMs = parseDuration(args.warmup, 'warmup');
  const load = await resolveLoad(args);
  const result = await runBench({
    url: args.url,
    images: load.images,
    accept: args.accept,
    headers: load.headers,
    connections: args.connections,
    durationMs,
    amount,
    rate,
    warmupMs,
    timeoutMs: load.timeoutMs,
    shard: load.shard,
    untilReadyMs: load.untilReadyMs,
    startAt: args.startAt ?? null,
    log,
  });
  process.stdout.write(args.json ? `${toResultLine(result)}\n` : formatBenchResult(result));
  if (result.requests.ok === 0) process.exitCode = 1;
}
