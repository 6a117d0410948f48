// CSV rendering of a histogram: header `value,<channel>,...`, one row per bin.
import type { ChannelName, ChannelSummary } from '../histogram/histogram-summary.ts';

/**
 * One row per bin; `value` is the lowest pixel value in the bin (ceil(i × 256 / bins)), so
 * with 256 bins it is the value itself.
 */
export function histogramCsv(channels: Partial<Record<ChannelName, ChannelSummary>>, bins: number): string {
  const names = Object.keys(channels) as ChannelName[];
  const lines = [`value,${names.join(',')}`];
  for (let i = 0; i < bins; i++) {
    const value = Math.ceil((i * 256) / bins);
    lines.push(`${value},${names.map((name) => channels[name]!.counts[i]).join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}
