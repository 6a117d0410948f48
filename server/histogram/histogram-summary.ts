// Builds the histogram part of the JSON response from raw counts: channel selection, bins over
// the range asked, and statistics. Framework-free.
import { channelStats, type ChannelStats } from './histogram-stats.ts';
import { binCounts, type BinRangeOption } from './numpy-bins.ts';
import type { RawCounts } from './count-pixels.ts';
import { CHANNEL_NAMES } from '../api/query-limits.ts';

export { CHANNEL_NAMES } from '../api/query-limits.ts';
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface ChannelSummary extends ChannelStats {
  counts: number[];
  /** The outer edges of the bins, [lo, hi]: the depth's scale for range full. */
  binRange: [number, number];
}

/** How the decoded buffer is laid out. */
export interface PixelLayout {
  /** Bytes per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** The source is grayscale (its colour channels, if any, are equal). */
  gray: boolean;
}

const hasAlpha = (layout: PixelLayout) => layout.channels === 2 || layout.channels === 4;

/** Channels the image has (gray: none of red, green, blue), plus luma. */
export function defaultChannels(layout: PixelLayout): ChannelName[] {
  return CHANNEL_NAMES.filter((name) => name === 'luma' || (name === 'alpha' ? hasAlpha(layout) : !layout.gray));
}

/**
 * The value counts of `name` (256 entries, or 65536 at depth 16). A gray image's red, green and
 * blue are its gray channel (its sRGB expansion has R = G = B = gray); an image without alpha is
 * opaque: alpha is the top value for each of the `pixels` counted.
 */
export function valueCounts(raw: RawCounts, layout: PixelLayout, name: ChannelName, pixels: number): Uint32Array {
  const gray = layout.gray || layout.channels <= 2;
  switch (name) {
    case 'luma':
      return raw.luma;
    case 'alpha': {
      if (hasAlpha(layout)) return raw.channels[layout.channels - 1]!;
      const opaque = new Uint32Array(raw.luma.length);
      opaque[opaque.length - 1] = pixels;
      return opaque;
    }
    default:
      return gray ? raw.channels[0]! : raw.channels[CHANNEL_NAMES.indexOf(name)]!;
  }
}

/**
 * Per-channel counts in `bins` bins over `range` (default full) and statistics from the exact
 * per-value counts (over every counted pixel, whatever the range), in the canonical order red,
 * green, blue, alpha, luma whatever order `names` has. `pixels`: the pixels counted.
 */
export function summarizeChannels(
  raw: RawCounts,
  layout: PixelLayout,
  names: readonly ChannelName[],
  bins: number,
  pixels: number,
  range: BinRangeOption = { kind: 'full' },
): Partial<Record<ChannelName, ChannelSummary>> {
  const out: Partial<Record<ChannelName, ChannelSummary>> = {};
  for (const name of CHANNEL_NAMES) {
    if (!names.includes(name)) continue;
    const counts = valueCounts(raw, layout, name, pixels);
    const binned = binCounts(counts, bins, range);
    out[name] = { counts: binned.counts, ...channelStats(counts), binRange: binned.binRange };
  }
  return out;
}
