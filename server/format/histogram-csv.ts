// CSV rendering of a histogram: one row per bin, a first column saying where the bin starts.
import type { HistogramSummary } from '../histogram/histogram-response.ts';
import type { ChannelName, ChannelSummary } from '../histogram/histogram-summary.ts';

/**
 * One row per bin. Range full: header `value,<channel>,...`, `value` the lowest pixel value in
 * the bin (⌈i × scale / bins⌉, scale 256 or 65536), so with one bin per value it is the value
 * itself. Range LO,HI: the same header, `value` the bin's lower edge (numpy's edges). Range
 * data, where each channel has its own edges: header `bin,<channel>_from,<channel>,...`, the
 * bin's index and each channel's lower edge beside its count.
 */
export function histogramCsv(summary: Pick<HistogramSummary, 'channels' | 'bins' | 'range'>): string {
  const { channels, bins, range } = summary;
  const names = Object.keys(channels) as ChannelName[];
  const summaries = names.map((name) => channels[name]!);
  const lines: string[] = [];
  if (range === 'data') {
    lines.push(`bin,${names.map((name) => `${name}_from,${name}`).join(',')}`);
    for (let i = 0; i < bins; i++) lines.push(`${i},${summaries.map((s) => `${lowerEdge(s, bins, i)},${s.counts[i]}`).join(',')}`);
  } else {
    lines.push(`value,${names.join(',')}`);
    const first = summaries[0];
    for (let i = 0; i < bins; i++) {
      const value = !first ? i : range === 'full' ? Math.ceil((i * first.binRange[1]) / bins) : lowerEdge(first, bins, i);
      lines.push(`${value},${summaries.map((s) => s.counts[i]).join(',')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** numpy's lower edge of bin i: linspace(lo, hi, bins + 1)[i] = i × step + lo. */
function lowerEdge({ binRange: [lo, hi] }: ChannelSummary, bins: number, i: number): number {
  return i * ((hi - lo) / bins) + lo;
}
