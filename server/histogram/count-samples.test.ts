import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countSamples, createSampleCounter } from './count-samples.ts';
import { countSamplesInSlices } from './count-in-slices.ts';

/** Deterministic samples (xorshift32) below 2^bits. */
function samples(n: number, bits: 8 | 16, seed: number): Uint8Array | Uint16Array {
  const out = bits === 8 ? new Uint8Array(n) : new Uint16Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % 2 ** bits;
  }
  return out;
}

/** The counts written plainly: one pixel at a time, luma with division instead of shifts. */
function reference(pixels: ArrayLike<number>, channels: number, shift: number, mask: boolean) {
  const size = 2 ** ((pixels instanceof Uint8Array ? 8 : 16) - shift);
  const counts = Array.from({ length: channels }, () => new Array<number>(size).fill(0));
  const luma = new Array<number>(size).fill(0);
  let counted = 0;
  for (let p = 0; p < pixels.length / channels; p++) {
    const px = Array.from({ length: channels }, (_, c) => pixels[p * channels + c]!);
    if (mask && (channels === 2 || channels === 4) && px[channels - 1] === 0) continue;
    counted++;
    const reduced = px.map((v) => Math.floor(v / 2 ** shift));
    reduced.forEach((v, c) => {
      counts[c]![v]!++;
    });
    luma[channels >= 3 ? Math.floor((19595 * reduced[0]! + 38470 * reduced[1]! + 7471 * reduced[2]! + 32768) / 65536) : reduced[0]!]!++;
  }
  return { counts, luma, counted };
}

const plain = (a: ArrayLike<number>) => Array.from(a);

for (const channels of [1, 2, 3, 4]) {
  test(`16-bit samples in ${channels} channel(s) are counted as they are at 16 bits and by their high byte at 8`, () => {
    const pixels = samples(997 * channels, 16, 5 + channels);
    for (const countBits of [16, 8] as const) {
      const got = countSamples(pixels, { channels, sampleBits: 16, countBits, maskAlpha: false });
      const want = reference(pixels, channels, 16 - countBits, false);
      assert.equal(got.counted, 997);
      assert.equal(got.luma.length, 2 ** countBits);
      assert.deepEqual(got.channels.map(plain), want.counts, `channels at ${countBits} bits`);
      assert.deepEqual(plain(got.luma), want.luma, `luma at ${countBits} bits`);
    }
  });
}

test('the brightest 16-bit pixel has luma 65535 (unsigned arithmetic, no overflow)', () => {
  const got = countSamples(new Uint16Array([65535, 65535, 65535]), { channels: 3, sampleBits: 16, countBits: 16, maskAlpha: false });
  // (19595 + 38470 + 7471) · 65535 + 32768 = 65536 · 65535 + 32768, >> 16 = 65535
  assert.equal(got.luma[65535], 1);
});

test('mask=alpha counts only pixels whose stored alpha is not 0, in every channel and luma', () => {
  for (const channels of [2, 4]) {
    const pixels = samples(400 * channels, 8, 9);
    // Every third pixel transparent, the others not.
    for (let p = 0; p < 400; p++) pixels[p * channels + channels - 1] = p % 3 === 0 ? 0 : Math.max(1, pixels[p * channels + channels - 1]!);
    const got = countSamples(pixels, { channels, sampleBits: 8, countBits: 8, maskAlpha: true });
    const want = reference(pixels, channels, 0, true);
    assert.equal(got.counted, want.counted);
    assert.equal(got.counted, 400 - 134);
    assert.deepEqual(got.channels.map(plain), want.counts);
    assert.deepEqual(plain(got.luma), want.luma);
    assert.equal(got.channels[channels - 1]![0], 0, 'no transparent pixel counted');
  }
});

test('a 16-bit alpha of 1 is not transparent: masked in, and counted in bin 0 of alpha at depth 8', () => {
  const got = countSamples(new Uint16Array([5000, 1, 6000, 0]), { channels: 2, sampleBits: 16, countBits: 8, maskAlpha: true });
  assert.equal(got.counted, 1);
  assert.equal(got.channels[0]![19], 1); // 5000 >> 8
  assert.equal(got.channels[1]![0], 1);
});

test('mask=alpha on samples without alpha counts every pixel', () => {
  const got = countSamples(new Uint8Array([1, 2, 3, 0, 0, 0]), { channels: 3, sampleBits: 8, countBits: 8, maskAlpha: true });
  assert.equal(got.counted, 2);
});

test('counting in slices gives the same counts as counting in one go', async () => {
  const pixels = samples(3 * 50_000, 16, 21);
  const options = { channels: 3, sampleBits: 16, countBits: 16, maskAlpha: false } as const;
  const whole = countSamples(pixels, options);
  const sliced = await countSamplesInSlices(pixels, options, 1000);
  assert.deepEqual(sliced.channels.map(plain), whole.channels.map(plain));
  assert.deepEqual(plain(sliced.luma), plain(whole.luma));
  assert.equal(sliced.counted, 50_000);
});

test('refuses a slice that is not whole pixels, 5 channels, and counting 8-bit samples at 16 bits', () => {
  assert.throws(() => createSampleCounter({ channels: 3, sampleBits: 8, countBits: 8, maskAlpha: false }).add(new Uint8Array(4)), RangeError);
  assert.throws(() => createSampleCounter({ channels: 5, sampleBits: 8, countBits: 8, maskAlpha: false }), RangeError);
  assert.throws(() => createSampleCounter({ channels: 1, sampleBits: 8, countBits: 16, maskAlpha: false }), RangeError);
});
