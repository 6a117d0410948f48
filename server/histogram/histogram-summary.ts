// Builds the histogram part of the JSON response from raw counts: channel selection, bins,
// and statistics. Framework-free.
import { channelStats, rebin, type ChannelStats } from './histogram-stats.ts';
import type { RawCounts } from './count-pixels.ts';

export const CHANNEL_NAMES = ['red', 'green', 'blue', 'alpha', 'luma'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface ChannelSummary extends ChannelStats {
  counts: number[];
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
 * The 256 value counts of `name`. A gray image's red, green and blue are its gray channel (its
 * sRGB expansion has R = G = B = gray); an image without alpha is opaque: alpha is all 255.
 */
export function valueCounts(raw: RawCounts, layout: PixelLayout, name: ChannelName, pixels: number): Uint32Array {
  const gray = layout.gray || layout.channels <= 2;
  switch (name) {
    case 'luma':
      return raw.luma;
    case 'alpha': {
      if (hasAlpha(layout)) return raw.channels[layout.channels - 1]!;
      const opaque = new Uint32Array(256);
      opaque[255] = pixels;
      return opaque;
    }
    default:
      return gray ? raw.channels[0]! : raw.channels[CHANNEL_NAMES.indexOf(name)]!;
  }
}

/**
 * Per-channel counts in `bins` bins and statistics from the exact 256-value counts, in the
 * canonical order red, green, blue, alpha, luma whatever order `names` has.
 */
export function summarizeChannels(
  raw: RawCounts,
  layout: PixelLayout,
  names: readonly ChannelName[],
  bins: number,
  pixels: number,
): Partial<Record<ChannelName, ChannelSummary>> {
  const out: Partial<Record<ChannelName, ChannelSummary>> = {};
  for (const name of CHANNEL_NAMES) {
    if (!names.includes(name)) continue;
    const counts = valueCounts(raw, layout, name, pixels);
    out[name] = { counts: rebin(counts, bins), ...channelStats(counts) };
  }
  return out;
}
