// Turns uploaded bytes into raw samples with sharp, after checking the format, the sample
// format and the pixel count from the header alone (cheap), so oversized images and samples
// without a counting rule are refused before decoding.
// sharp runs its work on libuv's thread pool: calling it from the event loop does not block it.
import sharp, { type Metadata } from 'sharp';
import { ImageError } from './image-error.ts';
import { withDecoderErrors } from './decoder-errors.ts';
import { hasHevcBrand, sniffFormat } from './sniff-format.ts';
import { readImageHeader, type ImageHeader } from './read-header.ts';
import { hevcUnsupported, sampleClass, type SampleFacts } from './sample-format.ts';
import { gifTransparentColour, paintTransparentPixels } from './gif-transparency.ts';
import { decodeByClass } from './decode-by-class.ts';

/** Formats accepted, as sharp's metadata names them. SVG/PDF are vector and refused; HEIF only when AV1-coded (AVIF). */
export const DECODABLE_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif']);

const EXPECTED = 'expected JPEG, PNG, WebP, GIF, TIFF or AVIF';

// A stream of unique images gains nothing from libvips' operation cache (sharp docs,
// performance), and one libvips thread per image: CONCURRENCY images already run at once, each
// on its own libuv thread. Both settings are process-wide.
sharp.cache(false);
sharp.concurrency(1);

export interface DecodedImage {
  /** Interleaved samples: bytes for 8-bit images, Uint16Array (native order) for 16-bit ones. */
  pixels: Uint8Array | Uint16Array;
  width: number;
  height: number;
  /** Channels in the decoded buffer: 1 gray, 2 gray+alpha (16-bit only), 3 RGB, 4 RGBA (8-bit gray+alpha arrives as RGBA). */
  channels: number;
  /** Bits per sample in `pixels`: 16 for 16-bit sources, else 8. */
  sampleBits: 8 | 16;
  /** True for grayscale sources: R = G = B = gray, and luma is the gray channel. */
  gray: boolean;
  /** Channels the encoded image declares (e.g. 4 for CMYK). */
  channelsInImage: number;
  /** "jpeg", "png", "webp", "gif", "tiff" or "avif". */
  format: string;
  /** The source colour space (sharp's interpretation, e.g. "srgb", "b-w", "cmyk", "rgb16"). */
  space: string;
  /** Frames in the file (1 for still images); only the first is decoded. */
  frames: number;
}

/**
 * Decodes the first frame of `bytes` to its samples, by the rule of its class: 8-bit images as
 * their 8-bit RGB (or gray) samples, no colour profile applied; 16-bit gray and RGB(A) as the
 * high bytes of their samples, or with `keep16` as their 16-bit samples untouched (which count
 * twice against `maxPixels`); CMYK from its stored samples to RGB by Pillow's rule (no colour
 * profile); GIF's transparent pixels given their palette colour.
 * @throws {ImageError} `unsupported` for bytes that are not a supported image (SVG and XML are
 *   refused from their first bytes, before any decoder sees them) and for HEVC-coded HEIF;
 *   `unprocessable` for a corrupt or truncated image, one over `maxPixels`, or samples without a
 *   counting rule (float, 32-bit integer, more than 4 bands, CMYK with alpha). Other errors (out
 *   of memory, a bug) are rethrown as they are.
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number, keep16 = false): Promise<DecodedImage> {
  const sniffed = sniffFormat(bytes);
  if (sniffed === 'svg' || sniffed === 'pdf') {
    throw new ImageError('unsupported', `the upload is ${sniffed === 'svg' ? 'SVG or XML text' : 'a PDF document'}, a vector format; ${EXPECTED}`);
  }
  // HEIC says so in its first bytes: refused before libheif reads (or fails to read) the rest.
  if (sniffed === 'heif' && hasHevcBrand(bytes)) throw hevcUnsupported();
  const formatName = (sniffed ?? 'image').toUpperCase();
  const header: Header =
    withOneFrame(readImageHeader(bytes)) ??
    headerFrom(await withDecoderErrors(() => sharp(bytes, { limitInputPixels: false }).metadata(), formatName, maxPixels));
  const { format, width, frames } = header;
  if (!DECODABLE_FORMATS.has(format) && format !== 'heif') {
    throw new ImageError('unsupported', `the upload is a ${format.toUpperCase()} image; ${EXPECTED}`);
  }
  const samples = sampleClass(header); // HEIF that is not AVIF is refused here, as HEVC
  const frameHeight = header.height;
  const pixelCount = width * frameHeight;
  if (pixelCount > maxPixels) {
    throw new ImageError('unprocessable', `the image is ${width} × ${frameHeight} = ${pixelCount} pixels; the limit is ${maxPixels}`);
  }
  // 16-bit samples kept as they are take two bytes each: such an image counts twice against the
  // pixel limit, so the memory the limit bounds is the same at either depth.
  const sixteen = samples === 'ushort' && keep16;
  if (sixteen && 2 * pixelCount > maxPixels) {
    throw new ImageError(
      'unprocessable',
      `the image is ${width} × ${frameHeight} = ${pixelCount} pixels of 16-bit samples, which count twice when kept at 16 bits (depth=16 or mask=alpha); the limit is ${maxPixels}`,
    );
  }
  if (width === 0 || frameHeight === 0) {
    throw new ImageError('unprocessable', 'the image header declares no pixels (width or height is 0)');
  }
  if (samples === 'cmyk' || sixteen) return decodeByClass(bytes, maxPixels, header, samples, formatName);
  const gray = header.space === 'b-w' || header.space === 'grey16';
  // failOn 'warning': a truncated JPEG decodes with a warning and gray padding; refuse it.
  // ignoreIcc: the samples are counted as stored, as Pillow reads them; converting through an
  // embedded profile (a phone's Display P3, Adobe RGB) would change every value.
  // Gray without alpha stays one channel (luma is the gray channel). libvips drops the alpha
  // of gray+alpha when asked for b-w, so that decodes as RGBA with R = G = B = gray, whose
  // Rec. 601 luma is exactly the gray value (the weights sum to 65536). 16-bit samples counted at
  // depth 8 come the same way: libvips' 16-bit to 8-bit sRGB conversion keeps each sample's high
  // byte (v >> 8) exactly, for gray too, whereas its 16-bit gray to 8-bit gray route does not;
  // so 16-bit gray decodes as RGB with R = G = B, at a third more memory than 8-bit gray.
  const space = gray && !header.hasAlpha && samples === 'uchar' ? 'b-w' : 'srgb';
  const { data, info } = await withDecoderErrors(
    () =>
      sharp(bytes, { limitInputPixels: maxPixels, failOn: 'warning', page: 0, pages: 1, sequentialRead: true, ignoreIcc: true })
        .toColourspace(space)
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true }),
    formatName,
    maxPixels,
  );
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
  if (format === 'gif' && info.channels === 4) {
    const colour = gifTransparentColour(bytes);
    if (colour) paintTransparentPixels(pixels, colour);
  }
  return {
    pixels,
    width: info.width,
    height: info.height,
    channels: info.channels,
    sampleBits: 8,
    gray,
    channelsInImage: header.channels || info.channels,
    format,
    space: header.space,
    frames,
  };
}

export interface Header extends Pick<ImageHeader, 'width' | 'height' | 'channels' | 'space' | 'hasAlpha'>, SampleFacts {
  format: string;
  /** Frames in the file; `height` is the height of one. */
  frames: number;
}

/** The same facts from sharp's metadata, for formats and cases readImageHeader leaves alone. */
function headerFrom(meta: Metadata): Header {
  const frames = meta.pages ?? 1;
  return {
    format: meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : String(meta.format),
    width: meta.width ?? 0,
    // pageHeight is the height of one frame of a multi-page/animated image.
    height: frames > 1 && meta.pageHeight ? meta.pageHeight : (meta.height ?? 0),
    channels: meta.channels ?? 0,
    space: String(meta.space ?? 'srgb'),
    hasAlpha: meta.hasAlpha === true,
    frames,
    ...(meta.depth ? { depth: meta.depth } : {}),
    ...(meta.compression ? { compression: meta.compression } : {}),
  };
}

function withOneFrame(header: ImageHeader | null): Header | null {
  return header && { ...header, frames: 1 };
}
