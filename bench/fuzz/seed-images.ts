// The valid images the fuzz mutates: one small image per format and variant the server decodes,
// synthesised with sharp from deterministic pixels, so a run seed reproduces the same inputs.
import sharp, { type Sharp } from 'sharp';

export interface SeedImage {
  /** Format and variant, e.g. "png-palette"; also the label in the summary. */
  name: string;
  /** What the server reports in `format` for it. */
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif' | 'heif';
  bytes: Buffer;
  width: number;
  /** Height of one frame. */
  height: number;
  frames: number;
}

/** A variant sharp could not write here (e.g. HEIF/HEVC in sharp's prebuilt libvips). */
export interface SkippedSeed {
  name: string;
  reason: string;
}

// Smooth gradients plus a little noise: compressible like a photo, every value range touched.
function pixels(width: number, height: number, channels: number, salt: number): Buffer {
  const out = Buffer.alloc(width * height * channels);
  let state = (salt * 2654435761) >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const base =
          c === 0 ? (x * 255) / width : c === 1 ? (y * 255) / height : c === 2 ? ((x + y) * 128) / (width + height) + salt * 9 : 255 - (x * 200) / width;
        out[(y * width + x) * channels + c] = (base + (state >>> 28) - 8 + 256) & 255;
      }
    }
  }
  return out;
}

function raw(width: number, height: number, channels: 1 | 2 | 3 | 4, salt = 1): Sharp {
  return sharp(pixels(width, height, channels, salt), { raw: { width, height, channels } });
}

async function animated(width: number, height: number, frames: number, channels: 3 | 4): Promise<Sharp> {
  const pages = await Promise.all(
    Array.from({ length: frames }, (_, i) =>
      raw(width, height, channels, i + 1)
        .png()
        .toBuffer(),
    ),
  );
  return sharp(pages, { join: { animated: true } });
}

interface Recipe {
  name: string;
  format: SeedImage['format'];
  width: number;
  height: number;
  frames?: number;
  make: () => Promise<Buffer>;
}

const W = 48;
const H = 32;

const RECIPES: Recipe[] = [
  { name: 'jpeg-baseline', format: 'jpeg', width: W, height: H, make: () => raw(W, H, 3).jpeg({ quality: 85 }).toBuffer() },
  { name: 'jpeg-progressive', format: 'jpeg', width: 64, height: 48, make: () => raw(64, 48, 3, 2).jpeg({ progressive: true, quality: 80 }).toBuffer() },
  { name: 'jpeg-gray', format: 'jpeg', width: W, height: H, make: () => raw(W, H, 1).toColourspace('b-w').jpeg().toBuffer() },
  { name: 'jpeg-cmyk', format: 'jpeg', width: W, height: H, make: () => raw(W, H, 3, 3).toColourspace('cmyk').jpeg().toBuffer() },
  {
    name: 'jpeg-420-large',
    format: 'jpeg',
    width: 320,
    height: 240,
    make: () => raw(320, 240, 3, 4).jpeg({ quality: 70, chromaSubsampling: '4:2:0' }).toBuffer(),
  },
  { name: 'png-rgb8', format: 'png', width: W, height: H, make: () => raw(W, H, 3).png().toBuffer() },
  { name: 'png-rgba8', format: 'png', width: W, height: H, make: () => raw(W, H, 4).png().toBuffer() },
  { name: 'png-rgb16', format: 'png', width: W, height: H, make: () => raw(W, H, 3, 5).toColourspace('rgb16').png().toBuffer() },
  { name: 'png-gray8', format: 'png', width: W, height: H, make: () => raw(W, H, 1).toColourspace('b-w').png().toBuffer() },
  { name: 'png-gray16', format: 'png', width: W, height: H, make: () => raw(W, H, 1, 6).toColourspace('grey16').png().toBuffer() },
  { name: 'png-gray-alpha', format: 'png', width: W, height: H, make: () => raw(W, H, 2).toColourspace('b-w').png().toBuffer() },
  { name: 'png-palette', format: 'png', width: W, height: H, make: () => raw(W, H, 3, 7).png({ palette: true, colours: 64 }).toBuffer() },
  { name: 'png-palette-alpha', format: 'png', width: W, height: H, make: () => raw(W, H, 4, 8).png({ palette: true, colours: 16 }).toBuffer() },
  { name: 'png-interlaced', format: 'png', width: W, height: H, make: () => raw(W, H, 4, 9).png({ progressive: true }).toBuffer() },
  { name: 'webp-lossy', format: 'webp', width: W, height: H, make: () => raw(W, H, 3).webp({ quality: 80 }).toBuffer() },
  { name: 'webp-lossless', format: 'webp', width: W, height: H, make: () => raw(W, H, 3, 2).webp({ lossless: true }).toBuffer() },
  { name: 'webp-alpha', format: 'webp', width: W, height: H, make: () => raw(W, H, 4, 3).webp({ quality: 75 }).toBuffer() },
  { name: 'webp-animated', format: 'webp', width: 32, height: 24, frames: 3, make: async () => (await animated(32, 24, 3, 4)).webp().toBuffer() },
  { name: 'gif', format: 'gif', width: W, height: H, make: () => raw(W, H, 3, 4).gif().toBuffer() },
  { name: 'gif-animated', format: 'gif', width: 32, height: 24, frames: 3, make: async () => (await animated(32, 24, 3, 3)).gif().toBuffer() },
  { name: 'tiff-lzw', format: 'tiff', width: W, height: H, make: () => raw(W, H, 3).tiff({ compression: 'lzw' }).toBuffer() },
  { name: 'tiff-deflate-rgba', format: 'tiff', width: W, height: H, make: () => raw(W, H, 4).tiff({ compression: 'deflate' }).toBuffer() },
  { name: 'tiff-jpeg', format: 'tiff', width: W, height: H, make: () => raw(W, H, 3, 5).tiff({ compression: 'jpeg' }).toBuffer() },
  { name: 'tiff-16bit', format: 'tiff', width: W, height: H, make: () => raw(W, H, 3, 6).toColourspace('rgb16').tiff({ compression: 'none' }).toBuffer() },
  { name: 'avif', format: 'avif', width: W, height: H, make: () => raw(W, H, 3).avif({ quality: 60, effort: 0 }).toBuffer() },
  { name: 'avif-alpha', format: 'avif', width: W, height: H, make: () => raw(W, H, 4, 2).avif({ quality: 60, effort: 0 }).toBuffer() },
  { name: 'heif-hevc', format: 'heif', width: W, height: H, make: () => raw(W, H, 3).heif({ compression: 'hevc' }).toBuffer() },
];

/** Writes every seed image sharp can write here; the others are listed as skipped with why. */
export async function makeSeedImages(): Promise<{ seeds: SeedImage[]; skipped: SkippedSeed[] }> {
  const seeds: SeedImage[] = [];
  const skipped: SkippedSeed[] = [];
  for (const recipe of RECIPES) {
    try {
      const bytes = await recipe.make();
      seeds.push({ name: recipe.name, format: recipe.format, bytes, width: recipe.width, height: recipe.height, frames: recipe.frames ?? 1 });
    } catch (error) {
      skipped.push({ name: recipe.name, reason: (error as Error).message });
    }
  }
  return { seeds, skipped };
}
