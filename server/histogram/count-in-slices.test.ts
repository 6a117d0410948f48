import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countPixelsInSlices } from './count-in-slices.ts';

// The expected counts come from a plain loop over the bytes, written here.
function plainCounts(pixels: Uint8Array, channels: number) {
  const counts = Array.from({ length: channels }, () => new Array<number>(256).fill(0));
  const luma = new Array<number>(256).fill(0);
  for (let i = 0; i < pixels.length; i += channels) {
    for (let c = 0; c < channels; c++) counts[c]![pixels[i + c]!]!++;
    luma[channels >= 3 ? (19595 * pixels[i]! + 38470 * pixels[i + 1]! + 7471 * pixels[i + 2]! + 32768) >> 16 : pixels[i]!]!++;
  }
  return { counts, luma };
}

test('counts in slices exactly what a plain loop counts, for 1 to 4 channels and slices that split pixel groups', async () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 24;
  };
  for (const channels of [1, 2, 3, 4]) {
    const pixels = new Uint8Array(channels * 10_007); // a prime number of pixels: ragged last slice
    for (let i = 0; i < pixels.length; i++) pixels[i] = random();
    const expected = plainCounts(pixels, channels);
    for (const sliceBytes of [channels, 1000, 4096, 50_000, 1 << 20]) {
      const raw = await countPixelsInSlices(pixels, channels, sliceBytes);
      assert.deepEqual(
        raw.channels.map((c) => [...c]),
        expected.counts,
        `${channels} channels, ${sliceBytes}-byte slices`,
      );
      assert.deepEqual([...raw.luma], expected.luma, `${channels} channels luma, ${sliceBytes}-byte slices`);
    }
  }
});

test('lets the event loop turn between slices of a big image', async () => {
  const pixels = new Uint8Array(3 * 400_000);
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  await countPixelsInSlices(pixels, 3, 64 * 1024);
  clearInterval(ticker);
  assert.ok(turns > 0, 'a timer ran while the image was being counted');
});
