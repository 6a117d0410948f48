// The suite's images, generated deterministically: the original benchmark's 512×512 noise PNG
// and photo-like JPEGs at 225×225, 1920×1080 and 4000×3000 (12 MP).
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeImage, type SynthesizeOptions } from '../client/generate/synthesize-image.ts';

export interface SuiteImage {
  /** Short label used in tables, e.g. "1920×1080 JPEG". */
  label: string;
  file: string;
  bytes: Buffer;
  /** The role the image plays in the targets. */
  role: 'original' | 'small' | 'hd' | '12mp';
}

const SPECS: ReadonlyArray<{ label: string; role: SuiteImage['role']; options: SynthesizeOptions }> = [
  { label: '512×512 noise PNG', role: 'original', options: { kind: 'noise', width: 512, height: 512, format: 'png', seed: 1 } },
  { label: '225×225 JPEG', role: 'small', options: { kind: 'photo', width: 225, height: 225, format: 'jpeg', seed: 2 } },
  { label: '1920×1080 JPEG', role: 'hd', options: { kind: 'photo', width: 1920, height: 1080, format: 'jpeg', seed: 3 } },
  { label: '4000×3000 JPEG', role: '12mp', options: { kind: 'photo', width: 4000, height: 3000, format: 'jpeg', seed: 4 } },
];

/** Generates the images into a temporary folder (also what bench/multipart.lua can upload). */
export async function generateSuiteImages(log: (line: string) => void): Promise<SuiteImage[]> {
  const dir = join(tmpdir(), 'histogram-bench-images');
  await mkdir(dir, { recursive: true });
  const images: SuiteImage[] = [];
  for (const spec of SPECS) {
    const bytes = await synthesizeImage(spec.options);
    const o = spec.options;
    const file = join(dir, `${o.kind}-${o.width}x${o.height}.${o.format === 'jpeg' ? 'jpg' : o.format}`);
    await writeFile(file, bytes);
    log(`image ${spec.label}: ${bytes.length} bytes at ${file}`);
    images.push({ label: spec.label, file, bytes, role: spec.role });
  }
  return images;
}
