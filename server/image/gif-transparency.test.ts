import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { gifTransparentColour, paintTransparentPixels } from './gif-transparency.ts';
import { decodeImage } from './decode-image.ts';

/** GIF bytes up to the first image descriptor (what the reader looks at), built by hand. */
function gifHead(options: { global?: number[][]; transparent?: number; local?: number[][]; comment?: boolean }): Uint8Array {
  const bytes: number[] = [...Buffer.from('GIF89a', 'latin1'), 2, 0, 2, 0];
  const tableBits = (table: number[][]) => Math.log2(table.length) - 1;
  bytes.push(options.global ? 0x80 | tableBits(options.global) : 0, 0, 0);
  if (options.global) bytes.push(...options.global.flat());
  if (options.comment) bytes.push(0x21, 0xfe, 3, 0x61, 0x62, 0x63, 0); // a comment extension first
  if (options.transparent !== undefined) bytes.push(0x21, 0xf9, 4, 1, 0, 0, options.transparent, 0);
  bytes.push(0x2c, 0, 0, 0, 0, 2, 0, 2, 0, options.local ? 0x80 | tableBits(options.local) : 0);
  if (options.local) bytes.push(...options.local.flat());
  return new Uint8Array(bytes);
}

const GLOBAL = [
  [10, 20, 30],
  [200, 100, 50],
  [7, 8, 9],
  [1, 2, 3],
];

test('reads the transparent index colour from the global colour table, past other extensions', () => {
  assert.deepEqual(gifTransparentColour(gifHead({ global: GLOBAL, transparent: 2, comment: true })), [7, 8, 9]);
});

test("a frame's local colour table takes precedence over the global one", () => {
  const local = [
    [90, 91, 92],
    [93, 94, 95],
  ];
  assert.deepEqual(gifTransparentColour(gifHead({ global: GLOBAL, transparent: 1, local })), [93, 94, 95]);
});

test('no transparent index, an index beyond the table, or bytes that end early give null', () => {
  assert.equal(gifTransparentColour(gifHead({ global: GLOBAL })), null);
  assert.equal(gifTransparentColour(gifHead({ global: GLOBAL, transparent: 9 })), null);
  assert.equal(gifTransparentColour(gifHead({ global: GLOBAL, transparent: 2 }).subarray(0, 20)), null);
  assert.equal(gifTransparentColour(new Uint8Array(5)), null);
});

test('paints only the fully transparent pixels', () => {
  const rgba = new Uint8Array([0, 0, 0, 0, 5, 6, 7, 1, 0, 0, 0, 255]);
  paintTransparentPixels(rgba, [7, 8, 9]);
  assert.deepEqual(Array.from(rgba), [7, 8, 9, 0, 5, 6, 7, 1, 0, 0, 0, 255]);
});

const PYTHON = '/usr/bin/python3';
const pillow =
  existsSync(PYTHON) &&
  (() => {
    try {
      execFileSync(PYTHON, ['-c', 'import PIL'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

test("a GIF with a transparent index written by Pillow decodes to Pillow's RGBA: the palette colour, alpha 0", {
  skip: pillow ? false : 'needs Debian python3-pil under /usr/bin/python3 (installed by .ci/run)',
}, async () => {
  const script = `import sys, io
import numpy as np
from PIL import Image
a = np.zeros((6, 8), np.uint8); a[:3] = 1; a[3:, :4] = 2
im = Image.fromarray(a, "P"); im.putpalette([10, 20, 30, 200, 100, 50, 7, 8, 9] + [0] * 759)
out = io.BytesIO(); im.save(out, "GIF", transparency=2)
data = out.getvalue()
rgba = Image.open(io.BytesIO(data)).convert("RGBA").tobytes()
sys.stdout.buffer.write(len(data).to_bytes(4, "big") + data + rgba)`;
  const output = execFileSync(PYTHON, ['-c', script]);
  const length = output.readUInt32BE(0);
  const decoded = await decodeImage(new Uint8Array(output.subarray(4, 4 + length)), 1e8);
  assert.equal(decoded.channels, 4);
  assert.deepEqual(Buffer.from(decoded.pixels as Uint8Array), output.subarray(4 + length));
});
