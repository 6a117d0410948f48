// What sharp and libvips say when an upload cannot be decoded, turned into this service's words.
// Messages from a decoder about its input (they start with the loader's name, or sharp's
// "Input buffer ..." prefixes) are the input's fault; anything else is not, and is rethrown for
// the caller to treat as an internal error (a libvips out-of-memory, a bug in how sharp is
// called), never blamed on the image.
import { ImageError } from './image-error.ts';
import { hevcUnsupported } from './sample-format.ts';

// The domains libvips and its loaders prefix their messages with (seen from mutated JPEG, PNG,
// GIF, WebP, TIFF, AVIF and HEIF inputs), and sharp's own input prefixes.
const INPUT_MESSAGE = new RegExp(
  [
    '^Input buffer (has corrupt header|contains unsupported image format)',
    '^Input image exceeds (pixel|channel) limit',
    // An image whose bands (count and interpretation) have no conversion to sRGB, such as a
    // TIFF declaring one sample per pixel in an RGB photometric.
    "^vips_colourspace: no known route from '\\w+' to '(srgb|b-w)'",
    '^Warning treated as error',
    '^(VipsJpeg|vipspng|spng|libspng|tiff2vips|webp2vips|heif|source|nsgif|cgif|VipsForeignLoad\\w*|\\w+load(_buffer|_source)?):',
  ].join('|'),
);
const UNSUPPORTED = /unsupported image format/i;
// libheif without an HEVC decoder: "Support for this compression format has not been built in: HEVC".
const NO_HEVC = /not been built in: HEVC|HEVC.*decoder/i;
const PIXEL_LIMIT = /exceeds pixel limit/i;
const CHANNEL_LIMIT = /exceeds channel limit/i;
const NO_COLOUR_ROUTE = /^vips_colourspace: no known route/;
const TRUNCATED = /premature end|unexpected end|end of (file|data|GIF source)|bad seek|truncated|not enough data|short read|out of data|Empty JPEG image/i;
const OUT_OF_MEMORY = /out of memory|cannot allocate|memory allocation failed/i;

/**
 * Maps `error`, thrown by sharp while reading an upload whose bytes look like `formatName`
 * (e.g. "JPEG"), to an ImageError; returns null when the error is not about the input.
 */
export function imageErrorFrom(error: unknown, formatName: string, maxPixels: number): ImageError | null {
  if (error instanceof ImageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (OUT_OF_MEMORY.test(message) || !INPUT_MESSAGE.test(message)) return null;
  if (NO_HEVC.test(message)) return hevcUnsupported();
  if (UNSUPPORTED.test(message)) {
    return new ImageError('unsupported', 'the upload is not an image format this service decodes (JPEG, PNG, WebP, GIF, TIFF or AVIF)');
  }
  if (PIXEL_LIMIT.test(message)) return new ImageError('unprocessable', `the image has more pixels than the limit of ${maxPixels}`);
  if (CHANNEL_LIMIT.test(message)) return new ImageError('unprocessable', `the ${formatName} image declares more channels than any colour image has`);
  if (NO_COLOUR_ROUTE.test(message)) {
    return new ImageError('unprocessable', `the ${formatName} image's channels (${/from '(\w+)'/.exec(message)?.[1]}) have no conversion to RGB or gray`);
  }
  if (TRUNCATED.test(message)) return new ImageError('unprocessable', `the ${formatName} data ends before the image is complete (a truncated upload?)`);
  return new ImageError('unprocessable', `the ${formatName} data is corrupt: the decoder could not read the image`);
}

/**
 * Runs `decode` (a sharp call on an upload) and turns its failures into ImageErrors as
 * imageErrorFrom does. A failure whose message says nothing known is tried once more first:
 * libvips keeps its error messages in one process-wide buffer, so a decode that fails at the
 * same moment as another can come back with an empty message or the other's text (sharp issue
 * 902). Input that is at fault fails again with its real message; a real fault of the server
 * (out of memory, a bug) fails again the same way and is rethrown as it is.
 * @throws {ImageError} for input that is not a decodable image; anything else unchanged.
 */
export async function withDecoderErrors<T>(decode: () => Promise<T>, formatName: string, maxPixels: number): Promise<T> {
  try {
    return await decode();
  } catch (first) {
    const mapped = imageErrorFrom(first, formatName, maxPixels);
    if (mapped) throw mapped;
  }
  try {
    return await decode();
  } catch (second) {
    throw imageErrorFrom(second, formatName, maxPixels) ?? second;
  }
}
