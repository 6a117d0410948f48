import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramCsv } from './histogram-csv.ts';
import type { ChannelSummary } from '../histogram/histogram-summary.ts';

const stats = { mean: 0, stdev: 0, min: 0, max: 0, median: 0, p01: 0, p99: 0, entropy: 0 };
const channel = (counts: number[], binRange: [number, number]): ChannelSummary => ({ counts, binRange, ...stats });

test('range full: value is the lowest pixel value in each bin, at depth 8 and at depth 16 (by hand)', () => {
  const at8 = histogramCsv({ bins: 3, range: 'full', channels: { red: channel([1, 2, 3], [0, 256]), luma: channel([4, 5, 6], [0, 256]) } });
  // ⌈i × 256 / 3⌉: 0, 86, 171
  assert.equal(at8, 'value,red,luma\n0,1,4\n86,2,5\n171,3,6\n');
  const at16 = histogramCsv({ bins: 2, range: 'full', channels: { luma: channel([7, 8], [0, 65536]) } });
  assert.equal(at16, 'value,luma\n0,7\n32768,8\n');
});

test('range LO,HI: value is the lower edge of each bin (numpy linspace: i × step + lo)', () => {
  const csv = histogramCsv({ bins: 4, range: 'explicit', channels: { luma: channel([1, 0, 2, 3], [10, 20]) } });
  assert.equal(csv, 'value,luma\n10,1\n12.5,0\n15,2\n17.5,3\n');
});

test("range data: each channel's own lower edge beside its count, rows numbered by bin", () => {
  const csv = histogramCsv({ bins: 2, range: 'data', channels: { red: channel([3, 1], [0, 10]), green: channel([2, 2], [8.5, 9.5]) } });
  assert.equal(csv, 'bin,red_from,red,green_from,green\n0,0,3,8.5,2\n1,5,1,9,2\n');
});
