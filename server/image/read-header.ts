// Reads what decoding needs from a JPEG or PNG header in JavaScript (dimensions, channels,
// colour space, alpha), in microseconds and without a call into libvips: for small images
// sharp's metadata() call costs a quarter of the decode itself. It answers only for the plain
// cases it knows libvips names the same way; anything else (other formats, unusual JPEG
// component counts, a PNG whose chunks it cannot follow) returns null, and the caller asks
// sharp instead.

export interface ImageHeader {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  /** Channels as libvips reports them (a palette PNG with transparency: 4). */
  channels: number;
  /** libvips' interpretation of the source: "b-w", "grey16", "srgb", "rgb16" or "cmyk". */
  space: string;
  hasAlpha: boolean;
}

/** The header of a JPEG or PNG in `bytes`, or null (see the module comment). */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return readJpeg(bytes);
  if (bytes.length > 33 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return readPng(bytes);
  return null;
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

// Start-of-frame markers: baseline, extended, progressive, lossless (Huffman and arithmetic);
// not DHT (C4), JPG (C8) or DAC (CC), which share the range.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function readJpeg(b: Uint8Array): ImageHeader | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const length = u16(b, at + 2);
    if (length < 2) return null;
    if (SOF.has(marker)) {
      if (at + 10 > b.length) return null;
      const precision = b[at + 4]!;
      const height = u16(b, at + 5);
      const width = u16(b, at + 7);
      const components = b[at + 9]!;
      // Height 0 (set later by a DNL marker) and 12/16-bit JPEGs: let libvips say.
      if (precision !== 8 || height === 0 || width === 0) return null;
      const space = components === 1 ? 'b-w' : components === 3 ? 'srgb' : components === 4 ? 'cmyk' : null;
      if (!space) return null;
      return { format: 'jpeg', width, height, channels: components, space, hasAlpha: false };
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan or end before any frame header
    at += 2 + length;
  }
  return null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IHDR = 0x49484452;
const TRNS = 0x74524e53;
const IDAT = 0x49444154;

function readPng(b: Uint8Array): ImageHeader | null {
  for (let i = 0; i < 8; i++) if (b[i] !== PNG_SIGNATURE[i]) return null;
  if (u32(b, 8) !== 13 || u32(b, 12) !== IHDR) return null;
  const width = u32(b, 16);
  const height = u32(b, 20);
  const depth = b[24]!;
  const colourType = b[25]!;
  if (width === 0 || height === 0) return null;
  // tRNS, which gives gray, RGB and palette images an alpha channel, comes before the first IDAT.
  let transparency = false;
  let at = 33;
  for (;;) {
    if (at + 8 > b.length) return null;
    const type = u32(b, at + 4);
    if (type === IDAT) break;
    if (type === TRNS) transparency = true;
    at += 12 + u32(b, at);
  }
  const sixteen = depth === 16;
  switch (colourType) {
    case 0:
      return { format: 'png', width, height, channels: transparency ? 2 : 1, space: sixteen ? 'grey16' : 'b-w', hasAlpha: transparency };
    case 2:
      return { format: 'png', width, height, channels: transparency ? 4 : 3, space: sixteen ? 'rgb16' : 'srgb', hasAlpha: transparency };
    case 3:
      return { format: 'png', width, height, channels: transparency ? 4 : 3, space: 'srgb', hasAlpha: transparency };
    case 4:
      return { format: 'png', width, height, channels: 2, space: sixteen ? 'grey16' : 'b-w', hasAlpha: true };
    case 6:
      return { format: 'png', width, height, channels: 4, space: sixteen ? 'rgb16' : 'srgb', hasAlpha: true };
    default:
      return null;
  }
}
