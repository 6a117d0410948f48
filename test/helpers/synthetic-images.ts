// Images for tests, synthesised with sharp from raw pixels whose values the test knows.
import sharp, { type Sharp } from 'sharp';

export interface RawImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Deterministic pseudo-random bytes (mulberry32), so failures reproduce. */
export function noiseBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 255;
  }
  return out;
}

export function solid(width: number, height: number, colour: number[]): RawImage {
  const channels = colour.length as RawImage['channels'];
  const pixels = new Uint8Array(width * height * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = colour[i % channels]!;
  return { pixels, width, height, channels };
}

export function noise(width: number, height: number, channels: RawImage['channels'], seed = 1): RawImage {
  return { pixels: noiseBytes(width * height * channels, seed), width, height, channels };
}

/** r = x, g = 255 - x, b = y * 8 (mod 256): every red value once per row. */
export function gradient(width: number, height: number): RawImage {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = x & 255;
      pixels[i + 1] = 255 - (x & 255);
      pixels[i + 2] = (y * 8) & 255;
    }
  }
  return { pixels, width, height, channels: 3 };
}

/** A sharp pipeline over the raw image. */
export function fromRaw(image: RawImage): Sharp {
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

/** Decodes `bytes` with sharp, independently of the server, to 8-bit pixels. */
export async function decodeForReference(bytes: Uint8Array, gray = false): Promise<RawImage> {
  let pipeline = sharp(bytes, { page: 0, pages: 1 });
  pipeline = gray ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}
