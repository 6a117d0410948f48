// `npm run bench`: measures, in one run and side by side, this checkout's server, a baseline
// checkout's (BENCH_BASELINE) and the old Python service, with the decode-only ceiling and the
// HTTP floor, for each suite image at C = 1 and 4 (the old service at 4); cross-checks one cell
// with wrk; then the overload cells (wrk -c100 and an open-model 1000/s load) on fresh servers.
// Writes its section of bench/RESULTS.md, PNG plots, and the raw run as JSON.
// The load generator (this process, wrk) runs on CPU 0 and the measured processes on the
// others (taskset). `tsx bench/run-suite.ts --render RUN.json` re-renders a saved run.
// Env: BENCH_DURATION (5s), BENCH_WARMUP (1s), BENCH_OVERLOAD_DURATION (15s; 0 skips the
// overload cells), BENCH_SERVER_WARMUP (10s: load on each freshly started server before it is
// measured), BENCH_VERSUS_ROUNDS (3: rounds of the C=4 comparison with the old service for
// each class's target image), BENCH_IMAGES (default set; "all" or a comma list), BENCH_BASELINE,
// BENCH_OLD_SERVICE=0, BENCH_PYTHON, BENCH_SERVER_ENV, BENCH_WRITE=0 (print only).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus as osCpus, availableParallelism, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { parseDuration } from '../client/bench/parse-duration.ts';
import { closedCell, printCell, printOverload, warmUp } from './suite-cells.ts';
import { fetchPhotos, prepareSuiteImages, selectImageIds } from './suite-images.ts';
import { measureOverload } from './suite-overload.ts';
import { renderSuiteSection, replaceSuiteSection } from './suite-markdown.ts';
import { writeSuitePlots } from './suite-plots.ts';
import { ROOT, runDecodeCeiling, sampleCpuBusy, startListening, type Child } from './suite-processes.ts';
import { recordStart, subjectsFrom, type Subject } from './suite-subjects.ts';
import { targetRows, VERSUS_CONNECTIONS } from './suite-summary.ts';
import type { OverloadCell, Producer, RateCell, SuiteImageInfo, SuiteRun } from './suite-types.ts';
import { runWrk, wrkVersion } from './suite-wrk.ts';
import { wrkFigures } from './wrk-output.ts';

const suiteStart = Date.now();
const log = (line: string) => process.stderr.write(`[suite +${((Date.now() - suiteStart) / 1000).toFixed(0)}s] ${line}\n`);
const totalCpus = osCpus().length;
const canPin = totalCpus >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

const renderIndex = process.argv.indexOf('--render');
if (renderIndex !== -1) {
  await writeOutputs(JSON.parse(readFileSync(process.argv[renderIndex + 1] ?? '', 'utf8')) as SuiteRun);
} else if (canPin && process.env.BENCH_SUITE_PINNED !== '1') {
  // Re-run this script on CPU 0 so every thread of the generator (and wrk, a child) stays there.
  const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', 'bench/run-suite.ts', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, BENCH_SUITE_PINNED: '1' },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

/** BENCH_VERSUS_ROUNDS: a whole number from 1 (the comparison runs once) up; 3 when unset. */
function versusRoundCount(value: string | undefined): number {
  if (value === undefined || value === '') return 3;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Expected a whole number of at least 1 for BENCH_VERSUS_ROUNDS but received "${value}"`);
  return n;
}

function commandLine(): string {
  const knobs = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_') && k !== 'BENCH_SUITE_PINNED')
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  const npm = process.env.npm_lifecycle_event === 'bench';
  return [...knobs, npm ? 'npm run bench' : 'tsx bench/run-suite.ts'].join(' ');
}

async function main(): Promise<void> {
  const began = Date.now();
  const durationMs = parseDuration(process.env.BENCH_DURATION ?? '5s', 'BENCH_DURATION');
  const warmupMs = parseDuration(process.env.BENCH_WARMUP ?? '1s', 'BENCH_WARMUP');
  const serverWarmupMs = parseDuration(process.env.BENCH_SERVER_WARMUP ?? '10s', 'BENCH_SERVER_WARMUP');
  const overloadDurationMs = parseDuration(process.env.BENCH_OVERLOAD_DURATION ?? '15s', 'BENCH_OVERLOAD_DURATION');
  const versusRounds = versusRoundCount(process.env.BENCH_VERSUS_ROUNDS);
  const imageIds = selectImageIds(process.env.BENCH_IMAGES);
  const serverCpus = canPin ? (totalCpus === 2 ? '1' : `1-${totalCpus - 1}`) : null;
  const concurrency = canPin ? totalCpus - 1 : availableParallelism();
  const placement = canPin
    ? `Pinned with taskset: load generators (this suite's process with the \`client bench\` engine, and wrk) on CPU 0; every server, the HTTP floor and the decode-only runs on CPU${totalCpus === 2 ? ' 1' : `s ${serverCpus}`}, one at a time under load.`
    : 'Not pinned (taskset unavailable or a single CPU): load generator and servers share the CPUs, which understates the servers.';
  log(placement);
  const loadAtStart = loadavg()[0]!;
  const busyAtStart = await sampleCpuBusy();
  log(
    `1-minute load average ${loadAtStart.toFixed(2)}; CPUs busy in the last second: ${busyAtStart?.map((b) => `${b.toFixed(0)} %`).join(', ') ?? 'n/a'}` +
      `${busyAtStart?.some((b) => b > 10) ? ': other work is running, results will be skewed' : ''}`,
  );

  const notMeasured: string[] = [];
  const photos = fetchPhotos(log);
  if (photos.dir === null) {
    notMeasured.push(
      `Real photographs: ${photos.reason}. Synthetic stand-ins of the same size and encoding took their place (the images table says which). ` +
        "scripts/fetch-bench-photos.sh needs apt-get and dpkg-deb and Debian's mate-backgrounds package in the package index (`apt-get update`).",
    );
  }
  const images = await prepareSuiteImages(imageIds, photos, log);
  const wrk = wrkVersion();
  if (wrk === null) notMeasured.push('wrk cross-check and the wrk -c100 overload cells: wrk is not installed (`apt-get install wrk`).');
  const subjects = subjectsFrom(process.env, serverCpus, concurrency);
  for (const s of subjects.filter((s) => !s.info.measured)) notMeasured.push(`${s.info.label}: ${s.info.missing}.`);

  const cells: RateCell[] = [];
  const overload: OverloadCell[] = [];
  const running = new Map<Subject, Child>();
  let floor: Child | null = null;
  try {
    floor = await startListening({
      name: 'HTTP floor',
      cpus: serverCpus,
      command: process.execPath,
      args: ['--import', 'tsx', 'bench/http-floor-server.ts'],
      cwd: ROOT,
      env: { HOST: '127.0.0.1', PORT: '0' },
    });
    for (const subject of subjects.filter((s) => s.info.measured)) {
      try {
        const child = await subject.start();
        recordStart(subject, child);
        running.set(subject, child);
        log(`started ${subject.info.label}: ${subject.info.command} at ${child.url}`);
      } catch (error) {
        subject.info.measured = false;
        subject.info.missing = `did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
        notMeasured.push(`${subject.info.label}: ${subject.info.missing}.`);
      }
    }
    // The old service first, then before, then this branch, image by image, so drift on a
    // shared machine falls on every server alike.
    const order = (['old', 'baseline', 'this'] as const).map((id) => [...running].find(([s]) => s.info.id === id)).filter((e) => e !== undefined);
    const connectionCounts = [...new Set([1, VERSUS_CONNECTIONS, 4 * concurrency])].sort((a, b) => a - b);
    if (images[0] && serverWarmupMs > 0) {
      const first = images[0];
      for (const [subject, child] of order) {
        log(`warming up ${subject.info.label}: ${serverWarmupMs / 1000} s at C=4 with ${first.label}`);
        await warmUp(`${child.url}/process-image`, first, readFileSync(first.file), serverWarmupMs);
      }
    }
    const measure = async (url: string, image: SuiteImageInfo, bytes: Buffer, producer: Producer, connections: number, accept: 'json' | 'png') => {
      const cell = await closedCell(url, image, bytes, producer, connections, accept, durationMs, warmupMs);
      cells.push(cell);
      printCell(cell);
    };
    for (const image of images) {
      const bytes = readFileSync(image.file);
      for (const c of connectionCounts) {
        const d = await runDecodeCeiling(serverCpus, image.file, c, durationMs, warmupMs);
        const cell: RateCell = {
          image: image.id,
          producer: 'decode',
          connections: c,
          accept: 'json',
          generator: 'decode',
          okPerSec: d.perSecond,
          ok: d.decodes,
          responses: d.decodes,
          elapsedMs: d.elapsedMs,
          p50Ms: null,
          p99Ms: null,
          failures: {},
        };
        cells.push(cell);
        printCell(cell);
      }
      await measure(`${floor.url}/process-image`, image, bytes, 'floor', VERSUS_CONNECTIONS, 'json');
      for (const [subject, child] of order) {
        const url = `${child.url}/process-image`;
        const id = subject.info.id;
        for (const c of id === 'old' ? [VERSUS_CONNECTIONS] : connectionCounts) await measure(url, image, bytes, id, c, 'json');
        if (image.klass === 'noise' && image.target && wrk !== null) {
          const { summary } = await runWrk({
            url,
            image: image.file,
            threads: 1,
            connections: VERSUS_CONNECTIONS,
            durationS: durationMs / 1000,
            timeoutS: 60,
            statuses: false,
          });
          const f = wrkFigures(summary);
          const cell: RateCell = {
            image: image.id,
            producer: id,
            connections: VERSUS_CONNECTIONS,
            accept: 'json',
            generator: 'wrk',
            okPerSec: f.okPerSec,
            ok: f.ok,
            responses: f.responses,
            elapsedMs: summary.durationS * 1000,
            p50Ms: f.p50Ms,
            p99Ms: f.p99Ms,
            failures: f.failures,
          };
          cells.push(cell);
          printCell(cell);
          const again = await closedCell(url, image, bytes, id, VERSUS_CONNECTIONS, 'json', durationMs, warmupMs);
          cells.push({ ...again, generator: 'client bench repeat' });
          printCell({ ...again, generator: 'client bench repeat' });
        }
        if (id !== 'old') await measure(url, image, bytes, id, VERSUS_CONNECTIONS, 'png');
      }
      // The ratio a target judges, measured again in rounds of back-to-back runs: one pair of
      // runs on a shared machine can be several per cent off either way.
      for (let round = 2; image.target && round <= versusRounds; round++) {
        for (const [subject, child] of order) {
          const cell = await closedCell(`${child.url}/process-image`, image, bytes, subject.info.id, VERSUS_CONNECTIONS, 'json', durationMs, warmupMs);
          const again: RateCell = { ...cell, generator: 'versus round', round };
          cells.push(again);
          printCell(again);
        }
      }
    }
    for (const child of running.values()) await child.stop();
    await floor.stop();

    const noise = images.find((i) => i.klass === 'noise' && i.target);
    if (overloadDurationMs > 0 && noise) {
      for (const [subject] of order) {
        for (const load of ['wrk-c100', 'open-1000'] as const) {
          if (load === 'wrk-c100' && wrk === null) continue;
          const cell = await measureOverload({
            subject,
            image: noise,
            load,
            durationMs: overloadDurationMs,
            warmupMs: Math.max(warmupMs, serverWarmupMs),
            closedDurationMs: durationMs,
            log,
          });
          overload.push(cell);
          printOverload(cell, subject.info.label);
        }
      }
    } else if (overloadDurationMs > 0) {
      notMeasured.push('Overload cells: they upload the 512×512 noise PNG, which BENCH_IMAGES left out.');
    }
  } finally {
    for (const child of running.values()) await child.stop();
    await floor?.stop();
  }

  const run: SuiteRun = {
    env: {
      date: new Date().toISOString(),
      command: commandLine(),
      cpus: totalCpus,
      cpuModel: osCpus()[0]?.model.trim() ?? 'unknown',
      kernel: release(),
      memoryGiB: totalmem() / 2 ** 30,
      node: process.version,
      sharp: sharp.versions.sharp ?? 'unknown',
      libvips: sharp.versions.vips,
      wrk,
      placement,
      concurrency,
      durationMs,
      warmupMs,
      serverWarmupMs,
      overloadDurationMs,
      loadAverage: { start: loadAtStart, end: loadavg()[0]! },
      busyAtStart,
      wallTimeS: (Date.now() - began) / 1000,
    },
    images,
    subjects: subjects.map((s) => s.info),
    floorCommand: floor?.command ?? null,
    cells,
    overload,
    notMeasured,
  };
  const saved = join(tmpdir(), 'histogram-bench-last-run.json');
  await writeFile(saved, JSON.stringify(run, null, 1));
  log(`raw run saved to ${saved} (re-render with: npx tsx bench/run-suite.ts --render ${saved})`);
  await writeOutputs(run);
}

async function writeOutputs(run: SuiteRun): Promise<void> {
  const section = renderSuiteSection(run);
  process.stdout.write(`\n${section}\n`);
  for (const row of targetRows(run)) {
    const v = row.verdicts.this;
    log(
      `${v.met === true ? 'met    ' : v.met === false ? 'MISSED ' : 'n/a    '} ${row.name}: ${row.values.this === null ? '—' : row.values.this.toFixed(2)} (before ${row.values.baseline === null ? '—' : row.values.baseline.toFixed(2)}) ${v.text}`,
    );
  }
  if (process.env.BENCH_WRITE === '0') return;
  const resultsPath = join(ROOT, 'bench/RESULTS.md');
  const existing = await readFile(resultsPath, 'utf8').catch(() => null);
  await writeFile(resultsPath, replaceSuiteSection(existing, section));
  const plots = await writeSuitePlots(run, join(ROOT, 'bench'));
  log(`wrote ${resultsPath} and ${plots.join(', ')}`);
}
