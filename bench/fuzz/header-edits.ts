// Format-aware mutations: edits of the header fields decoders trust (width, height, bit depth,
// colour type, component counts, box and chunk sizes, CRCs) in PNG, JPEG, GIF, WebP, TIFF and
// ISO-BMFF (AVIF/HEIF) files. Each returns the edited copy and what it changed, or null when
// the file has no such field.
import { crc32 } from 'node:zlib';
import type { Prng } from './prng.ts';

export interface Edit {
  bytes: Buffer;
  what: string;
}

type Editor = (bytes: Buffer, rng: Prng) => Edit | null;

// Values that break decoders: zero, one, sign bits, the field's maximum, near-limit sizes.
const DIMENSIONS_32 = [0, 1, 2, 7000, 8000, 65535, 65536, 100_000, 0x7fffffff, 0x80000000, 0xffffffff];
const DIMENSIONS_16 = [0, 1, 2, 255, 256, 7000, 32767, 32768, 65535];

function pickDimension(rng: Prng, values: readonly number[], max: number): number {
  return rng.chance(0.75) ? rng.pick(values) : rng.int(0, max);
}

// ---- PNG -------------------------------------------------------------------------------------

interface PngChunk {
  /** Offset of the length field. */
  at: number;
  length: number;
  type: string;
}

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

export function pngChunks(bytes: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return chunks;
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    chunks.push({ at, length, type: bytes.toString('latin1', at + 4, at + 8) });
    if (length > bytes.length) break;
    at += 12 + length;
  }
  return chunks;
}

/** Recomputes the CRC of the chunk at `chunk.at`, so a decoder gets past the CRC to the field. */
function fixPngCrc(bytes: Buffer, chunk: PngChunk): void {
  const end = chunk.at + 8 + chunk.length;
  if (end + 4 > bytes.length) return;
  bytes.writeUInt32BE(crc32(bytes.subarray(chunk.at + 4, end)), end);
}

const pngIhdrField: Editor = (input, rng) => {
  const ihdr = pngChunks(input).find((c) => c.type === 'IHDR');
  if (!ihdr || ihdr.length < 13) return null;
  const bytes = Buffer.from(input);
  const data = ihdr.at + 8;
  const field = rng.pick(['width', 'height', 'bit depth', 'colour type', 'compression', 'filter', 'interlace'] as const);
  let value: number;
  switch (field) {
    case 'width':
    case 'height':
      value = pickDimension(rng, DIMENSIONS_32, 0xffffffff);
      bytes.writeUInt32BE(value, data + (field === 'width' ? 0 : 4));
      break;
    case 'bit depth':
      value = rng.pick([0, 1, 2, 3, 4, 7, 8, 16, 32, 255]);
      bytes[data + 8] = value;
      break;
    case 'colour type':
      value = rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 255]);
      bytes[data + 9] = value;
      break;
    default:
      value = rng.pick([1, 2, 255]);
      bytes[data + (field === 'compression' ? 10 : field === 'filter' ? 11 : 12)] = value;
  }
  const fix = rng.chance(0.8);
  if (fix) fixPngCrc(bytes, ihdr);
  return { bytes, what: `png IHDR ${field}=${value}${fix ? ' (CRC fixed)' : ' (CRC stale)'}` };
};

const pngChunkEdit: Editor = (input, rng) => {
  const chunks = pngChunks(input);
  if (chunks.length < 2) return null;
  const chunk = rng.pick(chunks);
  const action = rng.pick(['crc', 'length', 'drop', 'duplicate', 'unknown-critical', 'unknown-ancillary', 'zlib-header'] as const);
  const end = chunk.at + 12 + chunk.length;
  switch (action) {
    case 'crc': {
      const bytes = Buffer.from(input);
      const crcAt = chunk.at + 8 + chunk.length;
      if (crcAt + 4 > bytes.length) return null;
      bytes.writeUInt32BE(rng.next32(), crcAt);
      return { bytes, what: `png ${chunk.type} CRC corrupted` };
    }
    case 'length': {
      const bytes = Buffer.from(input);
      const value = rng.pick([0, chunk.length - 1, chunk.length + 1, 0x7fffffff, 0xffffffff, rng.next32()]) >>> 0;
      bytes.writeUInt32BE(value, chunk.at);
      return { bytes, what: `png ${chunk.type} length=${value}` };
    }
    case 'drop':
      return { bytes: Buffer.concat([input.subarray(0, chunk.at), input.subarray(end)]), what: `png ${chunk.type} chunk dropped` };
    case 'duplicate':
      return { bytes: Buffer.concat([input.subarray(0, end), input.subarray(chunk.at, end), input.subarray(end)]), what: `png ${chunk.type} chunk duplicated` };
    case 'unknown-critical':
    case 'unknown-ancillary': {
      const type = action === 'unknown-critical' ? 'ZZZZ' : 'zzZz';
      const data = rng.bytes(rng.int(0, 64));
      const extra = Buffer.alloc(12 + data.length);
      extra.writeUInt32BE(data.length, 0);
      extra.write(type, 4, 'latin1');
      data.copy(extra, 8);
      extra.writeUInt32BE(crc32(extra.subarray(4, 8 + data.length)), 8 + data.length);
      return { bytes: Buffer.concat([input.subarray(0, end), extra, input.subarray(end)]), what: `png ${type} chunk inserted after ${chunk.type}` };
    }
    case 'zlib-header': {
      const idat = chunks.find((c) => c.type === 'IDAT');
      if (!idat || idat.length < 2) return null;
      const bytes = Buffer.from(input);
      bytes[idat.at + 8 + rng.int(0, 1)] = rng.next32() & 255;
      fixPngCrc(bytes, idat);
      return { bytes, what: 'png IDAT zlib header edited (CRC fixed)' };
    }
  }
};

// ---- JPEG ------------------------------------------------------------------------------------

interface JpegSegment {
  at: number;
  marker: number;
  /** Segment length field (includes its own two bytes). */
  length: number;
}

export function jpegSegments(bytes: Buffer): JpegSegment[] {
  const segments: JpegSegment[] = [];
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return segments;
  for (let at = 2; at + 4 <= bytes.length; ) {
    if (bytes[at] !== 0xff) break;
    const marker = bytes[at + 1]!;
    if (marker === 0xd9) break;
    const length = bytes.readUInt16BE(at + 2);
    segments.push({ at, marker, length });
    if (marker === 0xda) break; // entropy-coded data follows
    at += 2 + length;
  }
  return segments;
}

const isSof = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

const jpegHeaderField: Editor = (input, rng) => {
  const segments = jpegSegments(input);
  if (segments.length === 0) return null;
  const bytes = Buffer.from(input);
  const sof = segments.find((s) => isSof(s.marker));
  const choice = rng.pick([
    'height',
    'width',
    'precision',
    'components',
    'sampling',
    'quant-table',
    'sof-type',
    'segment-length',
    'dqt',
    'dht',
    'sos',
  ] as const);
  if (sof && ['height', 'width', 'precision', 'components', 'sampling', 'quant-table', 'sof-type'].includes(choice)) {
    const p = sof.at + 4;
    switch (choice) {
      case 'height':
      case 'width': {
        const value = pickDimension(rng, DIMENSIONS_16, 65535);
        bytes.writeUInt16BE(value, p + (choice === 'height' ? 1 : 3));
        return { bytes, what: `jpeg SOF ${choice}=${value}` };
      }
      case 'precision': {
        const value = rng.pick([0, 1, 7, 12, 16, 255]);
        bytes[p] = value;
        return { bytes, what: `jpeg SOF precision=${value}` };
      }
      case 'components': {
        const value = rng.pick([0, 1, 2, 3, 4, 5, 255]);
        bytes[p + 5] = value;
        return { bytes, what: `jpeg SOF components=${value}` };
      }
      case 'sampling':
      case 'quant-table': {
        const count = bytes[p + 5] ?? 0;
        if (count === 0) return null;
        const component = rng.int(0, count - 1);
        const at = p + 6 + component * 3 + (choice === 'sampling' ? 1 : 2);
        if (at >= bytes.length) return null;
        const value = choice === 'sampling' ? rng.pick([0x00, 0x11, 0x22, 0x44, 0x41, 0x14, 0xff]) : rng.pick([1, 2, 3, 4, 255]);
        bytes[at] = value;
        return { bytes, what: `jpeg SOF component ${component} ${choice}=0x${value.toString(16)}` };
      }
      case 'sof-type': {
        const value = rng.pick([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc9, 0xca, 0xcb, 0xcf]);
        bytes[sof.at + 1] = value;
        return { bytes, what: `jpeg SOF marker=0x${value.toString(16)}` };
      }
    }
  }
  const segment =
    choice === 'dqt'
      ? segments.find((s) => s.marker === 0xdb)
      : choice === 'dht'
        ? segments.find((s) => s.marker === 0xc4)
        : choice === 'sos'
          ? segments.find((s) => s.marker === 0xda)
          : rng.pick(segments);
  if (!segment) return null;
  if (choice === 'segment-length' || !['dqt', 'dht', 'sos'].includes(choice)) {
    const value = rng.pick([0, 1, 2, segment.length - 1, segment.length + 1, 65535]);
    bytes.writeUInt16BE(value & 0xffff, segment.at + 2);
    return { bytes, what: `jpeg 0x${segment.marker.toString(16)} segment length=${value & 0xffff}` };
  }
  // The first bytes of the table: precision/id (DQT), class/id and the code counts (DHT),
  // component count and table selectors (SOS).
  const at = segment.at + 4 + rng.int(0, Math.min(16, Math.max(0, segment.length - 3)));
  if (at >= bytes.length) return null;
  const value = rng.pick([0, 1, 0x0f, 0x10, 0x11, 0x44, 0xff, rng.next32() & 255]);
  bytes[at] = value;
  return { bytes, what: `jpeg ${choice.toUpperCase()} byte +${at - segment.at}=0x${value.toString(16)}` };
};

// ---- GIF -------------------------------------------------------------------------------------

const gifHeaderField: Editor = (input, rng) => {
  if (input.toString('latin1', 0, 3) !== 'GIF' || input.length < 13) return null;
  const bytes = Buffer.from(input);
  const descriptor = input.indexOf(0x2c, 13);
  const choice = rng.pick(['screen-width', 'screen-height', 'screen-flags', 'frame-width', 'frame-height', 'frame-left', 'lzw-code-size', 'version'] as const);
  switch (choice) {
    case 'screen-width':
    case 'screen-height': {
      const value = pickDimension(rng, DIMENSIONS_16, 65535);
      bytes.writeUInt16LE(value, choice === 'screen-width' ? 6 : 8);
      return { bytes, what: `gif ${choice}=${value}` };
    }
    case 'screen-flags': {
      const value = rng.next32() & 255;
      bytes[10] = value;
      return { bytes, what: `gif screen flags=0x${value.toString(16)}` };
    }
    case 'version':
      bytes.write(rng.pick(['87a', '89a', '90a', '\0\0\0']), 3, 'latin1');
      return { bytes, what: 'gif version edited' };
    default: {
      if (descriptor < 0 || descriptor + 10 > bytes.length) return null;
      if (choice === 'lzw-code-size') {
        const flags = bytes[descriptor + 9]!;
        const localTable = flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0;
        const at = descriptor + 10 + localTable;
        if (at >= bytes.length) return null;
        const value = rng.pick([0, 1, 2, 11, 12, 13, 255]);
        bytes[at] = value;
        return { bytes, what: `gif LZW minimum code size=${value}` };
      }
      const offset = choice === 'frame-left' ? 1 : choice === 'frame-width' ? 5 : 7;
      const value = pickDimension(rng, DIMENSIONS_16, 65535);
      bytes.writeUInt16LE(value, descriptor + offset);
      return { bytes, what: `gif first ${choice}=${value}` };
    }
  }
};

// ---- WebP ------------------------------------------------------------------------------------

const webpHeaderField: Editor = (input, rng) => {
  if (input.toString('latin1', 0, 4) !== 'RIFF' || input.toString('latin1', 8, 12) !== 'WEBP' || input.length < 30) return null;
  const bytes = Buffer.from(input);
  const kind = input.toString('latin1', 12, 16);
  const choice = rng.pick(['riff-size', 'chunk-size', 'dimensions', 'dimensions', 'flags'] as const);
  if (choice === 'riff-size') {
    const value = rng.pick([0, 4, bytes.length, bytes.length * 2, 0xffffffff]) >>> 0;
    bytes.writeUInt32LE(value, 4);
    return { bytes, what: `webp RIFF size=${value}` };
  }
  if (choice === 'chunk-size') {
    const value = rng.pick([0, 1, 0x7fffffff, 0xffffffff, rng.next32()]) >>> 0;
    bytes.writeUInt32LE(value, 16);
    return { bytes, what: `webp ${kind.trim()} chunk size=${value}` };
  }
  if (kind === 'VP8X') {
    if (choice === 'flags') {
      const value = rng.next32() & 0x3f;
      bytes[20] = value;
      return { bytes, what: `webp VP8X flags=0x${value.toString(16)}` };
    }
    const w = rng.pick([0, 1, 16383, 16384, 0xffffff, rng.int(0, 0xffffff)]);
    const h = rng.pick([0, 1, 16383, 16384, 0xffffff, rng.int(0, 0xffffff)]);
    bytes.writeUIntLE(w, 24, 3);
    bytes.writeUIntLE(h, 27, 3);
    return { bytes, what: `webp VP8X canvas=${w + 1}×${h + 1}` };
  }
  if (kind === 'VP8L') {
    // 14 bits width-1, 14 bits height-1, 1 bit alpha, 3 bits version after the 0x2f signature.
    const w = rng.int(0, 16383);
    const h = rng.int(0, 16383);
    const version = rng.chance(0.8) ? 0 : rng.int(1, 7);
    const word = (w | (h << 14) | ((rng.next32() & 1) << 28) | (version << 29)) >>> 0;
    bytes.writeUInt32LE(word, 21);
    return { bytes, what: `webp VP8L ${w + 1}×${h + 1} version ${version}` };
  }
  if (kind === 'VP8 ') {
    if (choice === 'flags') {
      bytes[23 + rng.int(0, 2)] = rng.next32() & 255; // start code 9d 01 2a
      return { bytes, what: 'webp VP8 start code edited' };
    }
    const w = rng.int(0, 0xffff);
    const h = rng.int(0, 0xffff);
    bytes.writeUInt16LE(w, 26);
    bytes.writeUInt16LE(h, 28);
    return { bytes, what: `webp VP8 frame size fields=0x${w.toString(16)}×0x${h.toString(16)}` };
  }
  return null;
};

// ---- TIFF ------------------------------------------------------------------------------------

const TIFF_TAGS: Record<number, string> = {
  256: 'ImageWidth',
  257: 'ImageLength',
  258: 'BitsPerSample',
  259: 'Compression',
  262: 'Photometric',
  273: 'StripOffsets',
  277: 'SamplesPerPixel',
  278: 'RowsPerStrip',
  279: 'StripByteCounts',
  284: 'PlanarConfig',
  338: 'ExtraSamples',
  339: 'SampleFormat',
};

const tiffHeaderField: Editor = (input, rng) => {
  const order = input.toString('latin1', 0, 2);
  if ((order !== 'II' && order !== 'MM') || input.length < 16) return null;
  const le = order === 'II';
  const u16 = (at: number) => (le ? input.readUInt16LE(at) : input.readUInt16BE(at));
  const u32 = (at: number) => (le ? input.readUInt32LE(at) : input.readUInt32BE(at));
  const bytes = Buffer.from(input);
  const ifd = u32(4);
  if (rng.chance(0.1) || ifd + 2 > input.length) {
    const value = rng.pick([0, 1, 8, input.length, 0xffffffff]) >>> 0;
    if (le) bytes.writeUInt32LE(value, 4);
    else bytes.writeUInt32BE(value, 4);
    return { bytes, what: `tiff first IFD offset=${value}` };
  }
  const count = u16(ifd);
  if (rng.chance(0.1)) {
    const value = rng.pick([0, 1, (count + 1) & 0xffff, 0xffff]);
    if (le) bytes.writeUInt16LE(value, ifd);
    else bytes.writeUInt16BE(value, ifd);
    return { bytes, what: `tiff IFD entry count=${value}` };
  }
  const entries: number[] = [];
  for (let i = 0; i < count && ifd + 2 + i * 12 + 12 <= input.length; i++) entries.push(ifd + 2 + i * 12);
  if (entries.length === 0) return null;
  const known = entries.filter((at) => TIFF_TAGS[u16(at)] !== undefined);
  const entry = known.length > 0 && rng.chance(0.85) ? rng.pick(known) : rng.pick(entries);
  const tag = u16(entry);
  const type = u16(entry + 2);
  const field = rng.pick(['value', 'value', 'value', 'count', 'type'] as const);
  const name = TIFF_TAGS[tag] ?? `tag ${tag}`;
  if (field === 'type') {
    const value = rng.pick([0, 1, 2, 3, 4, 5, 12, 16, 255]);
    if (le) bytes.writeUInt16LE(value, entry + 2);
    else bytes.writeUInt16BE(value, entry + 2);
    return { bytes, what: `tiff ${name} type=${value}` };
  }
  if (field === 'count') {
    const value = rng.pick([0, 2, 3, 4, 0xffff, 0x7fffffff, 0xffffffff]) >>> 0;
    if (le) bytes.writeUInt32LE(value, entry + 4);
    else bytes.writeUInt32BE(value, entry + 4);
    return { bytes, what: `tiff ${name} count=${value}` };
  }
  const big =
    tag === 256 || tag === 257
      ? rng.pick([0, 1, 7000, 65535, 1_000_000, 0x7fffffff, 0xffffffff])
      : rng.pick([0, 1, 2, 3, 4, 5, 7, 8, 16, 32, 64, 255, 0xffff, 0xffffffff]);
  const value = type === 3 ? big & 0xffff : big >>> 0;
  if (type === 3) {
    if (le) bytes.writeUInt16LE(value, entry + 8);
    else bytes.writeUInt16BE(value, entry + 8);
  } else if (le) bytes.writeUInt32LE(value, entry + 8);
  else bytes.writeUInt32BE(value, entry + 8);
  return { bytes, what: `tiff ${name}=${value}` };
};

// ---- ISO-BMFF (AVIF, HEIF) -------------------------------------------------------------------

const BOXES = ['ftyp', 'meta', 'hdlr', 'pitm', 'iloc', 'iinf', 'infe', 'iprp', 'ipco', 'ispe', 'pixi', 'av1C', 'hvcC', 'ipma', 'mdat', 'colr', 'auxC', 'iref'];

const bmffHeaderField: Editor = (input, rng) => {
  if (input.toString('latin1', 4, 8) !== 'ftyp') return null;
  const bytes = Buffer.from(input);
  const choice = rng.pick(['ispe', 'ispe', 'box-size', 'brand', 'pixi', 'iloc'] as const);
  const find = (type: string) => {
    const found: number[] = [];
    for (let at = input.indexOf(type, 0, 'latin1'); at >= 4; at = input.indexOf(type, at + 1, 'latin1')) found.push(at);
    return found;
  };
  if (choice === 'ispe') {
    const at = find('ispe')[0];
    if (at === undefined || at + 16 > bytes.length) return null;
    const w = pickDimension(rng, DIMENSIONS_32, 0xffffffff);
    const h = pickDimension(rng, DIMENSIONS_32, 0xffffffff);
    bytes.writeUInt32BE(w >>> 0, at + 8);
    bytes.writeUInt32BE(h >>> 0, at + 12);
    return { bytes, what: `bmff ispe ${w}×${h}` };
  }
  if (choice === 'brand') {
    bytes.write(rng.pick(['avif', 'avis', 'heic', 'mif1', 'jpeg', 'xxxx']), 8, 'latin1');
    return { bytes, what: 'bmff ftyp major brand edited' };
  }
  if (choice === 'pixi') {
    const at = find('pixi')[0];
    if (at === undefined || at + 9 > bytes.length) return null;
    const channels = rng.pick([0, 1, 2, 3, 4, 255]);
    bytes[at + 8] = channels;
    return { bytes, what: `bmff pixi channels=${channels}` };
  }
  const type = choice === 'iloc' ? 'iloc' : rng.pick(BOXES);
  const at = find(type)[0];
  if (at === undefined) return null;
  if (choice === 'iloc') {
    // Past the version/flags and size nibbles: item count, offsets, extent lengths.
    const p = at + 8 + rng.int(0, 24);
    if (p + 4 > bytes.length) return null;
    const value = rng.pick([0, 1, 0xffff, 0xffffffff, rng.next32()]) >>> 0;
    bytes.writeUInt32BE(value, p);
    return { bytes, what: `bmff iloc word +${p - at}=${value}` };
  }
  const value = rng.pick([0, 1, 7, 8, 0x7fffffff, 0xffffffff, rng.next32()]) >>> 0;
  bytes.writeUInt32BE(value, at - 4);
  return { bytes, what: `bmff ${type} box size=${value}` };
};

const isPng = (b: Buffer) => b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE);
const EDITORS: ReadonlyArray<readonly [(bytes: Buffer) => boolean, Editor]> = [
  [isPng, pngIhdrField],
  [isPng, pngChunkEdit],
  [(b) => b[0] === 0xff && b[1] === 0xd8, jpegHeaderField],
  [(b) => b.toString('latin1', 0, 3) === 'GIF', gifHeaderField],
  [(b) => b.toString('latin1', 0, 4) === 'RIFF', webpHeaderField],
  [(b) => ['II', 'MM'].includes(b.toString('latin1', 0, 2)), tiffHeaderField],
  [(b) => b.toString('latin1', 4, 8) === 'ftyp', bmffHeaderField],
];

/** One header edit that applies to `bytes`' format, or null if none does (unknown format). */
export function headerEdit(bytes: Buffer, rng: Prng): Edit | null {
  const applicable = EDITORS.filter(([matches]) => matches(bytes)).map(([, editor]) => editor);
  for (let tries = 0; tries < 4 && applicable.length > 0; tries++) {
    const edit = rng.pick(applicable)(bytes, rng);
    if (edit) return edit;
  }
  return null;
}
