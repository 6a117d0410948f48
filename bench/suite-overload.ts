// The overload cells: one server, freshly started, under wrk -c100 (closed: each connection
// re-sends at once) or an open-model 1000 req/s load, with /healthz probed alongside; goodput,
// refusals, 2xx latency and the server's peak RSS.
import { readFileSync } from 'node:fs';
import { runBench, type BenchOptions } from '../client/bench/run-bench.ts';
import type { BenchResult } from '../client/bench/bench-result.ts';
import { closedCell, warmUp } from './suite-cells.ts';
import { peakRssMiB, type Child } from './suite-processes.ts';
import { VERSUS_CONNECTIONS } from './suite-summary.ts';
import type { Subject } from './suite-subjects.ts';
import { failuresOf, type HealthzProbe, type OverloadCell, type OverloadLoad, type SuiteImageInfo } from './suite-types.ts';
import { runWrk, wrkCommand } from './suite-wrk.ts';
import { wrkFigures } from './wrk-output.ts';

export const OVERLOAD_CONNECTIONS = 100;
export const OPEN_RATE = 1000;
const PROBE_RATE = 20;
/** How long the open model may drain after its window before the server is stopped under it. */
const DRAIN_GRACE_MS = 5_000;

/**
 * 2xx per second over the whole seconds inside [startMs, endMs), from a result's per-second
 * counts ([epoch second, responses, 2xx]); seconds without a response count as zero.
 */
export function okPerSecondWithin(perSecond: ReadonlyArray<readonly [number, number, number]>, startMs: number, endMs: number): number {
  const first = Math.ceil(startMs / 1000);
  const last = Math.floor(endMs / 1000); // exclusive
  if (last <= first) return 0;
  let ok = 0;
  for (const [second, , okCount] of perSecond) if (second >= first && second < last) ok += okCount;
  return ok / (last - first);
}

export function healthzOf(r: BenchResult): HealthzProbe {
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  return { p99Ms: r.latencyUs.p99 / 1000, maxMs: r.latencyUs.max / 1000, ok: r.requests.ok, failed: r.requests.completed - r.requests.ok + errors };
}

const baseOptions = (url: string): Omit<BenchOptions, 'connections' | 'durationMs' | 'rate'> => ({
  url,
  images: [],
  accept: 'json',
  headers: {},
  amount: null,
  warmupMs: 0,
  timeoutMs: 30_000,
  shard: { index: 0, count: 1 },
  untilReadyMs: null,
  startAt: null,
});

export interface OverloadPlan {
  subject: Subject;
  image: SuiteImageInfo;
  load: OverloadLoad;
  durationMs: number;
  warmupMs: number;
  /** Length of the closed-model run just before the load (0: none). */
  closedDurationMs: number;
  log: (line: string) => void;
}

/** Runs one overload cell on a fresh process of `plan.subject`, then stops it. */
export async function measureOverload(plan: OverloadPlan): Promise<OverloadCell> {
  const { subject, image, load, durationMs, log } = plan;
  const child: Child = await subject.start();
  try {
    const url = `${child.url}/process-image`;
    const upload = { name: image.file.split('/').pop()!, bytes: readFileSync(image.file) };
    await warmUp(url, image, upload.bytes, plan.warmupMs);
    const closedBefore =
      plan.closedDurationMs > 0
        ? (await closedCell(url, image, upload.bytes, subject.info.id, VERSUS_CONNECTIONS, 'json', plan.closedDurationMs, 0)).okPerSec
        : null;
    const healthzUrl = subject.healthzUrl(child);
    const probe =
      healthzUrl === null ? Promise.resolve(null) : runBench({ ...baseOptions(healthzUrl), connections: 1, durationMs, rate: PROBE_RATE, timeoutMs: 10_000 });
    log(`overload ${load} on ${subject.info.label}: ${durationMs / 1000} s${healthzUrl ? `, ${healthzUrl} at ${PROBE_RATE}/s alongside` : ''}`);

    let cell: Omit<OverloadCell, 'healthz' | 'healthzNote' | 'peakRssMiB' | 'closedBefore'>;
    let peak: number | null = null;
    if (load === 'wrk-c100') {
      const run = { url, image: image.file, threads: 2, connections: OVERLOAD_CONNECTIONS, durationS: durationMs / 1000, timeoutS: 60, statuses: true };
      const { summary } = await runWrk(run);
      peak = peakRssMiB(child.pid);
      const f = wrkFigures(summary);
      const { '503': shed = 0, ...other } = f.failures;
      cell = {
        producer: subject.info.id,
        load,
        image: image.id,
        command: wrkCommand(run),
        durationMs: summary.durationS * 1000,
        okPerSec: f.okPerSec,
        ok: f.ok,
        status503: shed,
        otherFailures: other,
        p50Ms: f.p50Ms,
        p99Ms: f.p99Ms,
        latencyNote: f.latencyNote.startsWith('every') ? null : f.latencyNote,
      };
    } else {
      const bench = runBench({ ...baseOptions(url), images: [upload], connections: OVERLOAD_CONNECTIONS, durationMs, rate: OPEN_RATE });
      // The open model waits for every request it scheduled; a server that queues instead of
      // refusing would keep it draining for minutes. Past the grace, stop the server under it.
      let stoppedAt: number | null = null;
      const watchdog = setTimeout(() => {
        peak = peakRssMiB(child.pid);
        stoppedAt = Date.now();
        void child.kill();
      }, durationMs + DRAIN_GRACE_MS);
      const result = await bench;
      clearTimeout(watchdog);
      if (stoppedAt === null) peak = peakRssMiB(child.pid);
      const scheduled = Math.ceil((durationMs / 1000) * OPEN_RATE);
      const { '503': shed = 0, ...other } = failuresOf(result);
      const unsent = scheduled - result.requests.sent;
      if (unsent > 0) other['never sent (no free connection before the end)'] = unsent;
      cell = {
        producer: subject.info.id,
        load,
        image: image.id,
        command: `client bench --url ${new URL(url).pathname} --image ${upload.name} --rate ${OPEN_RATE} -c ${OVERLOAD_CONNECTIONS} -d ${durationMs / 1000}s`,
        durationMs,
        okPerSec: okPerSecondWithin(result.perSecond, result.startMs, result.startMs + durationMs),
        ok: result.requests.ok,
        status503: shed,
        otherFailures: other,
        p50Ms: result.requests.ok > 0 ? result.latencyUs.p50 / 1000 : null,
        p99Ms: result.requests.ok > 0 ? result.latencyUs.p99 / 1000 : null,
        latencyNote:
          stoppedAt === null
            ? null
            : `counted from each request's due time; the server was stopped ${DRAIN_GRACE_MS / 1000} s after the window with requests still outstanding (their errors are under other failures)`,
      };
    }
    const healthz = await probe;
    return {
      ...cell,
      closedBefore,
      healthz: healthz === null ? null : healthzOf(healthz),
      healthzNote: healthz === null ? 'no /healthz (the old service has no probe route)' : null,
      peakRssMiB: peak,
    };
  } finally {
    await child.kill();
  }
}
