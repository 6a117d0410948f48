// Exact 256-bin counting of interleaved 8-bit pixel buffers: one histogram per channel, plus
// luma by Pillow's ITU-R 601-2 fixed-point formula. Framework-free; runs on any thread.
// The work is done by a small WebAssembly SIMD kernel (count-kernel.wat); the last few pixels of
// each slice, and every pixel on a big-endian host, use the plain loop at the end of this file.
import { endianness } from 'node:os';
import { COUNT_KERNEL_WASM_BASE64 } from './count-kernel-wasm.ts';

/** Counts per 8-bit value, 256 entries per channel, in the order of the buffer's channels. */
export interface RawCounts {
  /** channels[c][v]: pixels whose channel c has value v. */
  readonly channels: Uint32Array[];
  /** Luma counts (for 1–2 channel images: the gray channel itself). */
  readonly luma: Uint32Array;
}

/** Counts the pixels of one image handed over in slices; see createPixelCounter. */
export interface PixelCounter {
  /**
   * Counts the next slice of the image: a whole number of pixels, following the previous slice.
   * The slice is read during the call only; the caller may reuse its memory afterwards.
   * @throws {RangeError} when the slice is not a whole number of pixels.
   * @throws {Error} after finish().
   */
  add(pixels: Uint8Array): void;
  /**
   * The counts of every pixel added so far. Ends the counter: add() and finish() throw after it.
   * @throws {Error} when called twice.
   */
  finish(): RawCounts;
}

/** The luma of one RGB pixel, exactly as Pillow computes it (libImaging/Convert.c). */
export function lumaOf(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 32768) >> 16;
}

// Precomputed products turn three multiplies into three table loads in the plain loop; the
// rounding constant is folded into the red table.
const LUMA = new Int32Array(768);
for (let v = 0; v < 256; v++) {
  LUMA[v] = v * 19595 + 32768;
  LUMA[256 + v] = v * 38470;
  LUMA[512 + v] = v * 7471;
}

// Kernel memory layout: see count-kernel.wat.
const SLOTS = 5; // red (or gray), green (or alpha of gray), blue, alpha, luma
const HISTOGRAMS_AT = 1024;
const PIXELS_AT = 32768;
const CHUNK_BYTES = 786_432; // a multiple of 48: whole units for every kernel

type KernelFunction = (at: number, pixels: number) => void;

interface KernelFor {
  count: KernelFunction;
  /** The kernel counts a multiple of this many pixels. */
  unit: number;
}

interface Kernel {
  bytes: Uint8Array;
  /** Copy 0 of the SLOTS histograms; fold() adds the other copies into it. */
  counts: Uint32Array;
  fold: () => void;
  byChannels: Record<1 | 2 | 3 | 4, KernelFor>;
}

// wasm memory is little-endian; typed-array views of it read right only on little-endian hosts.
const kernel: Kernel | null = endianness() === 'LE' ? loadKernel() : null;

function loadKernel(): Kernel {
  const module = new WebAssembly.Module(Buffer.from(COUNT_KERNEL_WASM_BASE64, 'base64'));
  const exports = new WebAssembly.Instance(module).exports as Record<'countGray' | 'countGrayAlpha' | 'countRgb' | 'countRgba', KernelFunction> & {
    fold: () => void;
    memory: WebAssembly.Memory;
  };
  const buffer = exports.memory.buffer; // fixed size: the kernel never grows its memory
  return {
    bytes: new Uint8Array(buffer),
    counts: new Uint32Array(buffer, HISTOGRAMS_AT, SLOTS * 256),
    fold: exports.fold,
    byChannels: {
      1: { count: exports.countGray, unit: 16 },
      2: { count: exports.countGrayAlpha, unit: 8 },
      3: { count: exports.countRgb, unit: 16 },
      4: { count: exports.countRgba, unit: 16 },
    },
  };
}

function checkChannelCount(channelCount: number): asserts channelCount is 1 | 2 | 3 | 4 {
  if (!(channelCount === 1 || channelCount === 2 || channelCount === 3 || channelCount === 4)) {
    throw new RangeError(`expected 1–4 channels, got ${channelCount}`);
  }
}

/**
 * Starts counting an image of `channelCount` (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) interleaved
 * bytes per pixel that arrives in slices, so a big image can be counted a slice at a time
 * between other work on the same thread. Any slicing gives the same counts as countPixels on the
 * whole buffer. The counter keeps its counts in its own array between add() calls (each call
 * copies them into the kernel's memory and back, 5 KiB each way), so any number of counters may
 * be in progress at once on one thread.
 * @throws {RangeError} when channelCount is not 1–4.
 */
export function createPixelCounter(channelCount: number): PixelCounter {
  checkChannelCount(channelCount);
  const counts = new Uint32Array(SLOTS * 256); // slot s at s * 256
  let finished = false;
  return {
    add(pixels: Uint8Array): void {
      if (finished) throw new Error('add() called after finish()');
      if (pixels.length % channelCount !== 0) {
        throw new RangeError(`expected a whole number of ${channelCount}-byte pixels, got ${pixels.length} bytes`);
      }
      const done = kernel ? countWithKernel(kernel, kernel.byChannels[channelCount], pixels, channelCount, counts) : 0;
      countBytes(pixels, done * channelCount, channelCount, counts);
    },
    finish(): RawCounts {
      if (finished) throw new Error('finish() called twice');
      finished = true;
      const slot = (s: number) => counts.subarray(s * 256, (s + 1) * 256);
      const channels = Array.from({ length: channelCount }, (_, c) => slot(c));
      return { channels, luma: channelCount >= 3 ? slot(4) : slot(0).slice() };
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
  const counter = createPixelCounter(channelCount);
  counter.add(pixels);
  return counter.finish();
}

// Moves `counts` into the kernel's memory, copies the pixels there a chunk at a time (so its
// memory stays small whatever the image) and counts them, and moves the counts back; returns how
// many pixels it counted (all but the last few that do not fill the kernel's unit).
function countWithKernel(k: Kernel, kernelFor: KernelFor, pixels: Uint8Array, channelCount: number, counts: Uint32Array): number {
  const { count, unit } = kernelFor;
  const total = Math.floor(pixels.length / channelCount / unit) * unit;
  if (total === 0) return 0;
  const chunkPixels = CHUNK_BYTES / channelCount;
  k.counts.set(counts);
  for (let done = 0; done < total; ) {
    const n = Math.min(chunkPixels, total - done);
    k.bytes.set(pixels.subarray(done * channelCount, (done + n) * channelCount), PIXELS_AT);
    count(PIXELS_AT, n);
    done += n;
  }
  k.fold();
  counts.set(k.counts);
  return total;
}

// The plain loop: the kernel's leftovers and big-endian hosts. counts: slots of 256 at
// 0 red/gray, 256 green/alpha-of-gray, 512 blue, 768 alpha, 1024 luma.
function countBytes(pixels: Uint8Array, from: number, stride: number, counts: Uint32Array): void {
  const n = pixels.length;
  if (stride >= 3) {
    for (let i = from; i < n; i += stride) {
      const rv = pixels[i]!,
        gv = pixels[i + 1]!,
        bv = pixels[i + 2]!;
      counts[rv]!++;
      counts[256 + gv]!++;
      counts[512 + bv]!++;
      if (stride === 4) counts[768 + pixels[i + 3]!]!++;
      counts[1024 + ((LUMA[rv]! + LUMA[256 + gv]! + LUMA[512 + bv]!) >> 16)]!++;
    }
    return;
  }
  for (let i = from; i < n; i += stride) counts[pixels[i]!]!++;
  if (stride === 2) for (let j = from + 1; j < n; j += 2) counts[256 + pixels[j]!]!++;
}
