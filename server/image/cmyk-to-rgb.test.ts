import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cmykToRgb } from './cmyk-to-rgb.ts';
import { decodeImage } from './decode-image.ts';

// Pillow is the oracle: Debian's python3-pil 9.4 under /usr/bin/python3 (.ci/run installs it).
const PYTHON = '/usr/bin/python3';
const pillow = (() => {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import PIL'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const NEEDS_PILLOW = pillow ? false : 'needs Debian python3-pil under /usr/bin/python3 (installed by .ci/run)';

function python(script: string, input?: Uint8Array): Buffer {
  return execFileSync(PYTHON, ['-c', script], { input, maxBuffer: 64 << 20 });
}

test('C=128, K=64 gives R = 95 (by hand: nk = 191, MULDIV255(128, 191) = (24576 >> 8) + 24576 = 24672 >> 8 = 96)', () => {
  assert.deepEqual(Array.from(cmykToRgb(new Uint8Array([128, 0, 255, 64]))), [95, 191, 0]);
});

test("every C and K pair (and M, Y beside them) converts exactly as Pillow's convert('RGB')", { skip: NEEDS_PILLOW }, () => {
  // 256 × 256 pixels: C = x, K = y, M = 255 − x, Y = (x + y) mod 256.
  const cmyk = new Uint8Array(256 * 256 * 4);
  for (let y = 0; y < 256; y++) {
    for (let x = 0; x < 256; x++) cmyk.set([x, 255 - x, (x + y) % 256, y], (y * 256 + x) * 4);
  }
  const expected = python(
    'import sys\nfrom PIL import Image\nsys.stdout.buffer.write(Image.frombytes("CMYK", (256, 256), sys.stdin.buffer.read()).convert("RGB").tobytes())',
    cmyk,
  );
  assert.deepEqual(Buffer.from(cmykToRgb(cmyk)), expected);
});

for (const [format, save] of [
  ['JPEG', 'im.save(out, "JPEG", quality=95)'],
  ['TIFF', 'im.save(out, "TIFF")'],
] as const) {
  test(`a CMYK ${format} written by Pillow decodes to the RGB Pillow converts it to (no colour profile)`, { skip: NEEDS_PILLOW }, async () => {
    // Written and read back by Pillow; the expected RGB is Pillow's convert("RGB") of the file.
    const script = `import sys, io, json
from PIL import Image
import numpy as np
rng = np.random.default_rng(5)
im = Image.fromarray(rng.integers(0, 256, (24, 40, 4), dtype=np.uint8), "CMYK")
out = io.BytesIO()
${save}
data = out.getvalue()
rgb = Image.open(io.BytesIO(data)).convert("RGB").tobytes()
sys.stdout.buffer.write(len(data).to_bytes(4, "big") + data + rgb)`;
    const output = python(script);
    const length = output.readUInt32BE(0);
    const file = new Uint8Array(output.subarray(4, 4 + length));
    const rgb = output.subarray(4 + length);
    const decoded = await decodeImage(file, 1e8);
    assert.equal(decoded.space, 'cmyk');
    assert.equal(decoded.channelsInImage, 4);
    assert.equal(decoded.channels, 3);
    assert.deepEqual(Buffer.from(decoded.pixels as Uint8Array), rgb);
  });
}
