// The per-second timeline: which seconds a window covers, how a second's outcomes are counted,
// and how pods' timelines merge on wall-clock seconds (histograms added, never percentiles
// averaged). Expected values are worked out by hand from the recorded values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline, mergeTimelines, SecondTally } from './timeline.ts';
import { decodeHistogram } from './latency-histogram.ts';

/** A tally holding 2xx latencies (µs), non-2xx responses and failures, all from `replica`. */
function tally(latencies: number[], non2xx = 0, failures: string[] = [], replica = 'pod-a'): SecondTally {
  const t = new SecondTally();
  for (const us of latencies) t.response(us, replica);
  for (let i = 0; i < non2xx; i++) t.response(null, replica);
  for (const kind of failures) t.failure(kind);
  return t;
}

/** The exact nearest-rank percentile of `values`, as HdrHistogram defines it. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

test('a window from 10.250 s to 13.100 s covers seconds 10 to 13, the quiet one included, with 750, 1000, 1000 and 100 ms', () => {
  const tallies = new Map([
    [10, tally([1000])],
    [12, tally([2000, 3000])],
  ]);
  const timeline = buildTimeline(tallies, 10_250, 13_100);
  assert.deepEqual(
    timeline.map((s) => [s.second, s.coveredMs, s.pods, s.responses]),
    [
      [10, 750, 1, 1],
      [11, 1000, 1, 0],
      [12, 1000, 1, 2],
      [13, 100, 1, 0],
    ],
  );
  assert.equal(timeline[1]!.histogram, null, 'a second without 2xx has no histogram');
  assert.equal(timeline[1]!.latencyUs.count, 0);
});

test('a second counts 2xx, non-2xx, timeouts and other failures apart, and its histogram holds only the 2xx', () => {
  const [second] = buildTimeline(new Map([[5, tally([100, 200, 300], 2, ['timeout', 'ECONNRESET', 'timeout'])]]), 5000, 6000);
  assert.equal(second!.responses, 5);
  assert.equal(second!.ok, 3);
  assert.equal(second!.non2xx, 2);
  assert.equal(second!.timeouts, 2);
  assert.equal(second!.errors, 1);
  assert.deepEqual(second!.servedBy, { 'pod-a': 5 });
  assert.equal(decodeHistogram(second!.histogram!).totalCount, 3);
  assert.equal(second!.latencyUs.max, 300);
  assert.equal(second!.latencyUs.p50, 200);
});

test("two pods' timelines merge on wall-clock seconds: counts summed, replicas kept apart, p99 that of all the second's responses", () => {
  // Pod A: 99 fast responses (1..99 ms) in second 100; pod B: 1 slow one (900 ms) in second 100
  // and 4 in second 101. Averaging the pods' p99s would give about (99 + 900) / 2 ms.
  const fast = Array.from({ length: 99 }, (_, i) => (i + 1) * 1000);
  const a = buildTimeline(new Map([[100, tally(fast, 1, [], 'replica-1')]]), 100_000, 101_000);
  const b = buildTimeline(
    new Map([
      [100, tally([900_000], 0, ['timeout'], 'replica-2')],
      [101, tally([5000, 6000, 7000, 8000], 0, [], 'replica-2')],
    ]),
    100_400,
    101_600,
  );
  const merged = mergeTimelines([a, b]);
  assert.deepEqual(
    merged.map((s) => [s.second, s.pods, s.coveredMs, s.responses, s.ok, s.non2xx, s.timeouts]),
    [
      [100, 2, 1000, 101, 100, 1, 1],
      [101, 1, 600, 4, 4, 0, 0],
    ],
  );
  assert.deepEqual(merged[0]!.servedBy, { 'replica-1': 100, 'replica-2': 1 });
  const all = [...fast, 900_000];
  for (const p of [50, 99] as const) {
    const exact = exactPercentile(all, p);
    const got = merged[0]!.latencyUs[p === 50 ? 'p50' : 'p99'];
    assert.ok(Math.abs(got - exact) <= exact * 0.001, `p${p}: merged ${got} µs, exact ${exact} µs`);
  }
  assert.equal(decodeHistogram(merged[0]!.histogram!).totalCount, 100);
});

test('a pod line without a timeline (an older client) merges as no seconds', () => {
  const a = buildTimeline(new Map([[7, tally([10])]]), 7000, 8000);
  assert.deepEqual(
    mergeTimelines([a, []]).map((s) => [s.second, s.responses]),
    [[7, 1]],
  );
});

test('the terminal table groups a 65-second timeline three seconds a row (22 rows), each row summing its seconds', async () => {
  const { formatTimeline } = await import('./format-timeline.ts');
  const tallies = new Map(Array.from({ length: 65 }, (_, k) => [1000 + k, tally([1000 * (k + 1)], k % 2)] as const));
  const table = formatTimeline(buildTimeline(tallies, 1_000_000, 1_065_000));
  const rows = table.split('\n').slice(3);
  assert.equal(rows.length, 22);
  assert.match(table, /3 s per row/);
  // Row 0 holds seconds 0-2: 3 × 2xx, non-2xx from seconds 1 (one); p99 of 1, 2, 3 ms is 3 ms.
  assert.deepEqual(rows[0]!.trim().split(/\s{2,}/), ['0-3', '4', '3', '1', '0', '2.00 ms', '3.00 ms', '1']);
  // The last row holds second 63 and 64 only.
  assert.match(rows[21]!, /^\s*63-65\s/);
});
