// Each class of image decodes to the samples its rule says, checked against the arrays the test
// files were written from (PNG and TIFF written here byte by byte, not by libvips), and the
// classes without a rule are refused from their header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import { decodeImage } from './decode-image.ts';
import { ImageError } from './image-error.ts';
import { analyzeImage } from '../histogram/analyze-image.ts';

/** A PNG of 16-bit samples (big-endian, as PNG stores them), filter 0 on every row. */
function png16(width: number, height: number, colourType: 0 | 2 | 4 | 6, samples: Uint16Array): Uint8Array {
  const perPixel = { 0: 1, 2: 3, 4: 2, 6: 4 }[colourType];
  const rows = Buffer.alloc(height * (1 + width * perPixel * 2));
  let at = 0;
  for (let y = 0; y < height; y++) {
    rows[at++] = 0;
    for (let i = 0; i < width * perPixel; i++, at += 2) rows.writeUInt16BE(samples[y * width * perPixel + i]!, at);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([16, colourType, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface TiffSpec {
  width: number;
  height: number;
  bits: number;
  /** 1 unsigned integer, 2 signed integer, 3 floating point. */
  sampleFormat: 1 | 2 | 3;
  /** 1 min-is-black, 2 RGB, 5 separated (CMYK). */
  photometric: 1 | 2 | 5;
  samplesPerPixel: number;
  /** ExtraSamples values (2: unassociated alpha, 0: unspecified), one per extra sample. */
  extra?: number[];
  /** The strip, little-endian, interleaved. */
  data: Uint8Array;
}

/** An uncompressed little-endian TIFF with one strip (TIFF 6.0, baseline tags plus SampleFormat). */
function tiff(spec: TiffSpec): Uint8Array {
  const spp = spec.samplesPerPixel;
  const shorts = (values: number[]) => ({ type: 3, values });
  const entries: Array<[number, { type: number; values: number[] }]> = [
    [256, { type: 4, values: [spec.width] }],
    [257, { type: 4, values: [spec.height] }],
    [258, shorts(new Array(spp).fill(spec.bits))],
    [259, shorts([1])],
    [262, shorts([spec.photometric])],
    [273, { type: 4, values: [0] }], // patched below
    [277, shorts([spp])],
    [278, { type: 4, values: [spec.height] }],
    [279, { type: 4, values: [spec.data.length] }],
    [284, shorts([1])],
    ...(spec.extra ? ([[338, shorts(spec.extra)]] as Array<[number, { type: number; values: number[] }]>) : []),
    [339, shorts(new Array(spp).fill(spec.sampleFormat))],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const outOfLine = entries.map(([, e]) => (e.values.length * (e.type === 3 ? 2 : 4) > 4 ? e.values.length * (e.type === 3 ? 2 : 4) : 0));
  const extraBytes = outOfLine.reduce((a, b) => a + b, 0);
  const dataAt = 8 + ifdSize + extraBytes;
  const out = Buffer.alloc(dataAt + spec.data.length);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(8, 4);
  out.writeUInt16LE(entries.length, 8);
  let extraAt = 8 + ifdSize;
  entries.forEach(([tag, e], i) => {
    const at = 10 + i * 12;
    const values = tag === 273 ? [dataAt] : e.values;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(e.type, at + 2);
    out.writeUInt32LE(values.length, at + 4);
    let target = at + 8;
    if (outOfLine[i]) {
      out.writeUInt32LE(extraAt, at + 8);
      target = extraAt;
      extraAt += outOfLine[i]!;
    }
    values.forEach((v, k) => {
      if (e.type === 3) out.writeUInt16LE(v, target + 2 * k);
      else out.writeUInt32LE(v, target + 4 * k);
    });
  });
  Buffer.from(spec.data).copy(out, dataAt);
  return out;
}

/** Deterministic 16-bit samples (xorshift32). */
function noise16(n: number, seed: number): Uint16Array {
  const out = new Uint16Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) & 0xffff;
  }
  return out;
}

const le16 = (samples: Uint16Array) => {
  const bytes = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => {
    bytes.writeUInt16LE(v, i * 2);
  });
  return bytes;
};

/** What decoding at depth 8 gives for 16-bit `samples` of `channels` bands: each sample's high byte, gray as R = G = B. */
function highBytesAsRgb(samples: Uint16Array, channels: number): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < samples.length; i += channels) {
    const px = Array.from(samples.subarray(i, i + channels), (v) => v >> 8);
    if (channels <= 2) out.push(px[0]!, px[0]!, px[0]!, ...px.slice(1));
    else out.push(...px);
  }
  return Uint8Array.from(out);
}

test('a 16-bit gray PNG ramp of every value once decodes to exactly those samples kept at 16 bits, to their high bytes otherwise, and counts 256 per bin at depth 8', async () => {
  const ramp = new Uint16Array(65536).map((_, i) => i);
  const bytes = png16(256, 256, 0, ramp);
  const decoded = await decodeImage(bytes, 1e8, true);
  assert.equal(decoded.sampleBits, 16);
  assert.equal(decoded.channels, 1);
  assert.deepEqual(decoded.pixels, ramp);
  const high = await decodeImage(bytes, 1e8);
  assert.equal(high.sampleBits, 8);
  assert.equal(high.gray, true);
  assert.deepEqual(high.pixels, highBytesAsRgb(ramp, 1));
  const at8 = await analyzeImage(bytes, { maxPixels: 1e8, bins: 256, channels: null });
  assert.deepEqual(at8.histogram, new Array(256).fill(256));
  assert.equal(at8.depth, 8);
  const at16 = await analyzeImage(bytes, { maxPixels: 1e8, bins: 65536, channels: null, depth: 16 });
  assert.equal(at16.depth, 16);
  assert.deepEqual(at16.histogram, new Array(65536).fill(1));
  assert.equal(at16.channels.luma!.max, 65535);
});

for (const [colourType, channels, name] of [
  [2, 3, 'RGB'],
  [6, 4, 'RGBA'],
  [4, 2, 'gray+alpha'],
] as const) {
  test(`a 16-bit ${name} PNG decodes to its 16-bit samples untouched when they are kept, else to their high bytes`, async () => {
    const samples = noise16(37 * 23 * channels, 40 + channels);
    const decoded = await decodeImage(png16(37, 23, colourType, samples), 1e8, true);
    assert.equal(decoded.channels, channels);
    assert.equal(decoded.sampleBits, 16);
    assert.deepEqual(decoded.pixels, samples);
    const high = await decodeImage(png16(37, 23, colourType, samples), 1e8);
    assert.equal(high.sampleBits, 8);
    assert.deepEqual(high.pixels, highBytesAsRgb(samples, channels));
  });
}

test('16-bit gray and RGB TIFFs decode to their 16-bit samples untouched', async () => {
  const gray = noise16(20 * 10, 3);
  const rgb = noise16(20 * 10 * 3, 4);
  const decodedGray = await decodeImage(
    tiff({ width: 20, height: 10, bits: 16, sampleFormat: 1, photometric: 1, samplesPerPixel: 1, data: le16(gray) }),
    1e8,
    true,
  );
  assert.deepEqual(decodedGray.pixels, gray);
  assert.equal(decodedGray.gray, true);
  const decodedRgb = await decodeImage(
    tiff({ width: 20, height: 10, bits: 16, sampleFormat: 1, photometric: 2, samplesPerPixel: 3, data: le16(rgb) }),
    1e8,
    true,
  );
  assert.deepEqual(decodedRgb.pixels, rgb);
  assert.equal(decodedRgb.space, 'rgb16');
});

const refusals: Array<{ name: string; spec: TiffSpec; message: RegExp }> = [
  {
    name: '32-bit float samples',
    spec: { width: 4, height: 4, bits: 32, sampleFormat: 3, photometric: 1, samplesPerPixel: 1, data: new Uint8Array(64) },
    message: /32-bit floating-point samples; this service counts 8- and 16-bit unsigned samples/,
  },
  {
    name: 'signed 32-bit integer samples',
    spec: { width: 4, height: 4, bits: 32, sampleFormat: 2, photometric: 1, samplesPerPixel: 1, data: new Uint8Array(64) },
    message: /signed 32-bit integer samples/,
  },
  {
    name: 'unsigned 32-bit integer samples',
    spec: { width: 4, height: 4, bits: 32, sampleFormat: 1, photometric: 1, samplesPerPixel: 1, data: new Uint8Array(64) },
    message: /unsigned 32-bit integer samples/,
  },
  {
    name: 'five bands (RGB and two extra samples)',
    spec: { width: 4, height: 4, bits: 8, sampleFormat: 1, photometric: 2, samplesPerPixel: 5, extra: [0, 0], data: new Uint8Array(80) },
    message: /has 5 bands/,
  },
  {
    name: 'CMYK with alpha',
    spec: { width: 4, height: 4, bits: 8, sampleFormat: 1, photometric: 5, samplesPerPixel: 5, extra: [2], data: new Uint8Array(80) },
    message: /CMYK with alpha \(5 bands\)/,
  },
  {
    name: '16-bit CMYK',
    spec: { width: 4, height: 4, bits: 16, sampleFormat: 1, photometric: 5, samplesPerPixel: 4, data: new Uint8Array(128) },
    message: /16-bit CMYK samples/,
  },
];

for (const { name, spec, message } of refusals) {
  test(`refuses a TIFF of ${name} from its header as unprocessable, naming the format`, async () => {
    await assert.rejects(decodeImage(tiff(spec), 1e8), (error: unknown) => {
      assert.ok(error instanceof ImageError);
      assert.equal(error.kind, 'unprocessable');
      assert.match(error.message, /^the TIFF image /);
      assert.match(error.message, message);
      return true;
    });
  });
}

test('an 8-bit TIFF written by the same writer decodes to its samples (the writer is sound)', async () => {
  const data = new Uint8Array(4 * 4 * 3).map((_, i) => (i * 37) % 256);
  const decoded = await decodeImage(tiff({ width: 4, height: 4, bits: 8, sampleFormat: 1, photometric: 2, samplesPerPixel: 3, data }), 1e8);
  assert.deepEqual(decoded.pixels, data);
});

test('16-bit samples kept at 16 bits count twice against the pixel limit; their high bytes count once', async () => {
  const samples = noise16(100 * 100 * 3, 9);
  const bytes = png16(100, 100, 2, samples);
  await assert.rejects(decodeImage(bytes, 19_999, true), (error: unknown) => {
    assert.ok(error instanceof ImageError);
    assert.equal(error.kind, 'unprocessable');
    assert.match(error.message, /10000 pixels of 16-bit samples, which count twice .*the limit is 19999/);
    return true;
  });
  assert.equal((await decodeImage(bytes, 20_000, true)).sampleBits, 16);
  assert.equal((await decodeImage(bytes, 10_000)).sampleBits, 8);
});
