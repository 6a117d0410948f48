// `npm run fuzz`: the mutation fuzz from the command line. Summary on stderr (the result as
// JSON on stdout with --json); exit 1 if any check failed. See bench/fuzz/run-fuzz.ts.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDuration } from '../client/bench/parse-duration.ts';
import { runFuzz } from './fuzz/run-fuzz.ts';
import { formatFuzzSummary } from './fuzz/print-fuzz.ts';

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run fuzz --')
  .usage(
    '$0 [options]\n\nSends mutated images of every decoded format, and inputs that only pose as images, to the server over HTTP, and fails on any 5xx, lost answer, malformed error body, wrong status, or 2xx whose counts do not add up.',
  )
  .option('count', { alias: 'n', type: 'number', default: 2000, describe: 'inputs to send' })
  .option('seed', { type: 'number', describe: 'run seed (default: random, printed); with the case index it reproduces an input exactly' })
  .option('duration', { alias: 'd', type: 'string', describe: 'stop starting inputs after this long (30s, 5m); default: no limit' })
  .option('concurrency', { alias: 'c', type: 'number', default: 4, describe: 'requests in flight at once' })
  .option('url', { type: 'string', describe: 'target server (default: start server/main.ts on 127.0.0.1 and a free port)' })
  .option('env', { type: 'array', string: true, default: [] as string[], describe: 'KEY=VALUE for the started server (repeatable)' })
  .option('case', { type: 'array', number: true, describe: 'send only these case indexes of --seed (replay a failure)' })
  .option('out', { type: 'string', describe: 'folder for failing inputs (default: <tmpdir>/histogram-fuzz-<seed>)' })
  .option('healthz-timeout', { type: 'string', default: '5s', describe: 'a /healthz probe unanswered this long is a failure' })
  .option('request-timeout', { type: 'string', default: '60s', describe: 'a request unanswered this long is a failure' })
  .option('json', { type: 'boolean', default: false, describe: 'print the result as one JSON line on stdout' })
  .check((args) => {
    if (!(Number.isInteger(args.count) && args.count > 0)) throw new Error(`Expected a positive integer for --count but received "${args.count}"`);
    if (!(Number.isInteger(args.concurrency) && args.concurrency > 0 && args.concurrency <= 256))
      throw new Error(`Expected an integer between 1 and 256 for --concurrency but received "${args.concurrency}"`);
    if (args.seed !== undefined && !(Number.isInteger(args.seed) && args.seed >= 0 && args.seed <= 0xffffffff))
      throw new Error(`Expected an integer between 0 and 4294967295 for --seed but received "${args.seed}"`);
    for (const pair of args.env) if (!/^[A-Z_][A-Z0-9_]*=/.test(pair)) throw new Error(`Expected KEY=VALUE for --env but received "${pair}"`);
    return true;
  })
  .strict()
  .help()
  .parse();

const seed = argv.seed ?? (Date.now() ^ (process.pid << 16)) >>> 0;
const outDir = argv.out ?? join(tmpdir(), `histogram-fuzz-${seed}`);
const serverEnv = Object.fromEntries(argv.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const planned = argv.case?.length ?? argv.count;
process.stderr.write(
  `fuzz: seed ${seed}, ${planned} inputs${argv.duration ? ` (at most ${argv.duration})` : ''}, concurrency ${argv.concurrency}${argv.url ? `, target ${argv.url}` : ''}; failing inputs go to ${outDir}\n`,
);

let lastReport = 0;
const result = await runFuzz({
  seed,
  count: argv.count,
  concurrency: argv.concurrency,
  ...(argv.duration ? { durationMs: parseDuration(argv.duration, 'duration') } : {}),
  ...(argv.url ? { url: argv.url } : {}),
  serverEnv,
  ...(argv.case ? { cases: argv.case } : {}),
  outDir,
  healthzTimeoutMs: parseDuration(argv['healthz-timeout'], 'healthz-timeout'),
  requestTimeoutMs: parseDuration(argv['request-timeout'], 'request-timeout'),
  onProgress(done, total) {
    if (process.stderr.isTTY && performance.now() - lastReport > 1000) {
      lastReport = performance.now();
      process.stderr.write(`\r  ${done}/${total}`);
    }
  },
});
if (process.stderr.isTTY) process.stderr.write('\r');
process.stderr.write(formatFuzzSummary(result));
if (argv.json) process.stdout.write(`${JSON.stringify({ ...result, healthz: { ...result.healthz, latenciesMs: undefined } })}\n`);
process.exitCode = result.failures.length + result.serverProblems.length > 0 ? 1 : 0;
