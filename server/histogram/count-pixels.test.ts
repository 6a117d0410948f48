import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countPixels, lumaOf } from './count-pixels.ts';
import { referenceHistogram } from '../../test/helpers/reference-histogram.ts';
import { noiseBytes } from '../../test/helpers/synthetic-images.ts';

test('matches a plain per-pixel count for every channel layout and awkward lengths', () => {
  for (const channels of [1, 2, 3, 4]) {
    for (const pixels of [0, 1, 2, 3, 4, 5, 7, 11, 12, 13, 1000, 4099]) {
      const buffer = noiseBytes(pixels * channels, pixels * 7 + channels);
      const got = countPixels(buffer, channels);
      const expected = referenceHistogram(buffer, channels);
      got.channels.forEach((counts, c) => {
        assert.deepEqual(Array.from(counts), expected.channels[c], `${channels} channels, ${pixels} pixels, channel ${c}`);
      });
      assert.deepEqual(Array.from(got.luma), expected.luma, `${channels} channels, ${pixels} pixels, luma`);
    }
  }
});

test('counts a buffer that starts at an unaligned offset', () => {
  const backing = noiseBytes(3 * 1001 + 1, 99);
  const view = backing.subarray(1); // byteOffset 1: not readable as 32-bit words in place
  const got = countPixels(view, 3);
  const expected = referenceHistogram(view, 3);
  assert.deepEqual(Array.from(got.channels[0]!), expected.channels[0]);
  assert.deepEqual(Array.from(got.luma), expected.luma);
});

test('counts a solid image of one million pixels as one full bin per channel', () => {
  const buffer = new Uint8Array(1_000_000 * 4);
  for (let i = 0; i < buffer.length; i += 4) buffer.set([255, 0, 10, 128], i);
  const got = countPixels(buffer, 4);
  assert.equal(got.channels[0]![255], 1_000_000);
  assert.equal(got.channels[1]![0], 1_000_000);
  assert.equal(got.channels[2]![10], 1_000_000);
  assert.equal(got.channels[3]![128], 1_000_000);
  assert.equal(got.luma[77], 1_000_000); // (19595·255 + 7471·10 + 32768) >> 16 = 77
});

test('luma of gray pixels is the gray value itself, for all 256 values', () => {
  for (let v = 0; v < 256; v++) assert.equal(lumaOf(v, v, v), v);
});

test('rejects a buffer length that is not a whole number of pixels', () => {
  assert.throws(() => countPixels(new Uint8Array(7), 3), RangeError);
  assert.throws(() => countPixels(new Uint8Array(8), 5), RangeError);
});
