// Photo-like test images for the operations tests: smooth gradients, shapes and a little grain,
// so the JPEG has the size and decode cost of a real photo (pure noise would be far larger and
// a flat colour far cheaper).
import sharp from 'sharp';
import { noiseBytes } from './synthetic-images.ts';

/**
 * A `width` × `height` JPEG (quality 85) that looks like a photo: a diagonal colour gradient,
 * a few translucent shapes and ±12 levels of deterministic grain.
 */
export async function photoLikeJpeg(width: number, height: number, seed = 7): Promise<Buffer> {
  const pixels = new Uint8Array(width * height * 3);
  // Grain from a short noise table reused with an offset per row: cheap to make, still
  // irregular enough that the JPEG encoder cannot flatten it.
  const grain = noiseBytes(8191, seed);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    const gy = (y * 255) / height;
    for (let x = 0; x < width; x++) {
      const gx = (x * 255) / width;
      const n = (grain[(x + y * 31) % grain.length]! % 25) - 12;
      const i = row + x * 3;
      pixels[i] = clamp(gx * 0.8 + 30 + n);
      pixels[i + 1] = clamp(gy * 0.7 + 40 + n);
      pixels[i + 2] = clamp(200 - (gx + gy) * 0.3 + n);
    }
  }
  const r = Math.min(width, height);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <g>
      <circle cx="${width * 0.3}" cy="${height * 0.4}" r="${r * 0.2}" fill="rgb(230,190,60)" fill-opacity="0.8"/>
      <rect x="${width * 0.55}" y="${height * 0.5}" width="${width * 0.3}" height="${height * 0.35}" fill="rgb(40,90,50)" fill-opacity="0.7"/>
      <ellipse cx="${width * 0.7}" cy="${height * 0.25}" rx="${r * 0.25}" ry="${r * 0.1}" fill="rgb(250,250,250)" fill-opacity="0.6"/>
      <polygon points="0,${height} ${width * 0.4},${height * 0.6} ${width * 0.8},${height}" fill="rgb(70,60,50)" fill-opacity="0.75"/>
    </g></svg>`;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}
