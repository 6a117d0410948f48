// Merging pods' results: percentiles come from the summed histograms (checked against the exact
// percentile of the union of the raw latencies), counts and per-second rates add up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BenchRecorder } from '../bench/bench-recorder.ts';
import { buildResult } from '../bench/build-result.ts';
import { extractResults, toResultLine, type BenchResult } from '../bench/bench-result.ts';
import type { BenchOptions } from '../bench/bench-options.ts';
import { mergeResults } from './merge-results.ts';

const OPTIONS: BenchOptions = {
  url: 'http://127.0.0.1:1/v1/histogram',
  images: [],
  accept: 'json',
  headers: {},
  connections: 4,
  durationMs: 10_000,
  amount: null,
  rate: null,
  warmupMs: 0,
  timeoutMs: 30_000,
  shard: { index: 0, count: 3 },
  untilReadyMs: null,
  startAt: null,
};

/** A deterministic pseudo-random sequence (LCG), so the test needs no fixtures. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A pod's result line built through the bench's own recorder from known latencies (µs). */
function podLine(host: string, index: number, latenciesUs: number[], startMs: number): string {
  const recorder = new BenchRecorder();
  for (const us of latenciesUs) recorder.recordResponse(200, us, 100, `replica-${index % 2}`);
  recorder.recordResponse(503, 50, 80, `replica-${index % 2}`);
  recorder.recordError('timeout');
  const result = buildResult({ ...OPTIONS, shard: { index, count: 3 } }, 'closed', 'POST', recorder, startMs, startMs + 10_000);
  // The wall clock of the test is not the pods' clock: lay their counts out over their window.
  const perSecond: Array<[number, number, number]> = [];
  for (let s = 0; s < 10; s++) perSecond.push([Math.floor(startMs / 1000) + s, 100 * (index + 1), 100 * (index + 1)]);
  return `[pod/${host}] ${toResultLine({ ...result, host, perSecond })}`;
}

/** The exact percentile of raw values: the smallest value with at least p % of values at or below. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

test('merging three pods with very different latencies gives the exact p99 of the union', () => {
  const rand = lcg(42);
  const fast = Array.from({ length: 20_000 }, () => 1_000 + Math.round(rand() * 9_000)); // 1–10 ms
  const slow = Array.from({ length: 1_500 }, () => 200_000 + Math.round(rand() * 700_000)); // 0.2–0.9 s
  const mid = Array.from({ length: 3_000 }, () => 40_000 + Math.round(rand() * 20_000)); // 40–60 ms
  const logs = [
    'some unrelated log line',
    podLine('bench-0', 0, fast, 1_700_000_000_000),
    '{"msg":"listening","port":8080}',
    podLine('bench-1', 1, slow, 1_700_000_000_000 + 1_500),
    podLine('bench-2', 2, mid, 1_700_000_000_000 + 700),
  ].join('\n');

  const results: BenchResult[] = extractResults(logs);
  assert.equal(results.length, 3);
  const report = mergeResults(results);
  const union = [...fast, ...slow, ...mid];
  for (const p of [50, 90, 99, 99.9]) {
    const exact = exactPercentile(union, p);
    const merged = { 50: report.latencyUs.p50, 90: report.latencyUs.p90, 99: report.latencyUs.p99, 99.9: report.latencyUs.p999 }[p]!;
    // 3 significant figures: a value is reported as its bucket's upper end, within 0.1 %.
    assert.ok(merged >= exact && merged <= exact * 1.001 + 1, `p${p}: merged ${merged} µs, exact ${exact} µs`);
  }
  // The mistake this guards against: the mean of the pods' p99s is far from the truth.
  const averagedP99 = results.reduce((sum, r) => sum + r.latencyUs.p99, 0) / results.length;
  assert.ok(Math.abs(averagedP99 - exactPercentile(union, 99)) > 100_000);
  assert.equal(report.latencyUs.count, union.length);
  const max = Math.max(...union);
  assert.ok(report.latencyUs.max >= max && report.latencyUs.max <= max * 1.001, 'max survives the merge within HDR precision');
});

test('merging sums counts, statuses and per-replica spread, and rates per wall-clock second', () => {
  const base = 1_700_000_000_000;
  const results = extractResults([podLine('a', 0, [1000, 2000], base), podLine('b', 1, [3000], base + 1_500), podLine('c', 2, [4000], base + 700)].join('\n'));
  const report = mergeResults(results);
  assert.deepEqual(report.requests, { sent: 0, completed: 7, ok: 4 });
  assert.deepEqual(report.statuses, { 200: 4, 503: 3 });
  assert.deepEqual(report.errors, { timeout: 3 });
  assert.deepEqual(report.servedBy, { 'replica-0': 5, 'replica-1': 2 });
  // Whole run: base .. base + 11.5 s. All running: base + 1.5 s .. base + 10 s, whole seconds 2..9.
  assert.equal(report.whole.seconds, 11.5);
  assert.ok(report.allRunning);
  assert.equal(report.allRunning.seconds, 8);
  // Seconds 2..9 (relative): pod a (100/s) runs to 9, b (200/s) from 1 (its 1.5 s start floors to 1), c (300/s) from 0.
  assert.equal(report.allRunning.reqPerSec, 600);
  assert.deepEqual(
    report.podRows.map((p) => [p.host, p.startSkewMs]),
    [
      ['a', 0],
      ['c', 700],
      ['b', 1_500],
    ],
  );
});
