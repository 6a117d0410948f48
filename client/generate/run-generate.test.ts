import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { formatFromExtension, generateImages } from './run-generate.ts';
import { parseSize } from './synthetic-kinds.ts';

test('parses WIDTHxHEIGHT and rejects anything else', () => {
  assert.deepEqual(parseSize('512x512'), { width: 512, height: 512 });
  assert.deepEqual(parseSize('40X30'), { width: 40, height: 30 });
  assert.throws(() => parseSize('512'), { message: /Expected a size such as 512x512 but received "512"/ });
});

test('takes the format from the extension', () => {
  assert.equal(formatFromExtension('a.JPG'), 'jpeg');
  assert.equal(formatFromExtension('a.webp'), 'webp');
  assert.equal(formatFromExtension('a.gif'), undefined);
});

test('a set of 3 goes to <kind>-<seed>.<ext> with seeds seed..seed+2, all different', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'generate-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const written = await generateImages({ kind: 'gradient', width: 20, height: 10, format: 'jpeg', outDir: dir, count: 3, seed: 7 });
  assert.deepEqual((await readdir(dir)).sort(), ['gradient-7.jpg', 'gradient-8.jpg', 'gradient-9.jpg']);
  const pixels = await Promise.all(written.map((w) => sharp(w.path).raw().toBuffer()));
  assert.ok(!pixels[0]!.equals(pixels[1]!) && !pixels[1]!.equals(pixels[2]!));
});

test('refuses --count > 1 with a single --out file', async () => {
  await assert.rejects(generateImages({ kind: 'noise', width: 2, height: 2, out: 'x.png', count: 2 }), { message: /use --out-dir/ });
});
