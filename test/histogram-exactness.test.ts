// Exactness over HTTP: the server's counts (the app served from this process) equal counts
// computed in the test, pixel by pixel, from the pixels the test generated (lossless formats) or decoded itself (lossy).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { HistogramResponse } from '../server/histogram/histogram-response.ts';
import type { ChannelSummary } from '../server/histogram/histogram-summary.ts';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { execFileSync } from 'node:child_process';
import { crc32, deflateSync } from 'node:zlib';
import { referenceHistogram, referenceRebin, pillowAvailable, pillowLumaHistogram, PILLOW_PYTHON } from './helpers/reference-histogram.ts';
import { decodeForReference, fromRaw, gradient, noise, solid, type RawImage } from './helpers/synthetic-images.ts';

let server: InProcessServer;
before(async () => {
  server = await startInProcessServer();
});
after(() => server.stop());

type Counts = Record<string, number[]>;

function expectedCounts(image: RawImage): Counts {
  const ref = referenceHistogram(image.pixels, image.channels);
  const names = image.channels >= 3 ? ['red', 'green', 'blue', 'alpha'] : ['luma', 'alpha'];
  const out: Counts = {};
  ref.channels.forEach((counts, c) => {
    out[names[c]!] = counts;
  });
  out.luma = ref.luma;
  return out;
}

type HistogramJson = HistogramResponse & { channels: Record<string, ChannelSummary> };

let sendCount = 0;
/** Posts `bytes` alternately as multipart `file` and as the raw body. */
async function post(bytes: Uint8Array, query = ''): Promise<HistogramJson> {
  const multipart = sendCount++ % 2 === 0;
  const init: RequestInit = multipart
    ? { method: 'POST', body: formWith(bytes) }
    : { method: 'POST', body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } };
  const res = await fetch(`${server.url}/v1/histogram${query}`, init);
  const body = await res.text();
  assert.equal(res.status, 200, body);
  return JSON.parse(body) as HistogramJson;
}

function formWith(bytes: Uint8Array): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'image.bin');
  return form;
}

function assertExact(json: HistogramJson, expected: Counts, width: number, height: number) {
  assert.equal(json.width, width);
  assert.equal(json.height, height);
  assert.equal(json.pixels, width * height);
  assert.deepEqual(Object.keys(json.channels).sort(), Object.keys(expected).sort());
  for (const [name, counts] of Object.entries(expected)) {
    assert.deepEqual(json.channels[name]!.counts, counts, `channel ${name}`);
    assert.equal(
      json.channels[name]!.counts.reduce((a, b) => a + b, 0),
      json.pixels,
      `${name} sums to pixels`,
    );
  }
  assert.deepEqual(json.histogram, expected.luma, 'histogram is the luma counts');
}

const lossless: Array<{ name: string; image: RawImage; encode: (image: RawImage) => Promise<Buffer>; format: string }> = [
  { name: 'a solid 4×2 rgb(255,0,10) PNG', image: solid(4, 2, [255, 0, 10]), encode: (i) => fromRaw(i).png().toBuffer(), format: 'png' },
  { name: 'a 1×1 PNG', image: solid(1, 1, [1, 2, 3]), encode: (i) => fromRaw(i).png().toBuffer(), format: 'png' },
  { name: 'a 7×3 noise PNG', image: noise(7, 3, 3, 7), encode: (i) => fromRaw(i).png().toBuffer(), format: 'png' },
  { name: 'a 256×5 gradient PNG', image: gradient(256, 5), encode: (i) => fromRaw(i).png().toBuffer(), format: 'png' },
  { name: 'a 61×37 RGBA noise PNG (alpha its own channel)', image: noise(61, 37, 4, 3), encode: (i) => fromRaw(i).png().toBuffer(), format: 'png' },
  { name: 'a 33×17 grayscale noise PNG', image: noise(33, 17, 1, 4), encode: (i) => fromRaw(i).toColourspace('b-w').png().toBuffer(), format: 'png' },
  { name: 'a 9×5 gray+alpha noise PNG', image: noise(9, 5, 2, 5), encode: (i) => fromRaw(i).toColourspace('b-w').png().toBuffer(), format: 'png' },
  {
    name: 'a 16-bit RGB PNG reduced to its 8-bit values',
    image: noise(20, 11, 3, 6),
    encode: (i) => fromRaw(i).toColourspace('rgb16').png().toBuffer(),
    format: 'png',
  },
  { name: 'a lossless WebP', image: noise(31, 29, 3, 8), encode: (i) => fromRaw(i).webp({ lossless: true }).toBuffer(), format: 'webp' },
  { name: 'a lossless RGBA WebP', image: noise(16, 16, 4, 9), encode: (i) => fromRaw(i).webp({ lossless: true, exact: true }).toBuffer(), format: 'webp' },
  { name: 'an uncompressed TIFF', image: noise(40, 30, 3, 10), encode: (i) => fromRaw(i).tiff({ compression: 'none' }).toBuffer(), format: 'tiff' },
  { name: 'a deflate TIFF gradient', image: gradient(300, 4), encode: (i) => fromRaw(i).tiff({ compression: 'deflate' }).toBuffer(), format: 'tiff' },
  { name: 'a four-colour palette PNG', image: solid(8, 8, [200, 100, 50]), encode: (i) => fromRaw(i).png({ palette: true }).toBuffer(), format: 'png' },
  // GIF decodes with an alpha channel (GIF has transparency); opaque here.
  { name: 'a solid-colour GIF', image: solid(10, 6, [0, 128, 255, 255]), encode: (i) => fromRaw(i).gif().toBuffer(), format: 'gif' },
];

for (const { name, image, encode, format } of lossless) {
  test(`counts ${name} exactly as its pixels`, async () => {
    const json = await post(await encode(image));
    assert.equal(json.format, format);
    assert.equal(json.luma, 'rec601');
    assertExact(json, expectedCounts(image), image.width, image.height);
  });
}

test('counts a solid 4×2 rgb(255,0,10) image as 8 in one bin per channel (by hand)', async () => {
  const json = await post(
    await fromRaw(solid(4, 2, [255, 0, 10]))
      .png()
      .toBuffer(),
  );
  // luma = (19595·255 + 38470·0 + 7471·10 + 32768) >> 16 = 5104203 >> 16 = 77
  for (const [channel, value] of [
    ['red', 255],
    ['green', 0],
    ['blue', 10],
    ['luma', 77],
  ] as const) {
    assert.equal(json.channels[channel]!.counts[value], 8, channel);
    assert.equal(json.channels[channel]!.mean, value);
  }
});

// Lossy or converting encoders: the expected pixels are what sharp decodes in the test.
const decoded: Array<{ name: string; encode: () => Promise<Buffer>; format: string; gray?: boolean }> = [
  { name: 'a JPEG', encode: () => fromRaw(gradient(123, 45)).jpeg({ quality: 80 }).toBuffer(), format: 'jpeg' },
  {
    name: 'a progressive JPEG',
    encode: () =>
      fromRaw(noise(64, 48, 3, 11))
        .jpeg({ progressive: true })
        .toBuffer(),
    format: 'jpeg',
  },
  {
    name: 'a grayscale JPEG',
    encode: () =>
      fromRaw(noise(50, 20, 1, 12))
        .toColourspace('b-w')
        .jpeg()
        .toBuffer(),
    format: 'jpeg',
    gray: true,
  },
  { name: 'a lossy WebP', encode: () => fromRaw(gradient(77, 33)).webp({ quality: 70 }).toBuffer(), format: 'webp' },
  {
    name: 'a palette PNG of noise',
    encode: () =>
      fromRaw(noise(40, 40, 3, 13))
        .png({ palette: true, colours: 64 })
        .toBuffer(),
    format: 'png',
  },
  {
    name: 'a GIF of noise',
    encode: () =>
      fromRaw(noise(30, 20, 3, 14))
        .gif()
        .toBuffer(),
    format: 'gif',
  },
  { name: 'an AVIF', encode: () => fromRaw(gradient(96, 64)).avif({ quality: 60 }).toBuffer(), format: 'avif' },
];

for (const { name, encode, format, gray } of decoded) {
  test(`counts ${name} exactly as its decoded pixels`, async () => {
    const bytes = await encode();
    const reference = await decodeForReference(bytes, gray);
    const json = await post(bytes);
    assert.equal(json.format, format);
    assertExact(json, expectedCounts(reference), reference.width, reference.height);
  });
}

test('counts a CMYK JPEG as Pillow converts it to RGB (its own rule, no colour profile)', {
  skip: pillowAvailable() ? false : 'needs Debian python3-pil (installed by .ci/run)',
}, async () => {
  const bytes = await fromRaw(gradient(64, 16)).toColourspace('cmyk').jpeg().toBuffer();
  const rgb = execFileSync(
    PILLOW_PYTHON,
    ['-c', 'import sys, io\nfrom PIL import Image\nsys.stdout.buffer.write(Image.open(io.BytesIO(sys.stdin.buffer.read())).convert("RGB").tobytes())'],
    {
      input: bytes,
    },
  );
  const json = await post(bytes);
  assert.equal(json.format, 'jpeg');
  assert.equal(json.space, 'cmyk');
  assert.equal(json.channelsInImage, 4);
  assertExact(json, expectedCounts({ width: 64, height: 16, channels: 3, pixels: new Uint8Array(rgb) }), 64, 16);
});

test('counts only the first frame of an animated GIF and reports its frames', async () => {
  const frame1 = solid(6, 4, [255, 0, 0]);
  const frame2 = solid(6, 4, [0, 0, 255]);
  const stacked: RawImage = { width: 6, height: 8, channels: 3, pixels: new Uint8Array([...frame1.pixels, ...frame2.pixels]) };
  // A real two-frame GIF: sharp writes frames when the raw input declares a page height.
  const twoFrames = await sharp(stacked.pixels, { raw: { width: 6, height: 8, channels: 3, pageHeight: 4 } as never })
    .gif()
    .toBuffer();
  const meta = await sharp(twoFrames).metadata();
  assert.equal(meta.pages, 2, 'the fixture really has two frames');
  const json = await post(twoFrames);
  assert.equal(json.frames, 2);
  assert.equal(json.height, 4);
  assert.equal(json.channels.red!.counts[255], 24);
  assert.equal(json.channels.blue!.counts[255] ?? 0, 0);
});

test('rebins into equal-width bins and keeps the totals', async () => {
  const image = noise(50, 50, 3, 21);
  const expected = expectedCounts(image);
  for (const bins of [1, 2, 3, 16, 100, 255]) {
    const json = await post(await fromRaw(image).png().toBuffer(), `?bins=${bins}`);
    assert.equal(json.bins, bins);
    for (const name of ['red', 'green', 'blue', 'luma']) {
      assert.deepEqual(json.channels[name]!.counts, referenceRebin(expected[name]!, bins), `${name} with ${bins} bins`);
    }
  }
});

test('returns only the requested channels, in canonical order', async () => {
  const image = noise(10, 10, 4, 22);
  const json = await post(await fromRaw(image).png().toBuffer(), '?channels=luma,alpha,red');
  assert.deepEqual(Object.keys(json.channels), ['red', 'alpha', 'luma']);
  assert.deepEqual(json.channels.alpha!.counts, expectedCounts(image).alpha);
});

test('luma equals Pillow convert("L").histogram() of the same pixels', {
  skip: pillowAvailable() ? false : 'needs Debian python3-pil (installed by .ci/run)',
}, async () => {
  const image = noise(97, 89, 3, 23);
  const json = await post(await fromRaw(image).png().toBuffer());
  assert.deepEqual(json.histogram, pillowLumaHistogram(image.pixels, image.width, image.height));
  const photoLike = gradient(256, 64);
  const json2 = await post(await fromRaw(photoLike).png().toBuffer());
  assert.deepEqual(json2.histogram, pillowLumaHistogram(photoLike.pixels, photoLike.width, photoLike.height));
});

/** A 16-bit gray PNG of `samples` (big-endian, filter 0 on every row), written here byte by byte. */
function gray16Png(width: number, height: number, samples: Uint16Array): Buffer {
  const rows = Buffer.alloc(height * (1 + width * 2));
  for (let y = 0, at = 0; y < height; y++) {
    rows[at++] = 0;
    for (let x = 0; x < width; x++, at += 2) rows.writeUInt16BE(samples[y * width + x]!, at);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(data.length + 12);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), data.length + 8);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([16, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('a 16-bit gray image over the inline limit is counted at depth 16 on an image thread, and by its high byte at depth 8', async () => {
  // 1100 × 1000 > INLINE_MAX_PIXELS: the image thread does the work, with the depth asked.
  const width = 1100;
  const height = 1000;
  const samples = new Uint16Array(width * height).map((_, i) => (i * 7) % 65536);
  const expected16 = new Array<number>(65536).fill(0);
  for (const v of samples) expected16[v]!++;
  const bytes = gray16Png(width, height, samples);
  const deep = await post(bytes, '?depth=16&bins=65536');
  assert.equal(deep.depth, 16);
  assert.deepEqual(deep.histogram, expected16);
  assert.deepEqual(deep.channels.luma!.binRange, [0, 65536]);
  const shallow = await post(bytes, '?range=data');
  assert.equal(shallow.depth, 8);
  const expected8 = new Array<number>(256).fill(0);
  for (const v of samples) expected8[v >> 8]!++;
  // range data over 0..255 with 256 bins: value v in bin ⌊v · 256 / 255⌋, which is v itself.
  assert.deepEqual(shallow.channels.luma!.binRange, [0, 255]);
  assert.deepEqual(shallow.histogram, expected8);
});
