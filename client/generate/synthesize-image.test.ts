import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { SYNTHETIC_FORMATS, SYNTHETIC_KINDS, synthesizeImage, synthesizePixels } from './synthesize-image.ts';

for (const kind of SYNTHETIC_KINDS) {
  for (const format of SYNTHETIC_FORMATS) {
    test(`${kind} as ${format} decodes to the requested 96×64 ${format}`, async () => {
      const data = await synthesizeImage({ kind, width: 96, height: 64, format, seed: 5 });
      const meta = await sharp(data).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], [format, 96, 64, 3]);
    });
  }
}

test('the same seed gives the same bytes; another seed other pixels', async () => {
  for (const kind of SYNTHETIC_KINDS) {
    const a = await synthesizeImage({ kind, width: 40, height: 30, format: 'jpeg', seed: 9 });
    const b = await synthesizeImage({ kind, width: 40, height: 30, format: 'jpeg', seed: 9 });
    assert.ok(a.equals(b), `${kind} is not deterministic`);
    const c = synthesizePixels(kind, 40, 30, 10);
    assert.ok(!synthesizePixels(kind, 40, 30, 9).equals(c), `${kind} ignores the seed`);
  }
});

test('PNG keeps the synthesized pixels exactly', async () => {
  const data = await synthesizeImage({ kind: 'noise', width: 33, height: 7, format: 'png', seed: 3 });
  const { data: decoded } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  assert.ok(decoded.equals(synthesizePixels('noise', 33, 7, 3)));
});

test('the seed-1 checkerboard is black and white cells with black top-left', () => {
  const pixels = synthesizePixels('checkerboard', 64, 64, 1);
  const values = new Set(pixels);
  assert.deepEqual(
    [...values].sort((a, b) => a - b),
    [0, 255],
  );
  assert.deepEqual([...pixels.subarray(0, 3)], [0, 0, 0]);
  // Each pixel is gray (r = g = b), as a black/white board must be.
  for (let i = 0; i < pixels.length; i += 3) assert.ok(pixels[i] === pixels[i + 1] && pixels[i] === pixels[i + 2]);
});

/** Mean absolute difference between horizontally adjacent samples: small for smooth images. */
function roughness(pixels: Buffer, width: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 3; i < pixels.length; i++) {
    if (Math.floor(i / 3) % width === 0) continue;
    sum += Math.abs(pixels[i]! - pixels[i - 3]!);
    n++;
  }
  return sum / n;
}

test('gradient and photo are smooth; noise is not', () => {
  // Uniform noise has a mean neighbour difference of 85 (E|U-V| = 255/3); smooth images a few.
  assert.ok(roughness(synthesizePixels('noise', 128, 128, 2), 128) > 70);
  assert.ok(roughness(synthesizePixels('gradient', 128, 128, 2), 128) < 6);
  assert.ok(roughness(synthesizePixels('photo', 128, 128, 2), 128) < 10);
});

test('a photo JPEG is several times smaller than a noise JPEG of the same size', async () => {
  const photo = await synthesizeImage({ kind: 'photo', width: 512, height: 512, format: 'jpeg', seed: 4 });
  const noise = await synthesizeImage({ kind: 'noise', width: 512, height: 512, format: 'jpeg', seed: 4 });
  assert.ok(photo.length * 3 < noise.length, `photo ${photo.length} B, noise ${noise.length} B`);
});

test('rejects sizes and qualities out of range with the value received', async () => {
  await assert.rejects(synthesizeImage({ kind: 'noise', width: 0, height: 5, format: 'png' }), { message: /width but received 0/ });
  await assert.rejects(synthesizeImage({ kind: 'noise', width: 5, height: 2.5, format: 'png' }), { message: /height but received 2.5/ });
  await assert.rejects(synthesizeImage({ kind: 'noise', width: 5, height: 5, format: 'jpeg', quality: 101 }), { message: /quality but received 101/ });
});
