// Merges the result lines of several bench pods into one report: latency percentiles from the
// sum of their HDR histograms (never averaged percentiles), counts summed, and rates from
// per-second counts added by wall-clock second; the pods' timelines merged second by second.
import type { Histogram } from 'hdr-histogram-js';
import type { BenchResult, MeasuredTotals } from '../bench/bench-result.ts';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, summarize, type LatencySummary } from '../bench/latency-histogram.ts';
import { mergeTimelines } from '../bench/timeline.ts';
import type { SloVerdict } from '../bench/slo-verdict.ts';

export const REPORT_KIND = 'histogram-bench-report';

/** Rates over one time window. */
export interface WindowRates {
  startMs: number;
  endMs: number;
  /** Whole wall-clock seconds the rates were computed over (all-pods window), or elapsed s. */
  seconds: number;
  completed: number;
  ok: number;
  reqPerSec: number;
  okPerSec: number;
}

export interface PodRow {
  host: string;
  shard: string;
  model: string;
  start: string;
  /** Milliseconds after the earliest pod started. */
  startSkewMs: number;
  elapsedMs: number;
  completed: number;
  ok: number;
  reqPerSec: number;
  errors: number;
  latencyUs: LatencySummary;
}

export interface MergedReport extends MeasuredTotals {
  kind: typeof REPORT_KIND;
  version: 1;
  pods: number;
  model: 'closed' | 'open' | 'mixed';
  urls: string[];
  /** Window in which every pod was measuring (null when they never overlapped by a whole second). */
  allRunning: WindowRates | null;
  /** From the first pod's start to the last pod's end. */
  whole: WindowRates;
  podRows: PodRow[];
  /** With `report --slo`: each objective met or missed over the merged run. */
  slo?: SloVerdict;
}

/** Adds decoded histograms into a fresh one. */
export function mergeHistograms(encoded: readonly string[]): Histogram {
  const merged = createLatencyHistogram();
  for (const text of encoded) merged.add(decodeHistogram(text));
  return merged;
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
}

/** Merges `results` (at least one). @throws Error when given none. */
export function mergeResults(results: readonly BenchResult[]): MergedReport {
  if (results.length === 0) throw new Error('Expected at least one bench result line but found none');
  const merged = mergeHistograms(results.map((r) => r.histogram));
  const allOpen = results.every((r) => r.uncorrectedHistogram !== null);
  const uncorrected = allOpen ? mergeHistograms(results.map((r) => r.uncorrectedHistogram!)) : null;

  const perSecond = new Map<number, [number, number]>();
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const servedBy: Record<string, number> = {};
  const requests = { sent: 0, completed: 0, ok: 0 };
  let bytesReceived = 0;
  for (const r of results) {
    for (const [second, all, ok] of r.perSecond) {
      const slot = perSecond.get(second) ?? [0, 0];
      slot[0] += all;
      slot[1] += ok;
      perSecond.set(second, slot);
    }
    addCounts(statuses, r.statuses);
    addCounts(errors, r.errors);
    addCounts(servedBy, r.servedBy);
    requests.sent += r.requests.sent;
    requests.completed += r.requests.completed;
    requests.ok += r.requests.ok;
    bytesReceived += r.bytesReceived;
  }

  const firstStart = Math.min(...results.map((r) => r.startMs));
  const lastEnd = Math.max(...results.map((r) => r.endMs));
  const wholeMs = lastEnd - firstStart;
  const models = new Set(results.map((r) => r.model));
  return {
    kind: REPORT_KIND,
    version: 1,
    pods: results.length,
    model: models.size === 1 ? [...models][0]! : 'mixed',
    urls: [...new Set(results.map((r) => r.options.url))],
    allRunning: allRunningWindow(results, perSecond),
    whole: {
      startMs: firstStart,
      endMs: lastEnd,
      seconds: wholeMs / 1000,
      completed: requests.completed,
      ok: requests.ok,
      reqPerSec: wholeMs > 0 ? (requests.completed * 1000) / wholeMs : 0,
      okPerSec: wholeMs > 0 ? (requests.ok * 1000) / wholeMs : 0,
    },
    requests,
    bytesReceived,
    latencyUs: summarize(merged),
    histogram: encodeHistogram(merged),
    uncorrectedLatencyUs: uncorrected ? summarize(uncorrected) : null,
    uncorrectedHistogram: uncorrected ? encodeHistogram(uncorrected) : null,
    perSecond: [...perSecond.entries()].sort(([a], [b]) => a - b).map(([s, [all, ok]]) => [s, all, ok]),
    statuses,
    errors,
    servedBy,
    timeline: mergeTimelines(results.map((r) => r.timeline ?? [])),
    podRows: results.map((r) => podRow(r, firstStart)).sort((a, b) => a.startSkewMs - b.startSkewMs || a.host.localeCompare(b.host)),
  };
}

/**
 * Rates over the whole wall-clock seconds in which every pod was measuring: from the latest
 * start to the earliest end. Partial seconds at the edges are left out, since their counts
 * cover only part of a second.
 */
function allRunningWindow(results: readonly BenchResult[], perSecond: Map<number, [number, number]>): WindowRates | null {
  const startMs = Math.max(...results.map((r) => r.startMs));
  const endMs = Math.min(...results.map((r) => r.endMs));
  const firstSecond = Math.ceil(startMs / 1000);
  const endSecond = Math.floor(endMs / 1000); // exclusive
  const seconds = endSecond - firstSecond;
  if (seconds < 1) return null;
  let completed = 0;
  let ok = 0;
  for (let s = firstSecond; s < endSecond; s++) {
    const slot = perSecond.get(s);
    completed += slot?.[0] ?? 0;
    ok += slot?.[1] ?? 0;
  }
  return { startMs, endMs, seconds, completed, ok, reqPerSec: completed / seconds, okPerSec: ok / seconds };
}

function podRow(r: BenchResult, firstStart: number): PodRow {
  const elapsedMs = r.endMs - r.startMs;
  return {
    host: r.host,
    shard: `${r.shard.index}/${r.shard.count}`,
    model: r.model,
    start: r.start,
    startSkewMs: r.startMs - firstStart,
    elapsedMs,
    completed: r.requests.completed,
    ok: r.requests.ok,
    reqPerSec: elapsedMs > 0 ? (r.requests.completed * 1000) / elapsedMs : 0,
    errors: Object.values(r.errors).reduce((a, b) => a + b, 0),
    latencyUs: r.latencyUs,
  };
}
