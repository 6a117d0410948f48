// Exact 256-bin counting of interleaved 8-bit pixel buffers: one histogram per channel, plus
// luma by Pillow's ITU-R 601-2 fixed-point formula. Framework-free; runs in worker threads.
import { endianness } from 'node:os';

/** Counts per 8-bit value, 256 entries per channel, in the order of the buffer's channels. */
export interface RawCounts {
  /** channels[c][v]: pixels whose channel c has value v. */
  readonly channels: Uint32Array[];
  /** Luma counts (for 1–2 channel images: the gray channel itself). */
  readonly luma: Uint32Array;
}

// Pillow's convert("L"): L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16 (libImaging/Convert.c).
// Precomputed products turn three multiplies into three table loads; the rounding constant
// is folded into the red table.
const LUMA_R = new Int32Array(256);
const LUMA_G = new Int32Array(256);
const LUMA_B = new Int32Array(256);
for (let v = 0; v < 256; v++) {
  LUMA_R[v] = v * 19595 + 32768;
  LUMA_G[v] = v * 38470;
  LUMA_B[v] = v * 7471;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** The luma of one RGB pixel, exactly as Pillow computes it. */
export function lumaOf(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 32768) >> 16;
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
  // Flat table: [copy 0: channel 0..k][copy 1: channel 0..k], 256 entries each. Two copies,
  // alternating by pixel, so runs of equal values (flat areas, solid images) do not make each
  // increment wait for the previous store to the same slot.
  const slots = channelCount >= 3 ? channelCount + 1 : channelCount; // + luma for colour
  const table = new Uint32Array(slots * 2 * 256);
  let done = 0;
  if (LITTLE_ENDIAN) {
    const aligned = pixels.byteOffset % 4 === 0 ? pixels : pixels.slice();
    if (channelCount === 3) done = countRgbWords(aligned, table);
    else if (channelCount === 4) done = countRgbaWords(aligned, table);
  }
  countBytes(pixels, done, channelCount, table);
  return fold(table, channelCount, slots);
}

// RGB read as 32-bit little-endian words: 4 pixels in 3 words
// (w0 = r0 g0 b0 r1, w1 = g1 b1 r2 g2, w2 = b2 r3 g3 b3). Layout: r g b luma per copy.
function countRgbWords(pixels: Uint8Array, h: Uint32Array): number {
  const words = new Uint32Array(pixels.buffer, pixels.byteOffset, Math.floor(pixels.length / 12) * 3);
  const n = words.length;
  for (let i = 0; i < n; i += 3) {
    const w0 = words[i]!, w1 = words[i + 1]!, w2 = words[i + 2]!;
    let r = w0 & 255, g = (w0 >>> 8) & 255, b = (w0 >>> 16) & 255;
    h[r]!++; h[256 + g]!++; h[512 + b]!++; h[768 + ((LUMA_R[r]! + LUMA_G[g]! + LUMA_B[b]!) >> 16)]!++;
    r = w0 >>> 24; g = w1 & 255; b = (w1 >>> 8) & 255;
    h[1024 + r]!++; h[1280 + g]!++; h[1536 + b]!++; h[1792 + ((LUMA_R[r]! + LUMA_G[g]! + LUMA_B[b]!) >> 16)]!++;
    r = (w1 >>> 16) & 255; g = w1 >>> 24; b = w2 & 255;
    h[r]!++; h[256 + g]!++; h[512 + b]!++; h[768 + ((LUMA_R[r]! + LUMA_G[g]! + LUMA_B[b]!) >> 16)]!++;
    r = (w2 >>> 8) & 255; g = (w2 >>> 16) & 255; b = w2 >>> 24;
    h[1024 + r]!++; h[1280 + g]!++; h[1536 + b]!++; h[1792 + ((LUMA_R[r]! + LUMA_G[g]! + LUMA_B[b]!) >> 16)]!++;
  }
  return (n / 3) * 4;
}

// RGBA: one pixel per word. Layout: r g b a luma per copy.
function countRgbaWords(pixels: Uint8Array, h: Uint32Array): number {
  const words = new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length >>> 2);
  const n = words.length & ~1;
  for (let i = 0; i < n; i += 2) {
    const w0 = words[i]!, w1 = words[i + 1]!;
    let r = w0 & 255, g = (w0 >>> 8) & 255, b = (w0 >>> 16) & 255;
    h[r]!++; h[256 + g]!++; h[512 + b]!++; h[768 + (w0 >>> 24)]!++;
    h[1024 + ((LUMA_R[r]! + LUMA_G[g]! + LUMA_B[b]!) >> 16)]!++;
    r = w1 & 255; g = (w1 >>> 8) & 255; b = (w1 >>> 16) & 255;
    h[1280 + r]!++; h[1536 + g]!++; h[1792 + b]!++; h[2048 + (w1 >>> 24)]!++;
    h[2304 + ((LUMA_R[r]! + LUMA_G[g]! + LUMA_B[b]!) >> 16)]!++;
  }
  return n;
}

// Plain loop for what the word loops leave (tails, gray images, big-endian hosts).
function countBytes(pixels: Uint8Array, fromPixel: number, stride: number, h: Uint32Array): void {
  const n = pixels.length;
  if (stride >= 3) {
    const lumaSlot = stride * 256;
    for (let i = fromPixel * stride; i < n; i += stride) {
      const r = pixels[i]!, g = pixels[i + 1]!, b = pixels[i + 2]!;
      h[r]!++; h[256 + g]!++; h[512 + b]!++;
      if (stride === 4) h[768 + pixels[i + 3]!]!++;
      h[lumaSlot + ((LUMA_R[r]! + LUMA_G[g]! + LUMA_B[b]!) >> 16)]!++;
    }
    return;
  }
  const copy = stride * 256;
  const pair = stride * 2;
  let i = 0;
  for (; i + pair <= n; i += pair) {
    h[pixels[i]!]!++;
    h[copy + pixels[i + stride]!]!++;
  }
  for (; i < n; i += stride) h[pixels[i]!]!++;
  if (stride === 2) for (let j = 1; j < n; j += 2) h[256 + pixels[j]!]!++;
}

function fold(table: Uint32Array, channelCount: number, slots: number): RawCounts {
  const half = slots * 256;
  const merged = Array.from({ length: slots }, (_, s) => {
    const out = new Uint32Array(256);
    for (let v = 0; v < 256; v++) out[v] = table[s * 256 + v]! + table[half + s * 256 + v]!;
    return out;
  });
  const channels = merged.slice(0, channelCount);
  return { channels, luma: channelCount >= 3 ? merged[channelCount]! : channels[0]!.slice() };
}
