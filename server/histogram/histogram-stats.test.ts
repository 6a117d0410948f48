import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelStats, percentile, rebin } from './histogram-stats.ts';

function countsOf(values: number[]): number[] {
  const counts = new Array<number>(256).fill(0);
  for (const v of values) counts[v]!++;
  return counts;
}

test('computes mean, stdev, min, max and median of a small set by hand', () => {
  // values 0, 10, 10, 20: mean 10, population variance (100 + 0 + 0 + 100) / 4 = 50
  const stats = channelStats(countsOf([0, 10, 10, 20]));
  assert.equal(stats.mean, 10);
  assert.equal(stats.stdev, Math.round(Math.sqrt(50) * 1e6) / 1e6);
  assert.equal(stats.min, 0);
  assert.equal(stats.max, 20);
  assert.equal(stats.median, 10); // nearest rank ceil(0.5·4) = 2nd value
  assert.equal(stats.entropy, 1.5); // p = 1/4, 1/2, 1/4: 0.5 + 0.5 + 0.5 bits
});

test('uses nearest-rank percentiles: p01 and p99 of 1..100 are 1 and 99', () => {
  const counts = countsOf(Array.from({ length: 100 }, (_, i) => i + 1));
  assert.equal(percentile(counts, 100, 0.01), 1);
  assert.equal(percentile(counts, 100, 0.99), 99);
  const stats = channelStats(counts);
  assert.equal(stats.p01, 1);
  assert.equal(stats.p99, 99);
  assert.equal(stats.median, 50);
});

test('gives zero entropy and stdev for a solid channel, and 8 bits for a uniform one', () => {
  const solid = channelStats(countsOf([200, 200, 200]));
  assert.deepEqual([solid.stdev, solid.entropy, solid.min, solid.max, solid.median], [0, 0, 200, 200, 200]);
  const uniform = channelStats(new Array(256).fill(3));
  assert.equal(uniform.entropy, 8);
  assert.equal(uniform.mean, 127.5);
});

test('returns zeros for an empty histogram', () => {
  assert.deepEqual(channelStats(new Array(256).fill(0)), { mean: 0, stdev: 0, min: 0, max: 0, median: 0, p01: 0, p99: 0, entropy: 0 });
});

test('rebins 256 values into equal-width bins: bins=2 splits at 128, bins=3 at 86 and 171', () => {
  const ones = new Array(256).fill(1);
  assert.deepEqual(rebin(ones, 2), [128, 128]);
  // floor(v·3/256): v = 0..85 → 0 (86 values), 86..170 → 1 (85), 171..255 → 2 (85)
  assert.deepEqual(rebin(ones, 3), [86, 85, 85]);
  assert.deepEqual(rebin(ones, 1), [256]);
  assert.deepEqual(rebin(ones, 256), ones);
});
