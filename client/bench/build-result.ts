// Turns what a BenchRecorder saw into the result object a bench prints as its JSON line.
import { hostname } from 'node:os';
import type { BenchRecorder } from './bench-recorder.ts';
import { RESULT_KIND, RESULT_VERSION, type BenchResult, type LoadModel } from './bench-result.ts';
import { encodeHistogram, summarize } from './latency-histogram.ts';
import type { BenchOptions } from './bench-options.ts';
import { buildTimeline } from './timeline.ts';

/** The result line's object for what `r` recorded between `startMs` and `endMs` (epoch ms). */
export function buildResult(o: BenchOptions, model: LoadModel, method: string, r: BenchRecorder, startMs: number, endMs: number): BenchResult {
  const open = model === 'open';
  const sortedEntries = <K extends string | number>(map: Map<K, number>) =>
    Object.fromEntries([...map.entries()].sort(([a], [b]) => String(a).localeCompare(String(b), 'en', { numeric: true })));
  return {
    kind: RESULT_KIND,
    version: RESULT_VERSION,
    model,
    host: hostname(),
    shard: o.shard,
    startMs,
    endMs,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    options: {
      url: o.url,
      connections: o.connections,
      durationMs: o.durationMs,
      amount: o.amount,
      rate: o.rate,
      shardRate: o.rate === null ? null : o.rate / o.shard.count,
      warmupMs: o.warmupMs,
      accept: o.accept,
      method,
      // Names only: values may hold an API token.
      headerNames: Object.keys(o.headers),
      images: o.images.map((image) => ({ name: image.name, bytes: image.bytes.length })),
      timeoutMs: o.timeoutMs,
    },
    requests: { sent: r.sent, completed: r.completed, ok: r.ok },
    bytesReceived: r.bytesReceived,
    latencyUs: summarize(r.latency),
    histogram: encodeHistogram(r.latency),
    uncorrectedLatencyUs: open ? summarize(r.uncorrected) : null,
    uncorrectedHistogram: open ? encodeHistogram(r.uncorrected) : null,
    perSecond: [...r.seconds.entries()]
      .filter(([, t]) => t.responses > 0)
      .sort(([a], [b]) => a - b)
      .map(([second, t]) => [second, t.responses, t.ok]),
    statuses: sortedEntries(r.statuses),
    errors: sortedEntries(r.errors),
    servedBy: sortedEntries(r.servedBy),
    timeline: buildTimeline(r.seconds, startMs, endMs),
  };
}
