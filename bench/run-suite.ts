// `npm run bench`: starts the server locally and measures, in one run, the decode-only ceiling,
// the HTTP floor and the server (JSON and PNG) for each suite image at C = 1, CONCURRENCY and
// 4 × CONCURRENCY, then an overload; writes its section of bench/RESULTS.md and PNG plots.
// On a machine with 2+ CPUs the load generator (this process) runs on CPU 0 and the measured
// processes on the others (taskset). Env: BENCH_DURATION (default 5s), BENCH_WARMUP (1s).
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus as osCpus, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runBench, type BenchOptions } from '../client/bench/run-bench.ts';
import type { BenchResult } from '../client/bench/bench-result.ts';
import { generateSuiteImages, type SuiteImage } from './suite-images.ts';
import { ROOT, peakRssMiB, runDecodeCeiling, serverCommand, startListening, type Child } from './suite-processes.ts';
import { renderSuiteSection, replaceSuiteSection, verdicts } from './suite-markdown.ts';
import { writeSuitePlots } from './suite-plots.ts';
import { okRate, type SuiteCell, type SuiteRun } from './suite-types.ts';
import { parseDuration } from '../client/bench/parse-duration.ts';

const log = (line: string) => process.stderr.write(`[suite] ${line}\n`);
const totalCpus = osCpus().length;
const canPin = totalCpus >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

// Re-run this script on CPU 0 so every thread of the generator stays there.
if (canPin && process.env.BENCH_SUITE_PINNED !== '1') {
  const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', 'bench/run-suite.ts'], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, BENCH_SUITE_PINNED: '1' },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function main(): Promise<void> {
  const durationMs = parseDuration(process.env.BENCH_DURATION ?? '5s', 'BENCH_DURATION');
  const warmupMs = parseDuration(process.env.BENCH_WARMUP ?? '1s', 'BENCH_WARMUP');
  const serverCpus = canPin ? (totalCpus === 2 ? '1' : `1-${totalCpus - 1}`) : null;
  const concurrency = canPin ? totalCpus - 1 : availableParallelism();
  const placement = canPin
    ? `Pinned with taskset: load generator (this suite's process, the \`client bench\` engine) on CPU 0; server, HTTP floor and decode-only runs on CPU${totalCpus === 2 ? ' 1' : `s ${serverCpus}`}.`
    : 'Not pinned (taskset unavailable or a single CPU): load generator and server share the CPUs, which understates the server.';
  log(placement);
  const loadAtStart = loadavg()[0]!;
  log(`1-minute load average ${loadAtStart.toFixed(2)}${loadAtStart > 0.5 ? ': other work is running, results will be skewed' : ''}`);
  const images = await generateSuiteImages(log);
  const connectionCounts = [...new Set([1, concurrency, 4 * concurrency])];
  const serverArgs = serverCommand();
  const serverEnv = { CONCURRENCY: String(concurrency), LOG_LEVEL: 'info', POD_NAME: 'bench-server' };
  const children: Child[] = [];
  const start = async (args: string[], env: Record<string, string> = {}) => {
    const child = await startListening(serverCpus, args, env);
    children.push(child);
    return child;
  };
  try {
    const floor = await start(['--import', 'tsx', 'bench/http-floor-server.ts']);
    let server = await start(serverArgs, serverEnv);
    const cells: SuiteCell[] = [];
    const bench = (url: string, image: SuiteImage, connections: number, accept: 'json' | 'png', extra: Partial<BenchOptions> = {}) =>
      runBench({
        url, images: [{ name: image.file, bytes: image.bytes }], accept, headers: {}, connections, durationMs, amount: null, rate: null,
        warmupMs, timeoutMs: 60_000, shard: { index: 0, count: 1 }, untilReadyMs: 30_000, startAt: null, ...extra,
      });
    for (const image of images) {
      for (const connections of connectionCounts) {
        const decodePerSec = await runDecodeCeiling(serverCpus, image.file, connections, durationMs, warmupMs);
        const floorResult = await bench(`${floor.url}/v1/histogram`, image, connections, 'json');
        const json = await bench(`${server.url}/v1/histogram`, image, connections, 'json');
        const png = await bench(`${server.url}/v1/histogram`, image, connections, 'png');
        const cell: SuiteCell = { image: image.label, imageBytes: image.bytes.length, role: image.role, connections, decodePerSec, floor: floorResult, json, png };
        cells.push(cell);
        printCell(cell);
      }
    }
    // Overload on a fresh server, so VmHWM is the peak of this load alone.
    await server.stop();
    server = await start(serverArgs, serverEnv);
    const big = images.find((i) => i.role === '12mp')!;
    const overloadConnections = 8 * concurrency;
    log(`overload: ${overloadConnections} connections of ${big.label}, /healthz at 20 req/s alongside`);
    const [result, healthz] = await Promise.all([
      bench(`${server.url}/v1/histogram`, big, overloadConnections, 'json'),
      runBench({ url: `${server.url}/healthz`, images: [], accept: 'json', headers: {}, connections: 1, durationMs: durationMs + warmupMs, amount: null,
        rate: 20, warmupMs: 0, timeoutMs: 60_000, shard: { index: 0, count: 1 }, untilReadyMs: null, startAt: null }),
    ]);
    const overload = { image: big.label, connections: overloadConnections, result, healthz, peakRssMiB: peakRssMiB(server.pid) };
    printOverload(overload.result, healthz, overload.peakRssMiB);

    const run: SuiteRun = {
      env: {
        date: new Date().toISOString(), cpus: totalCpus, cpuModel: osCpus()[0]?.model.trim() ?? 'unknown', node: process.version,
        sharp: sharp.versions.sharp ?? 'unknown', libvips: sharp.versions.vips, serverCommand: server.command, floorCommand: floor.command,
        placement, concurrency, durationMs, warmupMs, loadAverage: { start: loadAtStart, end: loadavg()[0]! },
      },
      cells,
      overload,
    };
    const resultsPath = join(ROOT, 'bench/RESULTS.md');
    const existing = await readFile(resultsPath, 'utf8').catch(() => null);
    const section = renderSuiteSection(run);
    await writeFile(resultsPath, replaceSuiteSection(existing, section));
    const plots = await writeSuitePlots(run, join(ROOT, 'bench'));
    process.stdout.write(`\n${section}\n`);
    for (const v of verdicts(run)) log(`${v.met ? 'met   ' : 'MISSED'} ${v.name}: ${v.measured} ${v.detail}`);
    log(`wrote ${resultsPath} and ${plots.join(', ')}`);
  } finally {
    for (const child of children) await child.stop();
  }
}

function printCell(c: SuiteCell): void {
  const p99 = (r: BenchResult) => `${(r.latencyUs.p99 / 1000).toFixed(1)} ms`;
  process.stdout.write(`${c.image.padEnd(18)} C=${String(c.connections).padEnd(3)} decode ${c.decodePerSec.toFixed(1)}/s  ` +
    `floor ${okRate(c.floor).toFixed(1)}/s p99 ${p99(c.floor)}  json ${okRate(c.json).toFixed(1)}/s p99 ${p99(c.json)}  ` +
    `png ${okRate(c.png).toFixed(1)}/s p99 ${p99(c.png)}  errors ${JSON.stringify({ ...c.json.errors, ...c.png.errors })} ` +
    `non-2xx ${c.json.requests.completed - c.json.requests.ok + c.png.requests.completed - c.png.requests.ok}\n`);
}

function printOverload(r: BenchResult, healthz: BenchResult, rss: number | null): void {
  process.stdout.write(`overload C=${r.options.connections}: ${((r.requests.completed * 1000) / (r.endMs - r.startMs)).toFixed(1)} req/s, ` +
    `statuses ${JSON.stringify(r.statuses)}, errors ${JSON.stringify(r.errors)}, p99 2xx ${(r.latencyUs.p99 / 1000).toFixed(1)} ms, ` +
    `/healthz p99 ${(healthz.latencyUs.p99 / 1000).toFixed(1)} ms (${healthz.requests.ok} probes), peak RSS ${rss === null ? 'n/a' : `${rss.toFixed(0)} MiB`}\n`);
}
