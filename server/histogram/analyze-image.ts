// One image's histogram, start to finish: decode, count, summarise. Framework-free. Decoding
// runs on libuv's pool (sharp); counting runs on the calling thread, in slices that yield to the
// event loop when asked to, so the event loop is never held for long.
import { decodeImage, type DecodedImage } from '../image/decode-image.ts';
import { countPixels, type RawCounts } from './count-pixels.ts';
import { countPixelsInSlices } from './count-in-slices.ts';
import { defaultChannels, summarizeChannels, type ChannelName } from './histogram-summary.ts';
import type { HistogramSummary } from './histogram-response.ts';

export interface AnalyzeOptions {
  maxPixels: number;
  bins: number;
  /** null: every channel the image has, plus luma. */
  channels: readonly ChannelName[] | null;
}

/** What the summary needs of a decoded image, without its pixels. */
export type ImageFacts = Omit<DecodedImage, 'pixels'>;

/** An image's facts and exact counts, and the time each step took. */
export interface CountedImage {
  facts: ImageFacts;
  raw: RawCounts;
  timingsMs: { decode: number; count: number };
}

/**
 * Decodes `bytes` and counts its pixels. `yieldBetweenSlices`: count in slices with a turn of the
 * event loop between them (on the event loop's thread), else in one go (on a worker thread).
 * @throws {ImageError} for input that is not a decodable image (see decodeImage).
 */
export async function decodeAndCount(bytes: Uint8Array, maxPixels: number, yieldBetweenSlices: boolean): Promise<CountedImage> {
  const t0 = performance.now();
  const { pixels, ...facts } = await decodeImage(bytes, maxPixels);
  const t1 = performance.now();
  const raw = yieldBetweenSlices ? await countPixelsInSlices(pixels, facts.channels) : countPixels(pixels, facts.channels);
  return { facts, raw, timingsMs: { decode: ms(t1 - t0), count: ms(performance.now() - t1) } };
}

/** The histogram summary of a counted image: channel selection, bins and statistics. */
export function summarizeImage({ facts, raw, timingsMs }: CountedImage, options: Omit<AnalyzeOptions, 'maxPixels'>): HistogramSummary {
  const t0 = performance.now();
  const pixels = facts.width * facts.height;
  const names = options.channels ?? defaultChannels(facts);
  const channels = summarizeChannels(raw, facts, names, options.bins, pixels);
  const histogram = channels.luma?.counts ?? summarizeChannels(raw, facts, ['luma'], options.bins, pixels).luma!.counts;
  return {
    width: facts.width,
    height: facts.height,
    pixels,
    format: facts.format,
    space: facts.space,
    channelsInImage: facts.channelsInImage,
    ...(facts.frames > 1 ? { frames: facts.frames } : {}),
    bins: options.bins,
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
  return summarizeImage(await decodeAndCount(bytes, options.maxPixels, true), options);
}

function ms(value: number): number {
  return Math.round(value * 100) / 100;
}
