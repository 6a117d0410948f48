// Turns uploaded bytes into raw 8-bit pixels with sharp, after checking the format and the
// pixel count from the header alone (cheap) so oversized images are refused before decoding.
import sharp, { type Metadata } from 'sharp';
import { ApiError, mapSharpError } from '../errors.ts';

/** Formats accepted, as sharp's metadata names them. SVG/PDF are vector and refused. */
export const DECODABLE_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif']);

export interface DecodedImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  /** Channels in the decoded buffer: 1 gray, 3 RGB, 4 RGBA (gray+alpha arrives as RGBA). */
  channels: number;
  /** True for grayscale sources: R = G = B = gray, and luma is the gray channel. */
  gray: boolean;
  /** Channels the encoded image declares (e.g. 4 for CMYK). */
  channelsInImage: number;
  /** "jpeg", "png", "webp", "gif", "tiff", "avif" or "heif". */
  format: string;
  /** The source colour space (sharp's interpretation, e.g. "srgb", "b-w", "cmyk"). */
  space: string;
  /** Frames in the file (1 for still images); only the first is decoded. */
  frames: number;
}

/**
 * Decodes the first frame of `bytes` to 8-bit sRGB (or gray) pixels.
 * @throws {ApiError} 415 UNSUPPORTED_MEDIA_TYPE for bytes that are not a supported image,
 *   422 UNPROCESSABLE_IMAGE for a corrupt/truncated image or one over `maxPixels`.
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<DecodedImage> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw mapSharpError(error, maxPixels);
  }
  const format = meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : String(meta.format);
  if (!DECODABLE_FORMATS.has(format)) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `the upload is a ${format.toUpperCase()} image; expected JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  // pageHeight is the height of one frame of a multi-page/animated image.
  const frameHeight = meta.pages && meta.pages > 1 && meta.pageHeight ? meta.pageHeight : height;
  const pixelCount = width * frameHeight;
  if (pixelCount > maxPixels) {
    throw new ApiError('UNPROCESSABLE_IMAGE', `the image is ${width} × ${frameHeight} = ${pixelCount} pixels; the limit is ${maxPixels}`);
  }
  if (width === 0 || frameHeight === 0) {
    throw new ApiError('UNPROCESSABLE_IMAGE', 'the image header declares no pixels (width or height is 0)');
  }
  const gray = meta.space === 'b-w' || meta.space === 'grey16';
  try {
    // failOn 'warning': a truncated JPEG decodes with a warning and gray padding; refuse it.
    let pipeline = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'warning', page: 0, pages: 1, sequentialRead: true });
    // Gray without alpha stays one channel (luma is the gray channel). libvips drops the alpha
    // of gray+alpha when asked for b-w, so that decodes as RGBA with R = G = B = gray, whose
    // Rec. 601 luma is exactly the gray value (the weights sum to 65536).
    const grayAlpha = gray && meta.hasAlpha === true;
    pipeline = gray && !grayAlpha ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return {
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
      channels: info.channels,
      gray,
      channelsInImage: meta.channels ?? info.channels,
      format,
      space: String(meta.space ?? 'srgb'),
      frames: meta.pages ?? 1,
    };
  } catch (error) {
    throw mapSharpError(error, maxPixels);
  }
}
