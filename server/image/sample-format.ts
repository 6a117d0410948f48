// Which decoded sample formats this service has a counting rule for, decided from the header
// (libvips' metadata) before any pixel is decoded, and the refusals for the rest: HEVC-coded
// HEIF (no decoder in the bundled libvips), and sample formats or band counts with no rule,
// which would otherwise come back as numbers from an arbitrary conversion.
import { ImageError } from './image-error.ts';

/** What the decision needs of an image's header (sharp's metadata names). */
export interface SampleFacts {
  /** "jpeg", "png", "heif", "tiff", …, as sharp names the container. */
  format: string;
  /** libvips band format ("uchar", "ushort", "float", …); undefined when the header reader did not say (plain 8/16-bit JPEG and PNG). */
  depth?: string;
  /** HEIF compression ("av1", "hevc"), when known. */
  compression?: string;
  channels: number;
  /** libvips' interpretation: "srgb", "b-w", "rgb16", "grey16", "cmyk", "multiband", … */
  space: string;
  hasAlpha: boolean;
}

/** How an accepted image is decoded: 8-bit samples, 16-bit samples, or CMYK bytes converted. */
export type SampleClass = 'uchar' | 'ushort' | 'cmyk';

const SENT_INSTEAD = 'send JPEG, PNG, WebP, AVIF, GIF or TIFF instead';
const SUPPORTED = 'this service counts 8- and 16-bit unsigned samples in 1–4 bands (gray, gray+alpha, RGB, RGBA) and 8-bit CMYK';

const SAMPLE_NAMES: Readonly<Record<string, string>> = {
  char: 'signed 8-bit integer',
  short: 'signed 16-bit integer',
  int: 'signed 32-bit integer',
  uint: 'unsigned 32-bit integer',
  float: '32-bit floating-point',
  double: '64-bit floating-point',
  complex: 'complex (2 × 32-bit float)',
  dpcomplex: 'complex (2 × 64-bit float)',
};

/**
 * The 415 for HEIF images coded with HEVC (phones' HEIC): sharp's prebuilt libvips leaves the
 * patent-encumbered HEVC decoder out (only AV1-coded HEIF, i.e. AVIF, is built in), so no HEIC
 * decodes here.
 */
export function hevcUnsupported(): ImageError {
  return new ImageError(
    'unsupported',
    `the upload is HEIC (HEIF with HEVC-coded images); this server cannot decode HEVC: its image library is built without an HEVC decoder; ${SENT_INSTEAD} (a phone can save or share photos as JPEG)`,
  );
}

/**
 * The class of an image's samples, for choosing how to decode it.
 * @throws {ImageError} `unsupported` for HEVC-coded HEIF; `unprocessable` for sample formats
 *   other than 8/16-bit unsigned, more than 4 bands other than CMYK, CMYK with alpha, 16-bit CMYK.
 */
export function sampleClass(facts: SampleFacts): SampleClass {
  const name = facts.format.toUpperCase();
  if (facts.format === 'heif' && facts.compression !== 'av1') throw hevcUnsupported();
  const depth = facts.depth ?? (facts.space === 'grey16' || facts.space === 'rgb16' ? 'ushort' : 'uchar');
  if (depth !== 'uchar' && depth !== 'ushort') {
    throw new ImageError('unprocessable', `the ${name} image has ${SAMPLE_NAMES[depth] ?? depth} samples; ${SUPPORTED}`);
  }
  if (facts.space === 'cmyk') {
    if (facts.hasAlpha || facts.channels > 4) {
      throw new ImageError('unprocessable', `the ${name} image is CMYK with alpha (${facts.channels} bands); ${SUPPORTED}, without alpha`);
    }
    if (depth === 'ushort') throw new ImageError('unprocessable', `the ${name} image has 16-bit CMYK samples; ${SUPPORTED}`);
    return 'cmyk';
  }
  if (facts.channels > 4) throw new ImageError('unprocessable', `the ${name} image has ${facts.channels} bands (${facts.space}); ${SUPPORTED}`);
  return depth;
}
