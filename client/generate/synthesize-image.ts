// Synthetic test images (noise, gradient, checkerboard, photo-like), deterministic per seed,
// built as raw RGB pixels and encoded with sharp.
import sharp from 'sharp';
import { mulberry32, randomFloats } from './prng.ts';

import type { SyntheticFormat, SyntheticKind } from './synthetic-kinds.ts';

export { SYNTHETIC_FORMATS, SYNTHETIC_KINDS, type SyntheticFormat, type SyntheticKind } from './synthetic-kinds.ts';

export interface SynthesizeOptions {
  kind: SyntheticKind;
  width: number;
  height: number;
  format: SyntheticFormat;
  /** Same seed, same pixels (default 1). */
  seed?: number;
  /** JPEG/WebP quality 1..100 (default 80, sharp's default). Ignored for PNG. */
  quality?: number;
}

/** Largest side accepted: sharp/libvips handle more, but a test image never needs it. */
const MAX_SIDE = 20_000;

/**
 * Builds a synthetic RGB image and encodes it.
 * @throws RangeError when width/height are not integers in 1..20000 or quality not in 1..100.
 */
export async function synthesizeImage(o: SynthesizeOptions): Promise<Buffer> {
  for (const [name, value] of [
    ['width', o.width],
    ['height', o.height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
      throw new RangeError(`Expected integer between 1 and ${MAX_SIDE} for ${name} but received ${value}`);
    }
  }
  const quality = o.quality ?? 80;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new RangeError(`Expected integer between 1 and 100 for quality but received ${quality}`);
  }
  const pixels = synthesizePixels(o.kind, o.width, o.height, o.seed ?? 1);
  const image = sharp(pixels, { raw: { width: o.width, height: o.height, channels: 3 } });
  switch (o.format) {
    case 'png':
      return image.png().toBuffer();
    case 'jpeg':
      return image.jpeg({ quality }).toBuffer();
    case 'webp':
      return image.webp({ quality }).toBuffer();
    default:
      throw new RangeError(`Expected format png, jpeg or webp but received ${String(o.format)}`);
  }
}

/** The raw RGB bytes (row-major, 3 per pixel) of a synthetic image. */
export function synthesizePixels(kind: SyntheticKind, width: number, height: number, seed: number): Buffer {
  switch (kind) {
    case 'noise':
      return noise(width, height, seed);
    case 'gradient':
      return gradient(width, height, seed);
    case 'checkerboard':
      return checkerboard(width, height, seed);
    case 'photo':
      return photo(width, height, seed);
    default:
      throw new RangeError(`Expected kind noise, gradient, checkerboard or photo but received ${String(kind)}`);
  }
}

function noise(width: number, height: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(width * height * 3);
  const next = mulberry32(seed);
  // Four bytes from every 32-bit draw.
  let i = 0;
  for (; i + 4 <= out.length; i += 4) out.writeUInt32LE(next(), i);
  for (; i < out.length; i++) out[i] = next() & 0xff;
  return out;
}

function gradient(width: number, height: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(width * height * 3);
  const rand = randomFloats(seed);
  // Each channel runs along its own direction with its own phase, so seeds give distinct images.
  const dirs = [0, 1, 2].map(() => {
    const angle = rand() * 2 * Math.PI;
    return { dx: Math.cos(angle), dy: Math.sin(angle), phase: rand() };
  });
  const span = Math.max(width - 1, 1) + Math.max(height - 1, 1);
  let i = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const d of dirs) {
        // Triangle wave so the whole 0..255 range appears whatever the direction.
        const t = ((x * d.dx + y * d.dy) / span + d.phase + 2) % 1;
        out[i++] = Math.round(255 * (t < 0.5 ? 2 * t : 2 - 2 * t));
      }
    }
  }
  return out;
}

function checkerboard(width: number, height: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(width * height * 3);
  const rand = randomFloats(seed);
  const cell = Math.max(1, Math.round(Math.min(width, height) / (4 + Math.floor(rand() * 13))));
  // Seed 1 keeps the classic black/white board; other seeds pick two colours.
  const a = seed === 1 ? [0, 0, 0] : [0, 1, 2].map(() => Math.floor(rand() * 256));
  const b = seed === 1 ? [255, 255, 255] : a.map((v) => 255 - v);
  let i = 0;
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / cell);
    for (let x = 0; x < width; x++) {
      const c = (row + Math.floor(x / cell)) % 2 === 0 ? a : b;
      out[i++] = c[0]!;
      out[i++] = c[1]!;
      out[i++] = c[2]!;
    }
  }
  return out;
}

/** Smooth background, a few soft-edged blobs and mild grain: compresses like a photo. */
function photo(width: number, height: number, seed: number): Buffer {
  const rand = randomFloats(seed);
  const field = new Float32Array(width * height * 3);
  // Background: a bilinear blend of four corner colours (sky-to-ground like).
  const corners = [0, 1, 2, 3].map(() => [0, 1, 2].map(() => 30 + rand() * 200));
  const [c00, c10, c01, c11] = corners as [number[], number[], number[], number[]];
  for (let y = 0; y < height; y++) {
    const v = height > 1 ? y / (height - 1) : 0;
    for (let x = 0; x < width; x++) {
      const u = width > 1 ? x / (width - 1) : 0;
      const k = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        field[k + c] = (1 - v) * ((1 - u) * c00[c]! + u * c10[c]!) + v * ((1 - u) * c01[c]! + u * c11[c]!);
      }
    }
  }
  // Soft blobs, each painted only inside its bounding box to keep large images cheap.
  const side = Math.min(width, height);
  const blobs = 5 + Math.floor(rand() * 5);
  for (let n = 0; n < blobs; n++) {
    const cx = rand() * width;
    const cy = rand() * height;
    const r = side * (0.08 + rand() * 0.3);
    const colour = [0, 1, 2].map(() => rand() * 255);
    const opacity = 0.4 + rand() * 0.5;
    const hard = rand() < 0.4;
    const x0 = Math.max(0, Math.floor(cx - r));
    const x1 = Math.min(width - 1, Math.ceil(cx + r));
    const y0 = Math.max(0, Math.floor(cy - r));
    const y1 = Math.min(height - 1, Math.ceil(cy + r));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d2 = ((x - cx) ** 2 + (y - cy) ** 2) / (r * r);
        if (d2 >= 1) continue;
        const s = 1 - d2;
        // Soft blobs fall off to 0 at the rim; hard ones keep a crisp (1-pixel) edge like objects.
        const alpha = hard ? opacity * Math.min(1, (1 - Math.sqrt(d2)) * r) : opacity * s * s;
        const k = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) field[k + c] = field[k + c]! * (1 - alpha) + colour[c]! * alpha;
      }
    }
  }
  // Texture (low-amplitude ripples, like foliage or fabric) plus mild grain (±6) like sensor
  // noise, then clamp to bytes.
  const fx = (2 * Math.PI * (8 + rand() * 24)) / side;
  const fy = (2 * Math.PI * (8 + rand() * 24)) / side;
  const gx = (2 * Math.PI * (3 + rand() * 9)) / side;
  const next = mulberry32(seed ^ 0x9e3779b9);
  const out = Buffer.allocUnsafe(field.length);
  let i = 0;
  for (let y = 0; y < height; y++) {
    const ry = Math.sin(y * fy);
    const wy = 4 * Math.sin(y * gx * 0.7);
    for (let x = 0; x < width; x++) {
      const texture = 3 * Math.sin(x * fx + 2 * ry) + 3 * Math.sin(x * gx + wy);
      for (let c = 0; c < 3; c++, i++) {
        const grain = ((next() & 0xff) / 255 - 0.5) * 12;
        out[i] = Math.max(0, Math.min(255, Math.round(field[i]! + texture + grain)));
      }
    }
  }
  return out;
}
