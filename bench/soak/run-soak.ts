// run(options): the soak as a function. A steady closed-loop load of mixed images and outputs
// (charts of many sizes, bad inputs, oversized uploads, clients that write before they read)
// for minutes against the real server, with its memory sampled every second; every answer is
// checked as in the fuzz. Returns the tallies, the samples and the verdict on growth.
import { Agent } from 'node:http';
import { randomFillSync } from 'node:crypto';
import { startServer, type ServerProcess } from '../../test/helpers/server-process.ts';
import { imageAllocatorEnv, startNodeOptions } from '../server-launch.ts';
import { ROOT } from '../suite-processes.ts';
import { makeSeedImages } from '../fuzz/seed-images.ts';
import { makeConfusions } from '../fuzz/confusions.ts';
import { exchange, type Outcome } from '../fuzz/http-exchange.ts';
import { checkOutcome, type FailureKind, type Problem } from '../fuzz/check-answer.ts';
import { watchHealth, type HealthReport } from '../fuzz/health-watch.ts';
import { makeSoakImages, planRequest, type SoakKind, type SoakMix } from './soak-inputs.ts';
import { sampleMemory, slope, type MemorySample } from './memory-sampler.ts';

const MiB = 1024 * 1024;

export interface SoakOptions {
  /** Length of the load (default 3 minutes). */
  durationMs?: number;
  seed: number;
  /** Concurrent client loops (default serverConcurrency + maxQueue + 2: a little over capacity). */
  connections?: number;
  /** Target; default: start server/main.ts as a child process. */
  url?: string;
  /** With `url`: the server's pid, for /proc sampling. */
  pid?: number;
  /** Settings of the started server (and what the soak assumes of a target). */
  serverConcurrency?: number;
  maxQueue?: number;
  maxUploadBytes?: number;
  /** More environment for the started server. */
  serverEnv?: Record<string, string>;
  /** Request mix; shares of all requests. */
  mix?: Partial<Omit<SoakMix, 'maxUploadBytes' | 'oversizedPool'>>;
  /** Stop early once the server's VmRSS passes this (default 1536 MiB): a leak must not take the machine. */
  maxRssMiB?: number;
  /** Pause of a client loop after a 503; default: its Retry-After, at most 2 s. */
  retryPauseMs?: number;
  sampleIntervalMs?: number;
  healthzTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** A VmRSS floor slope over the last half above this is "growing" (default 10 MiB/min). */
  maxSlopeMiBPerMin?: number;
  /** Called about every 10 s with the running tallies. */
  onTick?: (tick: SoakTick) => void;
}

export interface SoakTick {
  seconds: number;
  requests: number;
  statuses: Record<string, number>;
  rssMiB: number | null;
  failures: number;
}

export interface SoakFailure {
  kind: SoakKind;
  label: string;
  path: string;
  client: string;
  framing: string;
  bytes: number;
  problems: Problem[];
}

export interface SoakResult {
  seed: number;
  /** The length asked for; durationMs is shorter if the soak stopped early. */
  plannedMs: number;
  durationMs: number;
  connections: number;
  url: string;
  startedServer: boolean;
  server: { concurrency: number; maxQueue: number; maxUploadBytes: number; env: Record<string, string>; nodeArgs: string[] };
  mix: Omit<SoakMix, 'maxUploadBytes' | 'oversizedPool'>;
  requests: number;
  statuses: Record<string, number>;
  /** Request kind → status → count. */
  byKind: Record<string, Record<string, number>>;
  failureKinds: Partial<Record<FailureKind, number>>;
  failureCount: number;
  /** The first 50 failures. */
  failures: SoakFailure[];
  serverProblems: Problem[];
  healthz: HealthReport;
  samples: MemorySample[];
  memory: {
    rssStartMiB: number | null;
    rssPeakMiB: number | null;
    rssEndMiB: number | null;
    hwmEndMiB: number | null;
    heapStartMiB: number | null;
    heapEndMiB: number | null;
    /** Least-squares slope of VmRSS over the second half of the run. */
    rssSlopeMiBPerMin: number | null;
    /**
     * The same for the floor of VmRSS (its minimum in each 10 s window): what stays allocated
     * between the transient peaks of large decodes. The verdict uses this one.
     */
    rssFloorSlopeMiBPerMin: number | null;
    heapSlopeMiBPerMin: number | null;
  };
  maxSlopeMiBPerMin: number;
  verdict: 'flat' | 'growing' | 'unknown';
}

function statusKey(outcome: Outcome): string {
  if (outcome.kind === 'no-answer') return 'no answer';
  const { status, body } = outcome.answer;
  if (status < 400) return String(status);
  try {
    return `${status} ${(JSON.parse(body.toString('utf8')) as { error: { code: string } }).error.code}`;
  } catch {
    return `${status} (not JSON)`;
  }
}

// A polite client waits as Retry-After says (seconds), within 0..2 s so the load stays steady.
function retryPause(header: string | string[] | undefined, fixedMs: number | undefined): number {
  if (fixedMs !== undefined) return fixedMs;
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) ? Math.min(2000, Math.max(0, seconds * 1000)) : 1000;
}

/** Runs the soak for `durationMs`; resolves when every loop has finished its last request. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const concurrency = options.serverConcurrency ?? 2;
  const maxQueue = options.maxQueue ?? 2;
  const maxUploadBytes = options.maxUploadBytes ?? 8 * MiB;
  const connections = options.connections ?? concurrency + maxQueue + 2;
  const durationMs = options.durationMs ?? 180_000;
  const mixShares = { large: 0.04, bad: 0.06, oversized: 0.03, writeFirst: 0.2, chartSizes: 0, outputs: { json: 5, csv: 2, png: 3 }, ...options.mix };
  const oversizedPool = randomFillSync(Buffer.alloc(maxUploadBytes + 2 * MiB));
  const mix: SoakMix = { ...mixShares, maxUploadBytes, oversizedPool };

  const images = await makeSoakImages(Math.min(maxUploadBytes * 0.6, 6 * MiB));
  const { seeds } = await makeSeedImages();
  const sources = { seeds, confusions: makeConfusions(seeds) };

  // The container image's allocator settings and `npm start`'s node options, so memory behaves
  // as in a pod.
  const env = {
    ...imageAllocatorEnv(ROOT),
    CONCURRENCY: String(concurrency),
    MAX_QUEUE: String(maxQueue),
    MAX_UPLOAD_BYTES: String(maxUploadBytes),
    ...options.serverEnv,
  };
  let server: ServerProcess | undefined;
  const nodeArgs = options.url ? [] : startNodeOptions(ROOT);
  if (!options.url) server = await startServer({ env, nodeArgs });
  const url = options.url ?? server!.url;
  const pid = options.url ? options.pid : server!.proc.pid;

  const serverProblems: Problem[] = [];
  let dead = false;
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    dead = true;
    serverProblems.push({ kind: 'crash', detail: `server exited during the soak (code ${code}, signal ${signal})` });
  };
  server?.proc.once('exit', onExit);
  // If this process dies before the finally below (an uncaught error), take the server along.
  const killServer = () => server?.proc.kill('SIGKILL');
  process.once('exit', killServer);
  const health = watchHealth(url, 1000, options.healthzTimeoutMs ?? 5000, (detail) => serverProblems.push({ kind: 'healthz', detail }));
  const sampler = sampleMemory(pid, url, options.sampleIntervalMs ?? 1000);

  const result: SoakResult = {
    seed: options.seed,
    plannedMs: durationMs,
    durationMs: 0,
    connections,
    url,
    startedServer: server !== undefined,
    server: { concurrency, maxQueue, maxUploadBytes, env: options.url ? {} : env, nodeArgs },
    mix: mixShares,
    requests: 0,
    statuses: {},
    byKind: {},
    failureKinds: {},
    failureCount: 0,
    failures: [],
    serverProblems,
    healthz: { probes: 0, latenciesMs: [], failures: [] },
    samples: [],
    memory: {
      rssStartMiB: null,
      rssPeakMiB: null,
      rssEndMiB: null,
      hwmEndMiB: null,
      heapStartMiB: null,
      heapEndMiB: null,
      rssSlopeMiBPerMin: null,
      rssFloorSlopeMiBPerMin: null,
      heapSlopeMiBPerMin: null,
    },
    maxSlopeMiBPerMin: options.maxSlopeMiBPerMin ?? 10,
    verdict: 'unknown',
  };
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const started = performance.now();
  const deadline = started + durationMs;
  let n = 0;
  const maxRssMiB = options.maxRssMiB ?? 1536;
  let stopEarly = false;
  const guard = setInterval(() => {
    const rss = sampler.samples[sampler.samples.length - 1]?.rssMiB;
    if (rss != null && rss > maxRssMiB && !stopEarly) {
      stopEarly = true;
      serverProblems.push({
        kind: 'memory',
        detail: `VmRSS reached ${rss.toFixed(0)} MiB, over the ${maxRssMiB} MiB cap, after ${((performance.now() - started) / 1000).toFixed(0)} s: soak stopped early`,
      });
    }
  }, 250);
  const ticker = setInterval(() => {
    const last = sampler.samples[sampler.samples.length - 1];
    options.onTick?.({
      seconds: (performance.now() - started) / 1000,
      requests: result.requests,
      statuses: { ...result.statuses },
      rssMiB: last?.rssMiB ?? null,
      failures: result.failureCount,
    });
    if (server) server.logs.length = 0; // the helper keeps every log line; a soak would pile them up
  }, 10_000);
  const loop = async () => {
    while (!dead && !stopEarly && performance.now() < deadline) {
      const planned = planRequest(options.seed, n++, images, sources, mix);
      const outcome = await exchange(url, planned.request, { agent, timeoutMs: options.requestTimeoutMs ?? 60_000 });
      result.requests++;
      const key = statusKey(outcome);
      result.statuses[key] = (result.statuses[key] ?? 0) + 1;
      result.byKind[planned.kind] ??= {};
      const byKind = result.byKind[planned.kind]!;
      byKind[key] = (byKind[key] ?? 0) + 1;
      const problems = dead ? [] : checkOutcome(outcome, planned.expect, { alsoAllowed: [503] });
      if (problems.length > 0) {
        result.failureCount++;
        for (const kind of new Set(problems.map((p) => p.kind))) result.failureKinds[kind] = (result.failureKinds[kind] ?? 0) + 1;
        const { request } = planned;
        if (result.failures.length < 50)
          result.failures.push({
            kind: planned.kind,
            label: planned.label,
            path: request.path,
            client: request.client,
            framing: request.framing,
            bytes: request.body.length,
            problems,
          });
      }
      if (outcome.kind === 'answer' && outcome.answer.status === 503)
        await new Promise((r) => setTimeout(r, retryPause(outcome.answer.headers['retry-after'], options.retryPauseMs)));
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, loop));
  } finally {
    clearInterval(ticker);
    clearInterval(guard);
    result.durationMs = performance.now() - started;
    result.samples = await sampler.stop();
    result.healthz = await health.stop();
    agent.destroy();
    server?.proc.off('exit', onExit);
    process.off('exit', killServer);
    if (server && !dead) {
      const code = await server.stop();
      if (code !== 0) serverProblems.push({ kind: 'crash', detail: `server exited with ${code} on SIGTERM after the soak` });
    }
  }
  summarizeMemory(result);
  return result;
}

function summarizeMemory(result: SoakResult): void {
  const { samples, memory } = result;
  const rss = samples.filter((s) => s.rssMiB !== null) as Array<MemorySample & { rssMiB: number }>;
  const heap = samples.filter((s) => s.heapUsedMiB !== null) as Array<MemorySample & { heapUsedMiB: number }>;
  if (rss.length > 0) {
    memory.rssStartMiB = rss[0]!.rssMiB;
    memory.rssPeakMiB = Math.max(...rss.map((s) => s.rssMiB));
    memory.rssEndMiB = rss[rss.length - 1]!.rssMiB;
    memory.hwmEndMiB = rss[rss.length - 1]!.hwmMiB;
  }
  if (heap.length > 0) {
    memory.heapStartMiB = heap[0]!.heapUsedMiB;
    memory.heapEndMiB = heap[heap.length - 1]!.heapUsedMiB;
  }
  const half = result.durationMs / 2000;
  const perMinute = (points: Array<[number, number]>) => (points.length >= 10 ? slope(points) * 60 : null);
  memory.rssSlopeMiBPerMin = perMinute(rss.filter((s) => s.t >= half).map((s) => [s.t, s.rssMiB]));
  memory.heapSlopeMiBPerMin = perMinute(heap.filter((s) => s.t >= half).map((s) => [s.t, s.heapUsedMiB]));
  const floors = new Map<number, [number, number]>();
  for (const s of rss.filter((s) => s.t >= half)) {
    const window = Math.floor(s.t / 10);
    const floor = floors.get(window);
    if (!floor || s.rssMiB < floor[1]) floors.set(window, [s.t, s.rssMiB]);
  }
  memory.rssFloorSlopeMiBPerMin = floors.size >= 3 ? slope([...floors.values()]) * 60 : null;
  const measured = memory.rssFloorSlopeMiBPerMin ?? memory.rssSlopeMiBPerMin ?? memory.heapSlopeMiBPerMin;
  result.verdict = measured === null ? 'unknown' : measured > result.maxSlopeMiBPerMin ? 'growing' : 'flat';
}
