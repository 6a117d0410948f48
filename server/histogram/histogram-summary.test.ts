import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { analyzeImage } from './analyze-image.ts';

/** A PNG of raw 8-bit pixels (sharp writes them losslessly: the counts are known by construction). */
function png(width: number, height: number, channels: 1 | 2 | 3 | 4, pixels: number[]): Promise<Buffer> {
  return sharp(Buffer.from(pixels), { raw: { width, height, channels } }).png().toBuffer();
}

const base = { maxPixels: 1e6, channels: null };

test('an 8-bit image asked at depth 16 is counted at 8, and 1000 bins span its own 0..256 (by hand)', async () => {
  const summary = await analyzeImage(await png(2, 1, 1, [0, 255]), { ...base, bins: 1000, depth: 16 });
  assert.equal(summary.depth, 8);
  assert.deepEqual(summary.channels.luma!.binRange, [0, 256]);
  assert.equal(summary.histogram.length, 1000);
  // 255 · 1000 / 256 = 996.09…: bin 996
  assert.equal(summary.histogram[0], 1);
  assert.equal(summary.histogram[996], 1);
  assert.equal(summary.channels.luma!.max, 255);
});

test('mask=alpha counts the opaque pixels only; the statistics are over them (by hand)', async () => {
  // Two pixels: rgb(10,20,30) alpha 0 and rgb(200,100,50) alpha 7.
  const summary = await analyzeImage(await png(2, 1, 4, [10, 20, 30, 0, 200, 100, 50, 7]), { ...base, bins: 256, mask: 'alpha' });
  assert.equal(summary.mask, 'alpha');
  assert.equal(summary.counted, 1);
  assert.equal(summary.pixels, 2);
  assert.equal(summary.channels.red!.counts[200], 1);
  assert.equal(summary.channels.red!.counts[10], 0);
  assert.equal(summary.channels.red!.mean, 200);
  assert.equal(summary.channels.alpha!.counts[7], 1);
  // luma = (19595·200 + 38470·100 + 7471·50 + 32768) >> 16 = 8145318 >> 16 = 124
  assert.equal(summary.histogram[124], 1);
});

test('a mask that leaves no pixel gives empty counts over 0..1 for range data, and zero statistics', async () => {
  const summary = await analyzeImage(await png(1, 1, 2, [90, 0]), { ...base, bins: 4, mask: 'alpha', range: { kind: 'data' } });
  assert.equal(summary.counted, 0);
  assert.deepEqual(summary.channels.luma!.counts, [0, 0, 0, 0]);
  assert.deepEqual(summary.channels.luma!.binRange, [0, 1]);
  assert.equal(summary.channels.luma!.mean, 0);
});

test('mask=alpha on an image without alpha counts every pixel, and alpha is opaque for each', async () => {
  const summary = await analyzeImage(await png(3, 1, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]), { ...base, bins: 256, mask: 'alpha', channels: ['alpha', 'luma'] });
  assert.equal(summary.counted, 3);
  assert.equal(summary.channels.alpha!.counts[255], 3);
});

test('range data bins each channel over its own min..max; statistics stay over every pixel (by hand)', async () => {
  // red 10, 20, 30; green 100, 100, 100 (widened to 99.5..100.5).
  const summary = await analyzeImage(await png(3, 1, 3, [10, 100, 0, 20, 100, 0, 30, 100, 0]), { ...base, bins: 2, range: { kind: 'data' } });
  assert.equal(summary.range, 'data');
  assert.deepEqual(summary.channels.red!.counts, [1, 2]); // edges 10, 20, 30: 20 opens the last bin
  assert.deepEqual(summary.channels.red!.binRange, [10, 30]);
  assert.deepEqual(summary.channels.green!.binRange, [99.5, 100.5]);
  assert.deepEqual(summary.channels.green!.counts, [0, 3]);
  assert.equal(summary.channels.red!.mean, 20);
});

test('an explicit range leaves values outside it out of the counts, not out of the statistics', async () => {
  const summary = await analyzeImage(await png(3, 1, 1, [5, 50, 250]), { ...base, bins: 1, range: { kind: 'explicit', lo: 0, hi: 100 } });
  assert.equal(summary.range, 'explicit');
  assert.deepEqual(summary.histogram, [2]);
  assert.equal(summary.counted, 3);
  assert.equal(summary.channels.luma!.max, 250);
});
