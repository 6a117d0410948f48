// `client bench`: load against a URL (closed model on autocannon, or an open model at a fixed
// rate), printing a table, or with --json the one result line `client report` merges.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { parseHeaders } from '../http/parse-headers.ts';
import { SYNTHETIC_FORMATS, SYNTHETIC_KINDS, type SyntheticFormat, type SyntheticKind } from '../generate/synthesize-image.ts';
import { parseDuration } from '../bench/parse-duration.ts';
import { generateImages, readImages, type AcceptKind } from '../bench/prepare-requests.ts';
import { resolveShard } from '../bench/shard.ts';
import { runBench } from '../bench/run-bench.ts';
import { toResultLine } from '../bench/bench-result.ts';
import { formatBenchResult } from '../bench/print-bench.ts';

interface BenchArgs {
  url: string;
  image?: string[];
  generate: string;
  count: number;
  generateKind: SyntheticKind;
  generateFormat: SyntheticFormat;
  connections: number;
  duration: string;
  amount?: number;
  rate?: number;
  warmup: string;
  timeout: string;
  accept: AcceptKind;
  header: string[];
  shardIndex?: number;
  shardCount?: number;
  untilReady: boolean;
  readyTimeout: string;
  startAt?: string;
  json: boolean;
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'Load-test the histogram API and report req/s, latency percentiles, errors and per-replica spread',
  builder: (yargs: Argv) =>
    yargs
      .option('url', { type: 'string', default: 'http://localhost:8080/v1/histogram', describe: 'target URL, path and query included' })
      .option('image', { type: 'string', array: true, describe: 'image files or folders, uploaded in turn' })
      .option('generate', { type: 'string', default: '512x512', describe: 'without --image: size of generated images' })
      .option('count', { type: 'number', default: 8, describe: 'without --image: how many generated images' })
      .option('generate-kind', { choices: SYNTHETIC_KINDS, default: 'noise' as SyntheticKind, describe: 'content of generated images' })
      .option('generate-format', { choices: SYNTHETIC_FORMATS, default: 'png' as SyntheticFormat, describe: 'encoding of generated images' })
      .option('connections', { alias: 'c', type: 'number', default: 10, describe: 'concurrent connections (per pod)' })
      .option('duration', { alias: 'd', type: 'string', default: '10s', describe: 'measured time (30s, 2m); ignored with --amount' })
      .option('amount', { alias: 'a', type: 'number', describe: 'measure this many requests instead of a duration (per pod)' })
      .option('rate', { alias: 'R', type: 'number', describe: 'open model: total requests/s over all shards, latency from due time' })
      .option('warmup', { type: 'string', default: '0s', describe: 'unmeasured load before the measurement' })
      .option('timeout', { type: 'string', default: '30s', describe: 'a request without response after this long counts as a timeout' })
      .option('accept', { choices: ['json', 'png'] as const, default: 'json' as AcceptKind, describe: 'response asked for' })
      .option('header', { alias: 'H', type: 'string', array: true, default: [] as string[], describe: "extra header 'Name: value' (repeatable)" })
      .option('shard-index', { type: 'number', describe: 'this pod\'s share of --rate [default: $JOB_COMPLETION_INDEX or 0]' })
      .option('shard-count', { type: 'number', describe: 'pods sharing --rate [default: $JOB_COMPLETIONS or 1]' })
      .option('until-ready', { type: 'boolean', default: false, describe: 'poll /readyz (same base URL and headers) until 200 before starting' })
      .option('ready-timeout', { type: 'string', default: '120s', describe: 'give up waiting for /readyz after this long' })
      .option('start-at', { type: 'string', describe: 'ISO time to start at, so the pods of a Job start together' })
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
  const images = args.image && args.image.length > 0
    ? await readImages(args.image)
    : await generateImages(args.generate, args.count, args.generateKind, args.generateFormat);
  const result = await runBench({
    url: args.url,
    images,
    accept: args.accept,
    headers: parseHeaders(args.header),
    connections: Math.floor(positive(args.connections, 'connections') ?? 1),
    durationMs: args.amount === undefined ? parseDuration(args.duration) : null,
    amount: positive(args.amount, 'amount'),
    rate: positive(args.rate, 'rate'),
    warmupMs: parseDuration(args.warmup, 'warmup'),
    timeoutMs: parseDuration(args.timeout, 'timeout'),
    shard: resolveShard(args.shardIndex, args.shardCount, process.env),
    untilReadyMs: args.untilReady ? parseDuration(args.readyTimeout, 'ready-timeout') : null,
    startAt: args.startAt ?? null,
    log,
  });
  process.stdout.write(args.json ? `${toResultLine(result)}\n` : formatBenchResult(result));
  if (result.requests.ok === 0) process.exitCode = 1;
}
