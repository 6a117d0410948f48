// Exact counting for the paths the 8-bit kernel does not take: 16-bit samples (counted at 16
// bits, or reduced to their high byte) and alpha masks. Plain loops, framework-free; the
// default request (8-bit image, depth 8, no mask) never comes here.
import type { RawCounts } from './count-pixels.ts';

export interface SampleCountOptions {
  /** Interleaved samples per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** Bits per sample in the buffer: 8 (Uint8Array) or 16 (Uint16Array). */
  sampleBits: 8 | 16;
  /** Bits to count at: 8, or 16 for 16-bit samples; 16-bit samples counted at 8 keep their high byte. */
  countBits: 8 | 16;
  /** Count only pixels whose alpha (the last sample, as stored) is not 0; images without alpha count every pixel. */
  maskAlpha: boolean;
}

/** Raw counts (each array 2^countBits long) and how many pixels they count. */
export interface SampleCounts extends RawCounts {
  counted: number;
}

/** Counts the pixels of one image handed over in slices of whole pixels. */
export interface SampleCounter {
  /** @throws {RangeError} when the slice is not a whole number of pixels. */
  add(samples: Uint8Array | Uint16Array): void;
  /** The counts so far; the counter must not be used afterwards. */
  finish(): SampleCounts;
}

/**
 * Starts counting samples as `options` says. Luma is Pillow's fixed-point Rec. 601 formula
 * (19595·R + 38470·G + 7471·B + 32768) >> 16 on the samples at the depth counted (exact in
 * unsigned 32-bit arithmetic at 16 bits too: the largest sum is 65535·65536 + 32768 < 2^32);
 * for 1–2 channels luma is the gray sample itself.
 * @throws {RangeError} when channels is not 1–4 or countBits exceeds sampleBits.
 */
export function createSampleCounter(options: SampleCountOptions): SampleCounter {
  const { channels: stride, sampleBits, countBits, maskAlpha } = options;
  if (!(stride >= 1 && stride <= 4 && Number.isInteger(stride))) throw new RangeError(`expected 1–4 channels, got ${stride}`);
  if (countBits > sampleBits) throw new RangeError(`cannot count ${sampleBits}-bit samples at ${countBits} bits`);
  const size = 2 ** countBits;
  const shift = sampleBits - countBits;
  const counts = Array.from({ length: stride }, () => new Uint32Array(size));
  const luma = new Uint32Array(size);
  const mask = maskAlpha && (stride === 2 || stride === 4);
  let counted = 0;
  return {
    add(samples) {
      if (samples.length % stride !== 0) throw new RangeError(`expected a whole number of ${stride}-sample pixels, got ${samples.length} samples`);
      const n = samples.length;
      if (stride >= 3) {
        const [red, green, blue] = counts as [Uint32Array, Uint32Array, Uint32Array];
        const alpha = counts[3];
        for (let i = 0; i < n; i += stride) {
          if (mask && samples[i + 3] === 0) continue;
          counted++;
          const r = samples[i]! >> shift;
          const g = samples[i + 1]! >> shift;
          const b = samples[i + 2]! >> shift;
          red[r]!++;
          green[g]!++;
          blue[b]!++;
          if (alpha) alpha[samples[i + 3]! >> shift]!++;
          luma[(r * 19595 + g * 38470 + b * 7471 + 32768) >>> 16]!++;
        }
        return;
      }
      const gray = counts[0]!;
      const alpha = counts[1];
      for (let i = 0; i < n; i += stride) {
        if (mask && samples[i + 1] === 0) continue;
        counted++;
        gray[samples[i]! >> shift]!++;
        if (alpha) alpha[samples[i + 1]! >> shift]!++;
      }
    },
    finish() {
      return { channels: counts, luma: stride >= 3 ? luma : counts[0]!.slice(), counted };
    },
  };
}

/** Counts `samples` in one go; see createSampleCounter. */
export function countSamples(samples: Uint8Array | Uint16Array, options: SampleCountOptions): SampleCounts {
  const counter = createSampleCounter(options);
  counter.add(samples);
  return counter.finish();
}
