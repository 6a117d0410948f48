import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countPixels, createPixelCounter, lumaOf, type RawCounts } from './count-pixels.ts';
import { referenceHistogram, type ReferenceHistogram } from '../../test/helpers/reference-histogram.ts';
import { noiseBytes } from '../../test/helpers/synthetic-images.ts';

function assertSameCounts(got: RawCounts, expected: ReferenceHistogram, what: string): void {
  assert.equal(got.channels.length, expected.channels.length, `${what}: channel count`);
  got.channels.forEach((counts, c) => {
    assert.deepEqual(Array.from(counts), expected.channels[c], `${what}, channel ${c}`);
  });
  assert.deepEqual(Array.from(got.luma), expected.luma, `${what}, luma`);
}

// Smooth rows with runs of equal pixels, as in photographs: equal neighbours land on the same
// histogram counters back to back, which noise almost never does.
function runsOfPixels(pixels: number, channels: number, seed: number): Uint8Array {
  const noise = noiseBytes(pixels * channels, seed);
  const out = new Uint8Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) {
      const i = p * channels + c;
      out[i] = p % 37 < 20 && p > 0 ? out[i - channels]! : noise[i]!;
    }
  }
  return out;
}

// Deterministic slice lengths in pixels: mostly a few pixels (below and across the kernel's
// units of 8 and 16 pixels), sometimes empty, sometimes large.
function slicing(pixels: number, seed: number): number[] {
  const draws = noiseBytes(4096, seed);
  const out: number[] = [];
  let left = pixels;
  for (let i = 0; left > 0; i++) {
    const d = draws[i % draws.length]!;
    const length = d < 20 ? 0 : d < 200 ? 1 + (d % 23) : 500 + d * 40;
    out.push(Math.min(left, length));
    left -= Math.min(left, length);
  }
  return out;
}

test('matches a plain per-pixel count for every channel layout and awkward lengths', () => {
  for (const channels of [1, 2, 3, 4]) {
    for (const pixels of [0, 1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 15, 16, 17, 31, 33, 1000, 4099]) {
      const buffer = noiseBytes(pixels * channels, pixels * 7 + channels);
      assertSameCounts(countPixels(buffer, channels), referenceHistogram(buffer, channels), `${channels} channels, ${pixels} pixels`);
    }
  }
});

test('matches a plain per-pixel count for images with runs of equal pixels and for images larger than one kernel chunk', () => {
  for (const channels of [1, 2, 3, 4]) {
    const buffer = runsOfPixels(300_000, channels, 40 + channels); // 0.3–1.2 MB: one or more 768 KiB chunks
    assertSameCounts(countPixels(buffer, channels), referenceHistogram(buffer, channels), `${channels} channels`);
  }
});

test('computes luma exactly for every red and green value with blues across the range', () => {
  // 256 × 256 × 5 pixels, ordered so each vector of pixels mixes values; includes 0 and 255.
  const blues = [0, 1, 127, 254, 255];
  const buffer = new Uint8Array(256 * 256 * blues.length * 3);
  let i = 0;
  for (const b of blues) {
    for (let g = 0; g < 256; g++) {
      for (let r = 0; r < 256; r++) buffer.set([r, (g + r) & 255, b], i++ * 3);
    }
  }
  assertSameCounts(countPixels(buffer, 3), referenceHistogram(buffer, 3), 'all red–green pairs');
});

test('gives the same counts as a plain per-pixel count for any slicing, every channel layout', () => {
  for (const channels of [1, 2, 3, 4]) {
    for (const [pixels, seed] of [
      [5000, 1],
      [20_011, 2],
      [120_000, 3],
    ] as const) {
      const buffer = seed === 2 ? runsOfPixels(pixels, channels, seed) : noiseBytes(pixels * channels, seed * 10 + channels);
      const counter = createPixelCounter(channels);
      let at = 0;
      for (const length of slicing(pixels, seed * 100 + channels)) {
        counter.add(buffer.subarray(at * channels, (at + length) * channels));
        at += length;
      }
      assert.equal(at, pixels);
      assertSameCounts(counter.finish(), referenceHistogram(buffer, channels), `${channels} channels, ${pixels} pixels in slices`);
    }
  }
});

test('keeps counters that are in progress at the same time apart', () => {
  const rgb = noiseBytes(3 * 9001, 5);
  const gray = runsOfPixels(7003, 1, 6);
  const rgba = noiseBytes(4 * 5003, 7);
  const counters = [createPixelCounter(3), createPixelCounter(1), createPixelCounter(4)] as const;
  const buffers = [rgb, gray, rgba] as const;
  const step = [3 * 37, 1 * 101, 4 * 13]; // bytes per slice: different and not multiples of each other
  for (let round = 0; ; round++) {
    let busy = false;
    buffers.forEach((buffer, i) => {
      const from = round * step[i]!;
      if (from < buffer.length) {
        counters[i]!.add(buffer.subarray(from, from + step[i]!));
        busy = true;
      }
    });
    if (!busy) break;
  }
  assertSameCounts(counters[0].finish(), referenceHistogram(rgb, 3), 'rgb');
  assertSameCounts(counters[1].finish(), referenceHistogram(gray, 1), 'gray');
  assertSameCounts(counters[2].finish(), referenceHistogram(rgba, 4), 'rgba');
});

test('counts a buffer that starts at an unaligned offset', () => {
  const backing = noiseBytes(3 * 1001 + 1, 99);
  const view = backing.subarray(1); // byteOffset 1: not readable as 32-bit words in place
  assertSameCounts(countPixels(view, 3), referenceHistogram(view, 3), 'offset 1');
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
  assert.throws(() => createPixelCounter(3).add(new Uint8Array(7)), /whole number of 3-byte pixels, got 7 bytes/);
});

test('rejects a channel count outside 1–4 when a counter is created', () => {
  for (const channels of [0, 5, 2.5, Number.NaN]) {
    assert.throws(() => createPixelCounter(channels), /expected 1–4 channels/);
  }
});

test('refuses add() and finish() once a counter has finished', () => {
  const counter = createPixelCounter(1);
  counter.add(new Uint8Array([1, 2, 3]));
  assert.equal(counter.finish().channels[0]![2], 1);
  assert.throws(() => counter.add(new Uint8Array(1)), /after finish/);
  assert.throws(() => counter.finish(), /twice/);
});
