// Independent reference implementations for tests: plain per-pixel loops, written for
// obviousness rather than speed, and Pillow (Debian's python3-pil) for luma.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ReferenceHistogram {
  /** counts[c][v] for each channel of the buffer. */
  channels: number[][];
  /** Luma by the ITU-R 601-2 fixed-point formula (gray: the gray channel). */
  luma: number[];
}

/** Counts `pixels` (interleaved, `channelCount` bytes per pixel) one pixel at a time. */
export function referenceHistogram(pixels: Uint8Array, channelCount: number): ReferenceHistogram {
  const channels = Array.from({ length: channelCount }, () => new Array<number>(256).fill(0));
  const luma = new Array<number>(256).fill(0);
  for (let p = 0; p < pixels.length / channelCount; p++) {
    const px = Array.from(pixels.subarray(p * channelCount, (p + 1) * channelCount));
    px.forEach((value, c) => {
      channels[c]![value]!++;
    });
    const l = channelCount >= 3 ? Math.floor((19595 * px[0]! + 38470 * px[1]! + 7471 * px[2]! + 32768) / 65536) : px[0]!;
    luma[l]!++;
  }
  return { channels, luma };
}

/** Groups 256 counts into `bins` equal-width bins, the obvious way. */
export function referenceRebin(counts: number[], bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  const width = 256 / bins;
  counts.forEach((count, value) => {
    out[Math.min(bins - 1, Math.floor(value / width))]! += count;
  });
  return out;
}

export const PILLOW_PYTHON = '/usr/bin/python3';

/** True when Debian's python3 with PIL is installed (.ci/run installs python3-pil). */
export function pillowAvailable(): boolean {
  if (!existsSync(PILLOW_PYTHON)) return false;
  try {
    execFileSync(PILLOW_PYTHON, ['-c', 'import PIL'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pillow's Image.frombytes("RGB", ...).convert("L").histogram() of raw RGB bytes. */
export function pillowLumaHistogram(rgb: Uint8Array, width: number, height: number): number[] {
  const script = `import sys, json
from PIL import Image
data = sys.stdin.buffer.read()
print(json.dumps(Image.frombytes("RGB", (${width}, ${height}), data).convert("L").histogram()))`;
  const out = execFileSync(PILLOW_PYTHON, ['-c', script], { input: rgb, maxBuffer: 1 << 20 });
  return JSON.parse(out.toString()) as number[];
}
