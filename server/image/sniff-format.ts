// Names the format of uploaded bytes from their first bytes (magic numbers), without a decoder:
// cheap, synchronous, and safe for inputs no decoder should see (XML with entities).

export type SniffedFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'heif' | 'avif' | 'svg' | 'pdf';

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/**
 * The format `bytes` start like, or null when they look like none of them. SVG means any XML
 * or SVG text (a BOM and whitespace allowed before `<`): this service never rasterises it.
 */
export function sniffFormat(bytes: Uint8Array): SniffedFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'gif';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (bytes.length >= 4 && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*')) return 'tiff';
  if (bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (HEVC_BRANDS.test(brand) || brand === 'mif1' || brand === 'msf1') return 'heif';
  }
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (looksLikeXml(bytes)) return 'svg';
  return null;
}

// HEIF major brands that declare HEVC-coded images (ISO/IEC 23008-12 Annex B): what phones
// write as HEIC. mif1/msf1 say only "HEIF": the image's own compression decides.
const HEVC_BRANDS = /^(heic|heix|hevc|hevx|heim|heis)$/;

/** True when `bytes` are HEIF whose major brand declares HEVC-coded images (HEIC). */
export function hasHevcBrand(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp' && HEVC_BRANDS.test(ascii(bytes, 8, 4));
}

function looksLikeXml(bytes: Uint8Array): boolean {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && i < 256 && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] !== 0x3c) return false; // '<'
  const head = ascii(bytes, i, 5).toLowerCase();
  return head.startsWith('<?xml') || head.startsWith('<svg') || head.startsWith('<!doc') || head.startsWith('<!--');
}
