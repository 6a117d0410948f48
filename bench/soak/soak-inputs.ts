// What the soak sends: valid images of several formats and sizes (one near the upload limit),
// outputs json/csv/png (charts of many sizes), bad inputs drawn from the fuzz, and oversized
// uploads, each with the statuses the contract allows for it.
import sharp, { type Sharp } from 'sharp';
import { Prng } from '../fuzz/prng.ts';
import { makeCase, type CaseSources, type Expectation, type OutgoingRequest } from '../fuzz/fuzz-case.ts';

export interface SoakImage {
  name: string;
  bytes: Buffer;
  width: number;
  height: number;
  format: string;
  /** Relative frequency. */
  weight: number;
}

export type SoakKind = 'valid' | 'large' | 'bad' | 'oversized';

export interface SoakRequest {
  kind: SoakKind;
  /** The image name or fuzz family. */
  label: string;
  request: OutgoingRequest;
  expect: Expectation;
}

function photo(width: number, height: number, channels: 3 | 4, salt: number): Sharp {
  const pixels = Buffer.alloc(width * height * channels);
  let state = salt >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const n = (state >>> 27) - 16;
      pixels[i] = ((x * 255) / width + n + 256) & 255;
      pixels[i + 1] = ((y * 255) / height + n + 256) & 255;
      pixels[i + 2] = (128 + 100 * Math.sin((x + y) / 40) + n + 256) & 255;
      if (channels === 4) pixels[i + 3] = (255 - (x * 128) / width) & 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels } });
}

function noise(width: number, height: number, salt: number): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  let state = salt >>> 0;
  for (let i = 0; i < pixels.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    pixels[i] = state >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/**
 * The valid images. The "large" one is a noise PNG of about `largeBytes` (random pixels do
 * not compress), to send big bodies that are still under the upload limit.
 */
export async function makeSoakImages(largeBytes: number): Promise<SoakImage[]> {
  const side = Math.max(64, Math.floor(Math.sqrt(largeBytes / 3)));
  const frames = await Promise.all([1, 2, 3, 4].map((salt) => photo(200, 150, 3, salt).png().toBuffer()));
  const list: Array<Omit<SoakImage, 'bytes'> & { make: () => Promise<Buffer> }> = [
    { name: 'jpeg 225×225', width: 225, height: 225, format: 'jpeg', weight: 6, make: () => photo(225, 225, 3, 1).jpeg().toBuffer() },
    {
      name: 'jpeg 1280×720 progressive',
      width: 1280,
      height: 720,
      format: 'jpeg',
      weight: 3,
      make: () => photo(1280, 720, 3, 2).jpeg({ progressive: true }).toBuffer(),
    },
    { name: 'png 512×512 noise', width: 512, height: 512, format: 'png', weight: 3, make: () => noise(512, 512, 3).png().toBuffer() },
    {
      name: 'png 400×300 rgba16',
      width: 400,
      height: 300,
      format: 'png',
      weight: 2,
      make: () => photo(400, 300, 4, 4).toColourspace('rgb16').png().toBuffer(),
    },
    { name: 'png 300×200 palette', width: 300, height: 200, format: 'png', weight: 2, make: () => photo(300, 200, 3, 5).png({ palette: true }).toBuffer() },
    { name: 'webp 800×600', width: 800, height: 600, format: 'webp', weight: 2, make: () => photo(800, 600, 3, 6).webp().toBuffer() },
    {
      name: 'gif 200×150 animated ×4',
      width: 200,
      height: 150,
      format: 'gif',
      weight: 2,
      make: () =>
        sharp(frames, { join: { animated: true } })
          .gif()
          .toBuffer(),
    },
    { name: 'tiff 640×480 lzw', width: 640, height: 480, format: 'tiff', weight: 2, make: () => photo(640, 480, 3, 7).tiff({ compression: 'lzw' }).toBuffer() },
    { name: 'avif 320×240', width: 320, height: 240, format: 'avif', weight: 1, make: () => photo(320, 240, 3, 8).avif({ effort: 0 }).toBuffer() },
    {
      name: `png ${side}×${side} noise (large upload)`,
      width: side,
      height: side,
      format: 'png',
      weight: 0,
      make: () => noise(side, side, 9).png({ compressionLevel: 1 }).toBuffer(),
    },
  ];
  return Promise.all(list.map(async ({ make, ...image }) => ({ ...image, bytes: await make() })));
}

export interface SoakMix {
  /** Shares of each kind (the rest are valid images). */
  large: number;
  bad: number;
  oversized: number;
  /** Share of requests sent by a client that writes the whole body before reading. */
  writeFirst: number;
  maxUploadBytes: number;
  /** Random bytes, at least maxUploadBytes + 1 MiB long, cut to size for oversized bodies. */
  oversizedPool: Buffer;
  /** Distinct chart sizes asked for: 0 for a random size each time, else that many fixed ones. */
  chartSizes: number;
  /** Relative weights of the outputs asked for. */
  outputs: Readonly<Record<Expectation['output'], number>>;
}

function chartSize(rng: Prng, seed: number, sizes: number): Expectation['chart'] {
  const from = sizes > 0 ? new Prng((seed ^ 0x5bd1e995) + rng.int(0, sizes - 1)) : rng;
  return { width: from.int(200, 1600), height: from.int(100, 800) };
}

function baseExpect(statuses: number[], rule: string, output: Expectation['output'], chart: Expectation['chart']): Expectation {
  return { statuses, rule, invalidParams: [], output, bins: 256, channels: null, chart };
}

/** Request number `n` of a soak seeded with `seed`. */
export function planRequest(seed: number, n: number, images: readonly SoakImage[], sources: CaseSources, mix: SoakMix): SoakRequest {
  const rng = new Prng((seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0);
  const kind = rng.weighted<SoakKind>([
    ['large', mix.large],
    ['bad', mix.bad],
    ['oversized', mix.oversized],
    ['valid', Math.max(0, 1 - mix.large - mix.bad - mix.oversized)],
  ]);
  const client = rng.chance(mix.writeFirst) ? 'write-first' : 'keep-alive';
  const output = rng.weighted<Expectation['output']>([
    ['json', mix.outputs.json],
    ['csv', mix.outputs.csv],
    ['png', mix.outputs.png],
  ]);
  // Charts of many sizes, as different users ask for them (or of a few, with chartSizes).
  const chart = chartSize(rng, seed, mix.chartSizes);
  const params = new URLSearchParams({ format: output });
  if (output === 'png') {
    params.set('width', String(chart.width));
    params.set('height', String(chart.height));
    params.set('type', rng.pick(['line', 'bar']));
    params.set('scale', rng.pick(['linear', 'log']));
  }
  const path = `/v1/histogram?${params}`;
  if (kind === 'bad') {
    // A random fuzz case (past its fixed coverage cases), sent as the fuzz would send it but
    // with this soak's output and chart size, so --outputs and --chart-sizes govern it too.
    const fuzzCase = makeCase(seed, 1_000_000 + n, sources);
    const expect = baseExpect([...fuzzCase.bodyExpect.statuses], fuzzCase.bodyExpect.rule, output, chart);
    const headers = { ...fuzzCase.request.headers };
    delete headers.accept;
    return { kind, label: fuzzCase.family, request: { ...fuzzCase.request, path, headers, client }, expect };
  }
  let body: Buffer;
  let label: string;
  let expect: Expectation;
  if (kind === 'oversized') {
    body = mix.oversizedPool.subarray(0, mix.maxUploadBytes + rng.int(128 * 1024, 1024 * 1024));
    label = 'oversized upload';
    expect = baseExpect([413], 'a body over MAX_UPLOAD_BYTES: 413 PAYLOAD_TOO_LARGE', output, chart);
  } else {
    const image = kind === 'large' ? images[images.length - 1]! : rng.weighted(images.filter((i) => i.weight > 0).map((i) => [i, i.weight] as const));
    body = image.bytes;
    label = image.name;
    expect = { ...baseExpect([200], 'a valid image: 200', output, chart), control: { width: image.width, height: image.height, format: image.format } };
  }
  const multipart = rng.chance(0.6);
  const headers: Record<string, string> = {};
  if (multipart) {
    const boundary = `----soak${n.toString(16)}`;
    body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="soak.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      body,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  } else headers['content-type'] = 'application/octet-stream';
  const framing = kind === 'oversized' && rng.chance(0.5) ? 'chunked' : 'length';
  return { kind, label, request: { path, headers, body, framing, client }, expect };
}
