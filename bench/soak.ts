// `npm run soak`: minutes of steady mixed load with the server's memory sampled every second.
// Table on stderr (JSON on stdout with --json); --results writes the soak section of
// bench/RESULTS.md. Exit 1 if any answer broke the contract or memory kept growing.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { parseDuration } from '../client/bench/parse-duration.ts';
import { runSoak } from './soak/run-soak.ts';
import { formatSoakSummary, renderSoakSection, replaceSoakSection } from './soak/soak-report.ts';

const share = (name: string) => (value: number) => {
  if (!(value >= 0 && value <= 1)) throw new Error(`Expected a share between 0 and 1 for --${name} but received "${value}"`);
  return value;
};

function parseOutputs(text: string): Record<'json' | 'csv' | 'png', number> {
  const weights = { json: 0, csv: 0, png: 0 };
  for (const part of text.split(',')) {
    const [name, weight = '1'] = part.split(':').map((s) => s.trim());
    if (!(name === 'json' || name === 'csv' || name === 'png') || !(Number(weight) >= 0))
      throw new Error(`Expected weights such as json:5,csv:2,png:3 for --outputs but received "${text}"`);
    weights[name] = Number(weight);
  }
  if (weights.json + weights.csv + weights.png === 0)
    throw new Error(`Expected at least one output with a positive weight for --outputs but received "${text}"`);
  return weights;
}

const argv = await yargs(hideBin(process.argv))
  .scriptName('npm run soak --')
  .usage(
    "$0 [options]\n\nSteady mixed load (formats, outputs, chart sizes, bad inputs, oversized uploads) for minutes, with the server's VmRSS, VmHWM and heap sampled every second; ends with requests by status, RSS start/peak/end, the RSS slope over the last half and a verdict on growth.",
  )
  .option('duration', { alias: 'd', type: 'string', default: '3m', describe: 'length of the load (90s, 3m, 10m)' })
  .option('seed', { type: 'number', describe: 'seed of the request mix (default: random, printed)' })
  .option('connections', { alias: 'c', type: 'number', describe: 'client loops (default: CONCURRENCY + MAX_QUEUE + 2)' })
  .option('concurrency', { type: 'number', default: 2, describe: 'CONCURRENCY of the started server' })
  .option('max-queue', { type: 'number', default: 2, describe: 'MAX_QUEUE of the started server' })
  .option('max-upload-mib', { type: 'number', default: 8, describe: 'MAX_UPLOAD_BYTES of the started server, in MiB (oversized uploads go over it)' })
  .option('env', { type: 'array', string: true, default: [] as string[], describe: 'KEY=VALUE for the started server (repeatable)' })
  .option('url', { type: 'string', describe: 'target server instead of starting one (give its settings with the options above)' })
  .option('pid', { type: 'number', describe: "with --url: the server's pid, to sample /proc/<pid>/status" })
  .option('large', { type: 'number', default: 0.04, coerce: share('large'), describe: 'share of large (near-limit) uploads' })
  .option('bad', { type: 'number', default: 0.06, coerce: share('bad'), describe: 'share of bad inputs from the fuzz' })
  .option('oversized', { type: 'number', default: 0.03, coerce: share('oversized'), describe: 'share of uploads over the limit' })
  .option('write-first', {
    type: 'number',
    default: 0.2,
    coerce: share('write-first'),
    describe: 'share of requests from a client that writes its whole body before reading',
  })
  .option('outputs', { type: 'string', default: 'json:5,csv:2,png:3', describe: 'weights of the outputs asked for, e.g. json:1 or png:1' })
  .option('chart-sizes', { type: 'number', default: 0, describe: 'distinct chart sizes asked for (0: a random size each time)' })
  .option('max-rss-mib', { type: 'number', default: 1536, describe: "stop early once the server's VmRSS passes this" })
  .option('max-slope', { type: 'number', default: 10, describe: 'slope of the VmRSS floor (MiB/min) over the last half above which memory is "growing"' })
  .option('results', { type: 'string', describe: 'write the soak section of this RESULTS.md (e.g. bench/RESULTS.md)' })
  .option('json', { type: 'boolean', default: false, describe: 'print the result as one JSON line on stdout' })
  .check((args) => {
    for (const name of ['concurrency', 'max-queue', 'connections'] as const) {
      const value = args[name];
      if (value !== undefined && !(Number.isInteger(value) && value >= (name === 'max-queue' ? 0 : 1)))
        throw new Error(`Expected a ${name === 'max-queue' ? 'non-negative' : 'positive'} integer for --${name} but received "${value}"`);
    }
    parseOutputs(args.outputs);
    if (!(args['max-upload-mib'] > 0)) throw new Error(`Expected a positive number for --max-upload-mib but received "${args['max-upload-mib']}"`);
    for (const pair of args.env) if (!/^[A-Z_][A-Z0-9_]*=/.test(pair)) throw new Error(`Expected KEY=VALUE for --env but received "${pair}"`);
    return true;
  })
  .strict()
  .help()
  .parse();

const seed = argv.seed ?? (Date.now() ^ (process.pid << 16)) >>> 0;
const durationMs = parseDuration(argv.duration, 'duration');
const load = loadavg()[0]!;
process.stderr.write(`soak: seed ${seed}, ${argv.duration}${argv.url ? `, target ${argv.url}` : ''}; 1-minute load average ${load.toFixed(2)}\n`);

const result = await runSoak({
  seed,
  durationMs,
  ...(argv.connections ? { connections: argv.connections } : {}),
  ...(argv.url ? { url: argv.url } : {}),
  ...(argv.pid ? { pid: argv.pid } : {}),
  serverConcurrency: argv.concurrency,
  maxQueue: argv['max-queue'],
  maxUploadBytes: Math.round(argv['max-upload-mib'] * 1024 * 1024),
  serverEnv: Object.fromEntries(argv.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
  mix: {
    large: argv.large,
    bad: argv.bad,
    oversized: argv.oversized,
    writeFirst: argv['write-first'],
    chartSizes: argv['chart-sizes'],
    outputs: parseOutputs(argv.outputs),
  },
  maxRssMiB: argv['max-rss-mib'],
  maxSlopeMiBPerMin: argv['max-slope'],
  onTick(tick) {
    const statuses = Object.entries(tick.statuses)
      .map(([k, v]) => `${k.split(' ')[0]}×${v}`)
      .join(' ');
    process.stderr.write(
      `  ${tick.seconds.toFixed(0)} s: ${tick.requests} requests (${statuses}), VmRSS ${tick.rssMiB?.toFixed(0) ?? 'n/a'} MiB, ${tick.failures} failing\n`,
    );
  },
});
process.stderr.write(formatSoakSummary(result));

if (argv.results) {
  const cpuList = cpus();
  const versions = sharp.versions as { sharp?: string; vips: string };
  const machine = {
    when: new Date().toISOString(),
    cpus: `${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? 'unknown'})`,
    node: process.version,
    sharp: `sharp ${versions.sharp ?? 'unknown'} (libvips ${versions.vips})`,
    load: `1-minute load average ${load.toFixed(2)} at the start`,
  };
  const command = `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim();
  const existing = await readFile(argv.results, 'utf8').catch(() => null);
  await writeFile(argv.results, replaceSoakSection(existing, renderSoakSection(result, command, machine)));
  process.stderr.write(`wrote the soak section of ${argv.results}\n`);
}
if (argv.json) process.stdout.write(`${JSON.stringify({ ...result, healthz: { ...result.healthz, latenciesMs: undefined } })}\n`);
process.exitCode = result.failureCount + result.serverProblems.length > 0 || result.verdict === 'growing' ? 1 : 0;
