// One closed-model cell of the suite (warm-up, then a window long enough to count), and the
// progress lines the runner prints for each cell as it goes (stderr).
import { runBench, type BenchOptions } from '../client/bench/run-bench.ts';
import { rateCellOf, type OverloadCell, type Producer, type RateCell, type SuiteImageInfo } from './suite-types.ts';

/** Fewest answers a closed cell aims for: slow cells run longer (up to 3 × the duration). */
const MIN_ANSWERS = 8;
const started = Date.now();
const elapsed = () => `+${((Date.now() - started) / 1000).toFixed(0)}s`;

/** Warm-up, then one measured window, long enough for MIN_ANSWERS where 3 × the duration allows. */
export async function closedCell(
  url: string,
  image: SuiteImageInfo,
  bytes: Buffer,
  producer: Producer,
  connections: number,
  accept: 'json' | 'png',
  durationMs: number,
  warmupMs: number,
): Promise<RateCell> {
  const options = closedOptions(url, image, bytes, connections, accept, durationMs);
  let measuredMs = durationMs;
  if (warmupMs > 0) {
    const warm = await runBench({ ...options, durationMs: warmupMs });
    const perSecond = warm.requests.completed / Math.max(0.001, (warm.endMs - warm.startMs) / 1000);
    if (perSecond > 0) measuredMs = Math.round(Math.min(3 * durationMs, Math.max(durationMs, (MIN_ANSWERS / perSecond) * 1000)));
  }
  return rateCellOf(await runBench({ ...options, durationMs: measuredMs }), image.id, producer, accept);
}

/**
 * Load at C=4 with `image` for `ms` on a freshly started server, unmeasured: V8 compiles the
 * request path's hot functions and the server's pools and heap grow over the first seconds of
 * load, and a fresh server serves less in its first few seconds than ten seconds on
 * (docs/benchmarks.md has the figures).
 */
export async function warmUp(url: string, image: SuiteImageInfo, bytes: Buffer, ms: number): Promise<void> {
  if (ms > 0) await runBench(closedOptions(url, image, bytes, 4, 'json', ms));
}

/** `client bench` options for a closed-model run uploading `image` as JSON or PNG requests. */
function closedOptions(url: string, image: SuiteImageInfo, bytes: Buffer, connections: number, accept: 'json' | 'png', durationMs: number): BenchOptions {
  return {
    url,
    images: [{ name: image.file.split('/').pop()!, bytes }],
    accept,
    headers: {},
    connections,
    durationMs,
    amount: null,
    rate: null,
    warmupMs: 0,
    timeoutMs: 180_000,
    shard: { index: 0, count: 1 },
    untilReadyMs: null,
    startAt: null,
  };
}

/** One progress line per rate cell. */
export function printCell(c: RateCell): void {
  const p = c.p99Ms === null ? '' : ` p50 ${c.p50Ms?.toFixed(1)} ms p99 ${c.p99Ms.toFixed(1)} ms`;
  const f = Object.keys(c.failures).length > 0 ? ` failures ${JSON.stringify(c.failures)}` : '';
  process.stderr.write(
    `${elapsed()} ${c.image.padEnd(18)} ${c.producer.padEnd(8)} ${(c.round ? `${c.generator} ${c.round}` : c.generator).padEnd(19)} ${c.accept} C=${String(c.connections).padEnd(3)} ` +
      `${c.okPerSec.toFixed(2)}/s (n=${c.ok}, ${(c.elapsedMs / 1000).toFixed(1)} s)${p}${f}\n`,
  );
}

/** One progress line per overload cell. */
export function printOverload(o: OverloadCell, label: string): void {
  process.stderr.write(
    `overload ${o.load} ${label}: ${o.okPerSec.toFixed(1)} 2xx/s, ${o.status503} × 503, other ${JSON.stringify(o.otherFailures)}, ` +
      `2xx p50 ${o.p50Ms?.toFixed(0) ?? '—'} ms p99 ${o.p99Ms?.toFixed(0) ?? '—'} ms, /healthz p99 ${o.healthz ? `${o.healthz.p99Ms.toFixed(1)} ms (${o.healthz.failed} failed)` : '—'}, ` +
      `peak RSS ${o.peakRssMiB?.toFixed(0) ?? 'n/a'} MiB\n`,
  );
}
