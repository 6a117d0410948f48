// Exact 256-bin counting of interleaved 8-bit pixel buffers: one histogram per channel, plus
// luma by Pillow's ITU-R 601-2 fixed-point formula. Framework-free; runs in worker threads.
// The work is done by a small WebAssembly kernel (count-kernel.wat), 2-3x faster than the same
// loop in JavaScript; the last few pixels (and gray+alpha) use the plain loop below.
import { endianness } from 'node:os';
import { COUNT_KERNEL_WASM_BASE64 } from './count-kernel-wasm.ts';

/** Counts per 8-bit value, 256 entries per channel, in the order of the buffer's channels. */
export interface RawCounts {
  /** channels[c][v]: pixels whose channel c has value v. */
  readonly channels: Uint32Array[];
  /** Luma counts (for 1–2 channel images: the gray channel itself). */
  readonly luma: Uint32Array;
}

/** The luma of one RGB pixel, exactly as Pillow computes it (libImaging/Convert.c). */
export function lumaOf(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 32768) >> 16;
}

// Precomputed products turn three multiplies into three table loads; the rounding constant is
// folded into the red table. Shared by the kernel (copied into its memory) and the JS loop.
const LUMA = new Int32Array(768);
for (let v = 0; v < 256; v++) {
  LUMA[v] = v * 19595 + 32768;
  LUMA[256 + v] = v * 38470;
  LUMA[512 + v] = v * 7471;
}

// Kernel memory layout: see count-kernel.wat.
const HISTOGRAMS_AT = 3072;
const SLOTS = 5; // red, green, blue, alpha, luma
const PIXELS_AT = 16384;
const CHUNK_BYTES = 786_432; // a multiple of 12: whole groups of pixels for every kernel

type KernelFunction = (at: number, pixels: number) => void;

interface Kernel {
  bytes: Uint8Array;
  histograms: Uint32Array;
  /** By bytes per pixel: the kernel, and the multiple of pixels it counts at a time. */
  byChannels: Partial<Record<number, { count: KernelFunction; unit: number }>>;
}

// wasm memory is little-endian; typed-array views of it read right only on little-endian hosts.
const kernel: Kernel | null = endianness() === 'LE' ? loadKernel() : null;

function loadKernel(): Kernel {
  const module = new WebAssembly.Module(Buffer.from(COUNT_KERNEL_WASM_BASE64, 'base64'));
  const exports = new WebAssembly.Instance(module).exports as Record<'countRgb' | 'countRgba' | 'countGray', KernelFunction> & { memory: WebAssembly.Memory };
  const buffer = exports.memory.buffer; // fixed size: the kernel never grows its memory
  new Int32Array(buffer, 0, 768).set(LUMA);
  return {
    bytes: new Uint8Array(buffer),
    histograms: new Uint32Array(buffer, HISTOGRAMS_AT, 2 * SLOTS * 256),
    byChannels: {
      1: { count: exports.countGray, unit: 4 },
      3: { count: exports.countRgb, unit: 4 },
      4: { count: exports.countRgba, unit: 2 },
    },
  };
}

/**
 * Counts every value of every channel of `pixels`, interleaved with `channelCount` (1 gray,
 * 2 gray+alpha, 3 RGB, 4 RGBA) bytes per pixel, and the luma of each pixel.
 * @throws {RangeError} when channelCount is not 1–4 or does not divide the buffer length.
 */
export function countPixels(pixels: Uint8Array, channelCount: number): RawCounts {
  if (!(channelCount >= 1 && channelCount <= 4) || pixels.length % channelCount !== 0) {
    throw new RangeError(`expected 1–4 channels dividing ${pixels.length} bytes, got ${channelCount}`);
  }
  const counts = Array.from({ length: SLOTS }, () => new Uint32Array(256));
  let done = 0;
  if (kernel) done = countWithKernel(kernel, pixels, channelCount, counts);
  countBytes(pixels, done * channelCount, channelCount, counts);
  const channels = counts.slice(0, channelCount);
  if (channelCount === 3) return { channels, luma: counts[4]! };
  if (channelCount === 4) {
    channels[3] = counts[3]!;
    return { channels, luma: counts[4]! };
  }
  return { channels, luma: counts[0]!.slice() };
}

// Copies the pixels into the kernel's memory a chunk at a time (so its memory stays small
// whatever the image) and counts them there; returns how many pixels it counted (all but the
// last few that do not fill the kernel's unit).
function countWithKernel(k: Kernel, pixels: Uint8Array, channelCount: number, counts: Uint32Array[]): number {
  const kernelFor = k.byChannels[channelCount];
  if (!kernelFor) return 0;
  const { count, unit } = kernelFor;
  const total = pixels.length / channelCount;
  const chunkPixels = CHUNK_BYTES / channelCount;
  k.histograms.fill(0);
  let done = 0;
  while (total - done >= unit) {
    const n = Math.min(chunkPixels, Math.floor((total - done) / unit) * unit);
    k.bytes.set(pixels.subarray(done * channelCount, (done + n) * channelCount), PIXELS_AT);
    count(PIXELS_AT, n);
    done += n;
  }
  const copy = SLOTS * 256;
  for (let slot = 0; slot < SLOTS; slot++) {
    const out = counts[slot]!;
    for (let v = 0; v < 256; v++) out[v] = k.histograms[slot * 256 + v]! + k.histograms[copy + slot * 256 + v]!;
  }
  return done;
}

// The plain loop: the kernel's leftovers, gray+alpha, and big-endian hosts.
// counts: red/gray, green/alpha-of-gray, blue, alpha, luma.
function countBytes(pixels: Uint8Array, from: number, stride: number, counts: Uint32Array[]): void {
  const n = pixels.length;
  if (stride >= 3) {
    const [r, g, b, a, l] = counts as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    for (let i = from; i < n; i += stride) {
      const rv = pixels[i]!, gv = pixels[i + 1]!, bv = pixels[i + 2]!;
      r[rv]!++;
      g[gv]!++;
      b[bv]!++;
      if (stride === 4) a[pixels[i + 3]!]!++;
      l[(LUMA[rv]! + LUMA[256 + gv]! + LUMA[512 + bv]!) >> 16]!++;
    }
    return;
  }
  const gray = counts[0]!;
  for (let i = from; i < n; i += stride) gray[pixels[i]!]!++;
  if (stride === 2) for (let j = from + 1; j < n; j += 2) counts[1]![pixels[j]!]!++;
}
