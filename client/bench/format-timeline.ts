// The timeline as a terminal table (what `bench` and `report` print under the totals): at most
// 30 rows, consecutive seconds grouped when the run is longer, each group's percentiles from
// its seconds' histograms added together.
import { ms, renderTable } from './format-table.ts';
import { createPackedLatencyHistogram, decodeHistogram, summarize } from './latency-histogram.ts';
import type { TimelineSecond } from './timeline.ts';

/** Most rows the table shows; longer runs group this many seconds or more per row. */
export const MAX_TIMELINE_ROWS = 30;

/**
 * The table for `timeline`, rows of ⌈seconds / 30⌉ seconds each, times counted from the first
 * second; empty string for an empty timeline.
 */
export function formatTimeline(timeline: readonly TimelineSecond[]): string {
  if (timeline.length === 0) return '';
  const size = Math.ceil(timeline.length / MAX_TIMELINE_ROWS);
  const first = timeline[0]!.second;
  const rows: string[][] = [];
  for (let i = 0; i < timeline.length; i += size) {
    const group = timeline.slice(i, i + size);
    const histogram = createPackedLatencyHistogram();
    for (const s of group) if (s.histogram !== null) histogram.add(decodeHistogram(s.histogram, 'packed'));
    const latency = summarize(histogram);
    const sum = (pick: (s: TimelineSecond) => number) => group.reduce((n, s) => n + pick(s), 0);
    const replicas = new Set(group.flatMap((s) => Object.keys(s.servedBy).filter((name) => name !== '(none)')));
    const from = group[0]!.second - first;
    const to = group.at(-1)!.second - first + 1;
    rows.push([
      size === 1 ? `${from}` : `${from}-${to}`,
      String(sum((s) => s.responses)),
      String(sum((s) => s.ok)),
      String(sum((s) => s.non2xx)),
      String(sum((s) => s.timeouts + s.errors)),
      latency.count > 0 ? ms(latency.p50) : '-',
      latency.count > 0 ? ms(latency.p99) : '-',
      String(replicas.size),
    ]);
  }
  const heading = `Per second (wall clock; the first and last seconds are partial${size > 1 ? `; ${size} s per row` : ''}):`;
  return `${heading}\n${renderTable(['s', 'responses', '2xx', 'non-2xx', 'no response', 'p50', 'p99', 'replicas'], rows)}`;
}
