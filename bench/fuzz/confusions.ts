// Inputs that are not what they seem: vector and document formats, archives, text, empty and
// magic-only bodies, and tiny files whose headers declare huge images. Each carries the status
// the error table prescribes for it.
import { crc32, deflateSync, gzipSync } from 'node:zlib';
import type { SeedImage } from './seed-images.ts';
import type { Prng } from './prng.ts';

export interface Confusion {
  /** Label in the summary, e.g. "svg-entity". */
  name: string;
  bytes: Buffer;
  /** Statuses the contract allows for it (with valid query parameters). */
  expected: readonly number[];
  /** Why those statuses, for failure reports. */
  rule: string;
}

const UNSUPPORTED = { expected: [415], rule: 'not an image the service decodes: 415 UNSUPPORTED_MEDIA_TYPE' } as const;
const TOO_BIG = { expected: [422], rule: 'declared width × height over MAX_PIXELS: 422 UNPROCESSABLE_IMAGE from the header' } as const;

const SVG_BODY = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>';

function pngChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A well-formed PNG (valid CRCs) declaring width × height, with `idat` as its image data. */
export function pngWithHeader(width: number, height: number, colourType: number, idat: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width >>> 0, 0);
  ihdr.writeUInt32BE(height >>> 0, 4);
  ihdr.set([8, colourType, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A GIF89a of `frames` 1×1 frames, or one frame declaring `width` × `height`. */
function gif(width: number, height: number, frames: number): Buffer {
  const parts = [Buffer.from('GIF89a', 'latin1')];
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen[4] = 0x80; // global colour table of 2 entries
  parts.push(screen, Buffer.from([0, 0, 0, 255, 255, 255]));
  parts.push(Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 3, 1, 0, 0, 0]));
  const frame = Buffer.alloc(10);
  frame[0] = 0x2c;
  frame.writeUInt16LE(width, 5);
  frame.writeUInt16LE(height, 7);
  // LZW, code size 2: clear (4), pixel 0, end (5) packed into bytes 0x44 0x01.
  const data = Buffer.from([2, 2, 0x44, 0x01, 0]);
  for (let i = 0; i < frames; i++) parts.push(Buffer.from([0x21, 0xf9, 4, 0, 1, 0, 0, 0]), frame, data);
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

function minimalPdf(): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>'];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function storedZip(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(10, 4);
  header.writeUInt32LE(crc32(content), 14);
  header.writeUInt32LE(content.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return Buffer.concat([header, Buffer.from(name, 'latin1'), content, end]);
}

function bmp(): Buffer {
  const out = Buffer.alloc(54 + 16);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(2, 18);
  out.writeInt32LE(2, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  return out;
}

function withEdit(seed: SeedImage | undefined, edit: (bytes: Buffer) => boolean): Buffer | null {
  if (!seed) return null;
  const bytes = Buffer.from(seed.bytes);
  return edit(bytes) ? bytes : null;
}

/** The fixed confusion inputs (some built from `seeds`). */
export function makeConfusions(seeds: readonly SeedImage[]): Confusion[] {
  const seed = (name: string) => seeds.find((s) => s.name === name);
  const svg = (name: string, text: string): Confusion => ({ name, bytes: Buffer.from(text, 'utf8'), ...UNSUPPORTED });
  const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
  const list: Array<Confusion | null> = [
    svg('svg-plain', SVG_BODY),
    svg('svg-xml-declaration', `<?xml version="1.0" encoding="UTF-8"?>\n${SVG_BODY}`),
    svg(
      'svg-doctype',
      `<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${SVG_BODY}`,
    ),
    svg(
      'svg-entity',
      `<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY fill "red">]>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="&fill;"/></svg>`,
    ),
    svg(
      'svg-billion-laughs',
      `<?xml version="1.0"?>\n<!DOCTYPE svg [${lol}]>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&lol9;</text></svg>`,
    ),
    svg(
      'svg-external-entity',
      `<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&secret;</text></svg>`,
    ),
    svg('svg-huge-dimensions', '<svg xmlns="http://www.w3.org/2000/svg" width="100000000" height="100000000"><rect width="10" height="10"/></svg>'),
    { name: 'svgz', bytes: gzipSync(Buffer.from(SVG_BODY)), ...UNSUPPORTED },
    { name: 'pdf-header', bytes: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), ...UNSUPPORTED },
    { name: 'pdf-document', bytes: minimalPdf(), ...UNSUPPORTED },
    { name: 'zip-empty', bytes: Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]), ...UNSUPPORTED },
    seed('png-rgb8') ? { name: 'zip-with-png', bytes: storedZip('image.png', seed('png-rgb8')!.bytes), ...UNSUPPORTED } : null,
    seed('jpeg-baseline') ? { name: 'gzip-jpeg', bytes: gzipSync(seed('jpeg-baseline')!.bytes), ...UNSUPPORTED } : null,
    { name: 'text-ascii', bytes: Buffer.from('just some text, not an image\n'.repeat(30)), ...UNSUPPORTED },
    { name: 'text-utf8', bytes: Buffer.from('histogramme 图像 гистограмма 🖼️\n'.repeat(20), 'utf8'), ...UNSUPPORTED },
    { name: 'json', bytes: Buffer.from(JSON.stringify({ image: 'data:image/png;base64,iVBORw0KGgo=', width: 10 })), ...UNSUPPORTED },
    { name: 'html', bytes: Buffer.from('<!doctype html><html><body><img src="x.png"></body></html>'), ...UNSUPPORTED },
    { name: 'whitespace', bytes: Buffer.from(' \n\t\r\n '.repeat(10)), ...UNSUPPORTED },
    { name: 'one-byte', bytes: Buffer.from([0xff]), ...UNSUPPORTED },
    { name: 'bmp', bytes: bmp(), ...UNSUPPORTED },
    { name: 'psd-header', bytes: Buffer.concat([Buffer.from('8BPS\x00\x01', 'latin1'), Buffer.alloc(40)]), ...UNSUPPORTED },
    {
      name: 'jpeg2000-signature',
      bytes: Buffer.concat([Buffer.from([0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]), Buffer.alloc(64)]),
      ...UNSUPPORTED,
    },
    { name: 'jpeg-xl-codestream', bytes: Buffer.concat([Buffer.from([0xff, 0x0a, 0xfa, 0x7f]), Buffer.alloc(64, 0x11)]), ...UNSUPPORTED },
    { name: 'ppm', bytes: Buffer.concat([Buffer.from('P6\n2 2\n255\n'), Buffer.alloc(12, 200)]), ...UNSUPPORTED },
    { name: 'fits', bytes: Buffer.from('SIMPLE  =                    T'.padEnd(2880, ' ')), ...UNSUPPORTED },
    { name: 'empty', bytes: Buffer.alloc(0), expected: [400], rule: 'empty body or empty multipart file: 400 BAD_REQUEST' },
    { name: 'png-100000x100000', bytes: pngWithHeader(100_000, 100_000, 2, deflateSync(Buffer.alloc(1000))), ...TOO_BIG },
    { name: 'png-65536x65536-gray', bytes: pngWithHeader(65_536, 65_536, 0, deflateSync(Buffer.alloc(100))), ...TOO_BIG },
    { name: 'png-8000x8000-gray', bytes: pngWithHeader(8000, 8000, 0, deflateSync(Buffer.alloc(8001 * 200))), ...TOO_BIG },
    // 36 MB of zero rows deflated to ~35 KB: under MAX_PIXELS, a valid image to decode in full.
    {
      name: 'png-6000x6000-deflate-bomb',
      bytes: pngWithHeader(6000, 6000, 0, deflateSync(Buffer.alloc(6001 * 6000), { level: 9 })),
      expected: [200],
      rule: 'a valid 36-megapixel image under MAX_PIXELS: 200',
    },
    {
      name: 'png-7000x7000-short-data',
      bytes: pngWithHeader(7000, 7000, 2, deflateSync(Buffer.alloc(2000))),
      expected: [422],
      rule: 'under MAX_PIXELS but its data ends early: 422 truncated',
    },
    { name: 'gif-65535x65535', bytes: gif(65535, 65535, 1), ...TOO_BIG },
    {
      name: 'gif-4000-frames',
      bytes: gif(1, 1, 4000),
      expected: [200, 422],
      rule: 'only the first frame is read: 200, or 422 if frames count against the limit',
    },
    {
      name: 'jpeg-sof-65500x65500',
      bytes:
        withEdit(seed('jpeg-baseline'), (b) => {
          for (let at = 2; at + 9 < b.length; ) {
            const marker = b[at + 1]!;
            if (marker >= 0xc0 && marker <= 0xc2) {
              b.writeUInt16BE(65500, at + 5);
              b.writeUInt16BE(65500, at + 7);
              return true;
            }
            at += 2 + b.readUInt16BE(at + 2);
          }
          return false;
        }) ?? Buffer.alloc(0),
      ...TOO_BIG,
    },
    {
      name: 'webp-vp8x-16384x16384',
      bytes:
        withEdit(seed('webp-alpha'), (b) => {
          if (b.toString('latin1', 12, 16) !== 'VP8X') return false;
          b.writeUIntLE(16383, 24, 3);
          b.writeUIntLE(16383, 27, 3);
          return true;
        }) ?? Buffer.alloc(0),
      ...TOO_BIG,
    },
    {
      name: 'tiff-1000000x1000000',
      bytes:
        withEdit(seed('tiff-lzw'), (b) => {
          if (b.toString('latin1', 0, 2) !== 'II') return false;
          const ifd = b.readUInt32LE(4);
          let edited = 0;
          for (let i = 0; i < b.readUInt16LE(ifd); i++) {
            const entry = ifd + 2 + i * 12;
            const tag = b.readUInt16LE(entry);
            if (tag !== 256 && tag !== 257) continue;
            b.writeUInt16LE(4, entry + 2); // LONG
            b.writeUInt32LE(1_000_000, entry + 8);
            edited++;
          }
          return edited === 2;
        }) ?? Buffer.alloc(0),
      ...TOO_BIG,
    },
    {
      name: 'avif-ispe-60000x60000',
      bytes:
        withEdit(seed('avif'), (b) => {
          const at = b.indexOf('ispe', 0, 'latin1');
          if (at < 0) return false;
          b.writeUInt32BE(60000, at + 8);
          b.writeUInt32BE(60000, at + 12);
          return true;
        }) ?? Buffer.alloc(0),
      expected: [422],
      rule: 'declared 60000 × 60000 over MAX_PIXELS (or a size the decoder refuses): 422',
    },
  ];
  return list.filter((c): c is Confusion => c !== null && (c.bytes.length > 0 || c.name === 'empty'));
}

/** The first 1-24 bytes of a seed: a signature with nothing behind it. */
export function magicOnly(seed: SeedImage, rng: Prng): Confusion {
  const length = Math.min(seed.bytes.length - 1, rng.int(1, 24));
  return {
    name: 'magic-only',
    bytes: Buffer.from(seed.bytes.subarray(0, length)),
    expected: [415, 422],
    rule: `the first ${length} bytes of a ${seed.name}: 415 if the signature is incomplete, else 422 truncated`,
  };
}
