import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { readImageHeader } from './read-header.ts';

// Every variant is described by sharp's own metadata() (libvips reading the header), the
// independent answer the JavaScript reader must agree with.
const raw = (channels: 1 | 2 | 3 | 4, width = 37, height = 23) => {
  const pixels = Buffer.alloc(width * height * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + (i >> 5)) & 255;
  return sharp(pixels, { raw: { width, height, channels } });
};

const VARIANTS: Array<[string, () => Promise<Buffer>]> = [
  ['baseline JPEG', () => raw(3).jpeg().toBuffer()],
  ['progressive JPEG', () => raw(3).jpeg({ progressive: true }).toBuffer()],
  ['4:4:4 JPEG', () => raw(3).jpeg({ chromaSubsampling: '4:4:4' }).toBuffer()],
  ['gray JPEG', () => raw(1).toColourspace('b-w').jpeg().toBuffer()],
  ['CMYK JPEG', () => raw(3).toColourspace('cmyk').jpeg().toBuffer()],
  ['JPEG with EXIF and ICC', () => raw(3).withMetadata({ orientation: 6 }).jpeg().toBuffer()],
  ['RGB PNG', () => raw(3).png().toBuffer()],
  ['RGBA PNG', () => raw(4).png().toBuffer()],
  ['gray PNG', () => raw(1).png().toBuffer()],
  ['gray+alpha PNG', () => raw(2).png().toBuffer()],
  ['16-bit RGB PNG', () => raw(3).toColourspace('rgb16').png().toBuffer()],
  ['16-bit gray PNG', () => raw(1).toColourspace('grey16').png().toBuffer()],
  ['palette PNG', () => raw(3).png({ palette: true }).toBuffer()],
  ['palette PNG with transparency', () => raw(4).png({ palette: true }).toBuffer()],
  ['interlaced PNG', () => raw(3).png({ progressive: true }).toBuffer()],
];

test('reads the same width, height, channels, colour space and alpha from JPEG and PNG headers as libvips does', async () => {
  for (const [name, make] of VARIANTS) {
    const bytes = await make();
    const header = readImageHeader(bytes);
    const meta = await sharp(bytes).metadata();
    assert.ok(header, `${name}: read`);
    assert.deepEqual(
      { format: header.format, width: header.width, height: header.height, channels: header.channels, space: header.space, hasAlpha: header.hasAlpha },
      { format: meta.format, width: meta.width, height: meta.height, channels: meta.channels, space: meta.space, hasAlpha: meta.hasAlpha },
      name,
    );
  }
});

test('leaves other formats, and headers it cannot follow, to libvips', async () => {
  const png = await raw(3).png().toBuffer();
  for (const [name, bytes] of [
    ['WebP', await raw(3).webp().toBuffer()],
    ['GIF', await raw(3).gif().toBuffer()],
    ['TIFF', await raw(3).tiff().toBuffer()],
    ['PNG cut inside its chunks', png.subarray(0, 40)],
    ['JPEG signature alone', Buffer.from([0xff, 0xd8, 0xff, 0xe0])],
    ['text', Buffer.from('hello, world')],
  ] as const) {
    assert.equal(readImageHeader(bytes), null, name);
  }
});
