// Decoding for the classes whose samples libvips' default 8-bit sRGB path would change: 16-bit
// gray and RGB(A) (kept as their 16-bit samples) and CMYK (kept as stored, then converted by
// Pillow's rule). The images' embedded colour profiles are ignored: the samples as stored are
// what is counted.
import sharp from 'sharp';
import { withDecoderErrors } from './decoder-errors.ts';
import { cmykToRgb } from './cmyk-to-rgb.ts';
import type { DecodedImage, Header } from './decode-image.ts';
import type { SampleClass } from './sample-format.ts';

/**
 * Decodes the first frame of a 16-bit or CMYK image (`samples` from sampleClass).
 * @throws {ImageError} for a corrupt or truncated image, as decodeImage.
 */
export async function decodeByClass(
  bytes: Uint8Array,
  maxPixels: number,
  header: Header,
  samples: Exclude<SampleClass, 'uchar'>,
  formatName: string,
): Promise<DecodedImage> {
  // ignoreIcc: no profile conversion; for CMYK, pipelineColourspace('cmyk') also keeps sharp
  // from converting through its default CMYK profile (sharp pipeline: the input is turned into
  // the pipeline's colour space before anything else).
  const input = () => sharp(bytes, { limitInputPixels: maxPixels, failOn: 'warning', page: 0, pages: 1, sequentialRead: true, ignoreIcc: true });
  const facts = { channelsInImage: header.channels, format: header.format, space: header.space, frames: header.frames };
  if (samples === 'cmyk') {
    const { data, info } = await withDecoderErrors(
      () => input().pipelineColourspace('cmyk').toColourspace('cmyk').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }),
      formatName,
      maxPixels,
    );
    const rgb = cmykToRgb(new Uint8Array(data.buffer, data.byteOffset, data.length));
    return { pixels: rgb, width: info.width, height: info.height, channels: 3, sampleBits: 8, gray: false, ...facts };
  }
  // 16-bit: asking for the 16-bit interpretation of the source's own kind keeps the samples
  // (asking for 8-bit gray or sRGB would rescale them through libvips' colour conversions).
  const gray = header.space === 'grey16' || (header.space !== 'rgb16' && header.channels <= 2);
  const { data, info } = await withDecoderErrors(
    () =>
      input()
        .toColourspace(gray ? 'grey16' : 'rgb16')
        .raw({ depth: 'ushort' })
        .toBuffer({ resolveWithObject: true }),
    formatName,
    maxPixels,
  );
  // A Uint16Array view needs an even offset; libvips' output buffers start aligned, but copy if not.
  const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data);
  const pixels = new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2);
  return { pixels, width: info.width, height: info.height, channels: info.channels, sampleBits: 16, gray, ...facts };
}
