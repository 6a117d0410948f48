// The programmatic API behind `client generate`: writes synthetic images to files, returns
// what it wrote and prints nothing.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { synthesizeImage, type SyntheticFormat, type SyntheticKind } from './synthesize-image.ts';

export interface GenerateOptions {
  kind: SyntheticKind;
  width: number;
  height: number;
  /** Default: from `out`'s extension (.png .jpg .jpeg .webp), else png. */
  format?: SyntheticFormat;
  /** The file for a single image. */
  out?: string;
  /** Folder for a set: `<kind>-<seed>.<ext>`, one per seed. */
  outDir?: string;
  /** Images to write (default 1); image k uses seed + k, so all differ. */
  count?: number;
  seed?: number;
  quality?: number;
}

export interface GeneratedImage {
  path: string;
  bytes: number;
  seed: number;
}

/** `jpeg` for `a.jpg`, undefined for an extension that names no supported format. */
export function formatFromExtension(path: string): SyntheticFormat | undefined {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  if (ext === 'png' || ext === 'webp') return ext;
  return undefined;
}

const EXTENSIONS: Record<SyntheticFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/**
 * Writes the images, creating folders as needed.
 * @throws Error when neither or both of out/outDir are given, when count > 1 with `out`, or
 *   (RangeError from synthesizeImage) for sizes out of range.
 */
export async function generateImages(o: GenerateOptions): Promise<GeneratedImage[]> {
  const count = o.count ?? 1;
  const seed = o.seed ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error(`Expected a whole number >= 1 for count but received ${count}`);
  if (!Number.isInteger(seed)) throw new Error(`Expected an integer seed but received ${seed}`);
  if (!o.out === !o.outDir) throw new Error('give either --out FILE or --out-dir DIR');
  if (o.out && count > 1) throw new Error(`--out names one file but --count is ${count}: use --out-dir`);
  const format = o.format ?? (o.out ? formatFromExtension(o.out) : undefined) ?? 'png';
  const written: GeneratedImage[] = [];
  for (let k = 0; k < count; k++) {
    const imageSeed = seed + k;
    const path = o.out ?? join(o.outDir!, `${o.kind}-${imageSeed}.${EXTENSIONS[format]}`);
    const data = await synthesizeImage({ kind: o.kind, width: o.width, height: o.height, format, seed: imageSeed, quality: o.quality });
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
    written.push({ path, bytes: data.length, seed: imageSeed });
  }
  return written;
}
