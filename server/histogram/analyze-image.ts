// One image's histogram, start to finish: decode, count, summarise. Framework-free. Decoding
// runs on libuv's pool (sharp); counting runs on the calling thread, in slices that yield to the
// event loop when asked to, so the event loop is never held for long.
import { decodeImage, type DecodedImage } from '../image/decode-image.ts';
import { countPixels, type RawCounts } from './count-pixels.ts';
import { countPixelsInSlices, countSamplesInSlices } from './count-in-slices.ts';
import { countSamples, type SampleCountOptions } from './count-samples.ts';
import { defaultChannels, summarizeChannels, type ChannelName } from './histogram-summary.ts';
import type { BinRangeOption } from './numpy-bins.ts';
import type { HistogramSummary } from './histogram-response.ts';
import type { Depth, MaskName } from '../api/query-limits.ts';

/** How to count: the depth asked (8-bit images are counted at 8 whatever is asked) and the mask. */
export interface CountOptions {
  depth: Depth;
  mask: MaskName;
}

export const DEFAULT_COUNT_OPTIONS: Readonly<CountOptions> = { depth: 8, mask: 'none' };

export interface AnalyzeOptions extends Partial<CountOptions> {
  maxPixels: number;
  bins: number;
  /** null: every channel the image has, plus luma. */
  channels: readonly ChannelName[] | null;
  /** Default: full. */
  range?: BinRangeOption;
}

/** What the summary needs of a decoded image, without its pixels. */
export type ImageFacts = Omit<DecodedImage, 'pixels'>;

/** An image's facts and exact counts, and the time each step took. */
export interface CountedImage {
  facts: ImageFacts;
  raw: RawCounts;
  /** The depth counted: 16 only for 16-bit images asked at depth 16. */
  depth: Depth;
  mask: MaskName;
  /** Pixels counted: all of them, or those the mask kept. */
  counted: number;
  timingsMs: { decode: number; count: number };
}

/**
 * Decodes `bytes` and counts its pixels. `yieldBetweenSlices`: count in slices with a turn of the
 * event loop between them (on the event loop's thread), else in one go (on a worker thread).
 * An 8-bit image counted without a mask (or without alpha to mask by) goes through the SIMD
 * kernel (countPixels); 16-bit samples and masks go through the plain loops of count-samples.
 * @throws {ImageError} for input that is not a decodable image (see decodeImage).
 */
export async function decodeAndCount(
  bytes: Uint8Array,
  maxPixels: number,
  yieldBetweenSlices: boolean,
  options: Readonly<CountOptions> = DEFAULT_COUNT_OPTIONS,
): Promise<CountedImage> {
  const t0 = performance.now();
  // 16-bit samples are kept as they are only when they are counted so (depth 16) or masked by
  // their own alpha; at depth 8 they arrive as their high bytes, in half the memory.
  const { pixels, ...facts } = await decodeImage(bytes, maxPixels, options.depth === 16 || options.mask === 'alpha');
  const t1 = performance.now();
  const hasAlpha = facts.channels === 2 || facts.channels === 4;
  const masked = options.mask === 'alpha' && hasAlpha;
  const mask = options.mask;
  let raw: RawCounts;
  let counted = facts.width * facts.height;
  let depth: Depth = 8;
  if (pixels instanceof Uint8Array && !masked) {
    raw = yieldBetweenSlices ? await countPixelsInSlices(pixels, facts.channels) : countPixels(pixels, facts.channels);
  } else {
    depth = facts.sampleBits === 16 && options.depth === 16 ? 16 : 8;
    const sampleOptions: SampleCountOptions = { channels: facts.channels, sampleBits: facts.sampleBits, countBits: depth, maskAlpha: masked };
    const result = yieldBetweenSlices ? await countSamplesInSlices(pixels, sampleOptions) : countSamples(pixels, sampleOptions);
    raw = result;
    counted = result.counted;
  }
  return { facts, raw, depth, mask, counted, timingsMs: { decode: ms(t1 - t0), count: ms(performance.now() - t1) } };
}

/** The histogram summary of a counted image: channel selection, bins, range and statistics. */
export function summarizeImage(
  { facts, raw, depth, mask, counted, timingsMs }: CountedImage,
  options: Omit<AnalyzeOptions, 'maxPixels' | 'depth' | 'mask'>,
): HistogramSummary {
  const t0 = performance.now();
  const pixels = facts.width * facts.height;
  const range = options.range ?? { kind: 'full' };
  const names = options.channels ?? defaultChannels(facts);
  const channels = summarizeChannels(raw, facts, names, options.bins, counted, range);
  const histogram = channels.luma?.counts ?? summarizeChannels(raw, facts, ['luma'], options.bins, counted, range).luma!.counts;
  return {
    width: facts.width,
    height: facts.height,
    pixels,
    format: facts.format,
    space: facts.space,
    channelsInImage: facts.channelsInImage,
    ...(facts.frames > 1 ? { frames: facts.frames } : {}),
    depth,
    bins: options.bins,
    range: range.kind,
    mask,
    counted,
    luma: 'rec601',
    histogram,
    channels,
    timingsMs: { decode: timingsMs.decode, histogram: ms(timingsMs.count + performance.now() - t0) },
  };
}

/**
 * Decodes, counts (in slices) and summarises `bytes` on the calling thread.
 * @throws {ImageError} for input that is not a decodable image (see decodeImage).
 */
export async function analyzeImage(bytes: Uint8Array, options: AnalyzeOptions): Promise<HistogramSummary> {
  const countOptions = { depth: options.depth ?? 8, mask: options.mask ?? 'none' };
  return summarizeImage(await decodeAndCount(bytes, options.maxPixels, true, countOptions), options);
}

function ms(value: number): number {
  return Math.round(value * 100) / 100;
}
