// The suite's images: the old benchmark's own 512×512 random-noise PNG (generated), real
// photographs from Debian's mate-backgrounds package (progressive and baseline, with and
// without chroma subsampling) and images derived from them with sharp. Without the photos,
// synthetic stand-ins of the same size and encoding take their place, and the tables say so.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { synthesizeImage } from '../client/generate/synthesize-image.ts';
import { ROOT } from './suite-processes.ts';
import type { ImageClass, SuiteImageInfo } from './suite-types.ts';

/** Where a photo comes from and how a stand-in is made when it cannot be had. */
interface ImageSpec {
  id: string;
  klass: ImageClass;
  target: boolean;
  /** Part of the default set (BENCH_IMAGES unset). */
  byDefault: boolean;
  label: string;
  /** Photo in the package (path under usr/share/backgrounds/mate), or none for generated images. */
  photo: string | null;
  /** Re-encodes the photo (resize, re-encode); the source text says how. */
  derive?: { describe: string; apply: (image: Sharp) => Sharp };
  /** The synthetic image used when there is no photo, and always for generated ones. */
  standIn: {
    width: number;
    height: number;
    format: 'png' | 'jpeg';
    progressive?: boolean;
    subsampling?: '4:2:0' | '4:4:4';
    kind: 'noise' | 'photo';
    seed: number;
  };
}

const SPECS: readonly ImageSpec[] = [
  {
    id: 'noise',
    klass: 'noise',
    target: true,
    byDefault: true,
    label: '512×512 noise PNG',
    photo: null,
    standIn: { width: 512, height: 512, format: 'png', kind: 'noise', seed: 1 },
  },
  {
    id: 'small',
    klass: 'small',
    target: true,
    byDefault: true,
    label: '225×225 JPEG',
    photo: 'nature/RainDrops.jpg',
    derive: {
      describe: 'resized to 225×225 (centre crop) and re-encoded by sharp (quality 80, its defaults)',
      apply: (i) => i.resize(225, 225, { fit: 'cover' }).jpeg({ quality: 80 }),
    },
    standIn: { width: 225, height: 225, format: 'jpeg', kind: 'photo', seed: 2 },
  },
  {
    id: 'hd-progressive',
    klass: 'hd',
    target: true,
    byDefault: true,
    label: '1920×1080 progressive photo',
    photo: 'abstract/Elephants.jpg',
    standIn: { width: 1920, height: 1080, format: 'jpeg', progressive: true, subsampling: '4:4:4', kind: 'photo', seed: 3 },
  },
  {
    id: 'hd-baseline',
    klass: 'hd',
    target: false,
    byDefault: true,
    label: '1920×1200 baseline photo',
    photo: 'nature/RainDrops.jpg',
    standIn: { width: 1920, height: 1200, format: 'jpeg', subsampling: '4:2:0', kind: 'photo', seed: 5 },
  },
  {
    id: 'hd-baseline-444',
    klass: 'hd',
    target: false,
    byDefault: true,
    label: '1900×1200 baseline 4:4:4 photo',
    photo: 'desktop/GreenTraditional.jpg',
    standIn: { width: 1900, height: 1200, format: 'jpeg', subsampling: '4:4:4', kind: 'photo', seed: 6 },
  },
  {
    id: 'large-progressive',
    klass: 'large',
    target: true,
    byDefault: true,
    label: '5640×3172 progressive photo',
    photo: 'abstract/Elephants_5640x3172.jpg',
    standIn: { width: 5640, height: 3172, format: 'jpeg', progressive: true, subsampling: '4:2:0', kind: 'photo', seed: 7 },
  },
  {
    id: 'large-baseline',
    klass: 'large',
    target: false,
    byDefault: false,
    label: '5640×3172 baseline photo',
    photo: 'abstract/Elephants_5640x3172.jpg',
    derive: { describe: 're-encoded as baseline JPEG by sharp (quality 90, 4:2:0)', apply: (i) => i.jpeg({ quality: 90, chromaSubsampling: '4:2:0' }) },
    standIn: { width: 5640, height: 3172, format: 'jpeg', subsampling: '4:2:0', kind: 'photo', seed: 8 },
  },
  {
    id: 'synthetic-12mp',
    klass: 'large',
    target: false,
    byDefault: false,
    label: '4000×3000 synthetic JPEG',
    photo: null,
    standIn: { width: 4000, height: 3000, format: 'jpeg', kind: 'photo', seed: 4 },
  },
];

/** Every image id, for BENCH_IMAGES. */
export const IMAGE_IDS: readonly string[] = SPECS.map((s) => s.id);

/**
 * The ids BENCH_IMAGES selects: unset or "default" → the default set; "all" → every image;
 * else a comma list. @throws Error naming unknown ids and the known ones.
 */
export function selectImageIds(value: string | undefined): string[] {
  const text = (value ?? '').trim();
  if (text === '' || text === 'default') return SPECS.filter((s) => s.byDefault).map((s) => s.id);
  if (text === 'all') return [...IMAGE_IDS];
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !IMAGE_IDS.includes(id));
  if (unknown.length > 0)
    throw new Error(`Expected BENCH_IMAGES to list images from ${IMAGE_IDS.join(', ')} (or "all", "default") but received ${unknown.join(', ')}`);
  return ids;
}

/** Photos fetched by scripts/fetch-bench-photos.sh: their folder and package version, or why not. */
export type PhotoSource = { dir: string; version: string } | { dir: null; reason: string };

/** "Package: mate-backgrounds\nVersion: 1.26.0-1" (dpkg-deb -f) → "mate-backgrounds 1.26.0-1". */
export function packageVersionOf(control: string): string {
  const field = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(control)?.[1]?.trim() ?? '?';
  return `${field('Package')} ${field('Version')}`;
}

/** Runs the fetch script (a no-op once its cache is filled). */
export function fetchPhotos(log: (line: string) => void): PhotoSource {
  const script = join(ROOT, 'scripts/fetch-bench-photos.sh');
  const run = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0) {
    const reason = (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n').pop()!;
    return { dir: null, reason: `scripts/fetch-bench-photos.sh failed: ${reason}` };
  }
  for (const line of run.stderr.trim().split('\n').filter(Boolean)) log(line);
  const dir = run.stdout.trim().split('\n').pop()!;
  return { dir, version: packageVersionOf(readFileSync(join(dir, 'VERSION'), 'utf8')) };
}

async function standIn(spec: ImageSpec): Promise<Buffer> {
  const s = spec.standIn;
  const raw = await synthesizeImage({ kind: s.kind, width: s.width, height: s.height, format: s.format === 'png' ? 'png' : 'jpeg', seed: s.seed });
  if (s.format === 'png' || (!s.progressive && !s.subsampling)) return raw;
  return sharp(raw)
    .jpeg({ quality: 80, progressive: s.progressive ?? false, chromaSubsampling: s.subsampling ?? '4:2:0' })
    .toBuffer();
}

/** Describes the bytes as they are (not as the spec intends): dimensions, encoding, subsampling. */
async function describe(bytes: Buffer): Promise<Pick<SuiteImageInfo, 'width' | 'height' | 'encoding' | 'subsampling'>> {
  const m = await sharp(bytes).metadata();
  const encoding =
    m.format === 'jpeg'
      ? `JPEG, ${m.isProgressive ? 'progressive' : 'baseline'}`
      : `${(m.format ?? '?').toUpperCase()}, ${m.channels === 4 ? 'RGBA' : m.channels === 1 ? 'gray' : 'RGB'}${m.isProgressive ? ', interlaced' : ''}`;
  return { width: m.width ?? 0, height: m.height ?? 0, encoding, subsampling: m.format === 'jpeg' ? (m.chromaSubsampling ?? null) : null };
}

/** Builds the selected images; photo-based ones from `photos`, else their stand-ins. */
export async function prepareSuiteImages(ids: readonly string[], photos: PhotoSource, log: (line: string) => void): Promise<SuiteImageInfo[]> {
  const dir = join(tmpdir(), 'histogram-bench-images');
  await mkdir(dir, { recursive: true });
  const images: SuiteImageInfo[] = [];
  for (const spec of SPECS.filter((s) => ids.includes(s.id))) {
    let bytes: Buffer;
    let source: string;
    let file: string;
    if (spec.photo !== null && photos.dir !== null) {
      const photoFile = join(photos.dir, spec.photo);
      const name = spec.photo.split('/').pop()!;
      if (spec.derive) {
        bytes = await spec.derive.apply(sharp(await readFile(photoFile))).toBuffer();
        source = `${name} (${photos.version}) ${spec.derive.describe}`;
        file = join(dir, `${spec.id}.jpg`);
        await writeFile(file, bytes);
      } else {
        bytes = await readFile(photoFile);
        source = `${photos.version}: ${spec.photo}`;
        file = photoFile;
      }
    } else {
      bytes = await standIn(spec);
      const s = spec.standIn;
      source =
        spec.photo === null
          ? `generated: client's synthetic ${s.kind === 'noise' ? 'uniform random RGB noise' : 'photo-like image'}, seed ${s.seed}`
          : `synthetic stand-in: no photo (${(photos as { reason: string }).reason})`;
      file = join(dir, `${spec.id}.${s.format === 'png' ? 'png' : 'jpg'}`);
      await writeFile(file, bytes);
    }
    const info: SuiteImageInfo = {
      id: spec.id,
      klass: spec.klass,
      target: spec.target,
      label: spec.label,
      bytes: bytes.length,
      source,
      file,
      ...(await describe(bytes)),
    };
    log(
      `image ${info.id}: ${info.width}×${info.height} ${info.encoding}${info.subsampling ? ` ${info.subsampling}` : ''}, ${info.bytes} bytes, ${info.source}`,
    );
    images.push(info);
  }
  return images;
}
