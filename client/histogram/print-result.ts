// Text for people: the terminal histograms and summary line of one image, the end-of-batch
// summary and failure lines. Pure functions returning strings; the command writes them.
import { basename } from 'node:path';
import type { HistogramRun, ImageFailure, ImageResult, ImageSuccess } from './run-histogram.ts';
import { renderTerminalHistogram, type TerminalHistogramOptions } from './terminal-histogram.ts';
import type { HistogramJson } from './histogram-json.ts';
import { formatBytes } from '../bench/format-table.ts';

export interface DisplayOptions {
  columns: number;
  color: boolean;
  /** Colour channels to draw under luma; [] for luma only. */
  channels: readonly string[];
}

/** Luma first, then each requested colour channel the image has. */
export function formatHistograms(result: ImageSuccess, o: DisplayOptions): string {
  if (result.legacy) {
    const bins = result.legacy.histogram.length;
    return renderTerminalHistogram(result.legacy.histogram, {
      title: `luma, ${bins} bins over its min..max (older server)`,
      columns: o.columns,
      channel: 'luma',
      color: o.color,
      labels: ['min', '', 'max'],
      perBin: { amount: 1, unit: 'bin' },
    });
  }
  const stats = result.stats;
  if (!stats) return '';
  const charts: string[] = [];
  const luma = stats.channels.luma;
  charts.push(
    renderTerminalHistogram(stats.histogram, {
      title: `luma${luma ? `  mean ${luma.mean.toFixed(1)}  median ${luma.median}` : ''}`,
      columns: o.columns,
      channel: 'luma',
      color: o.color,
      ...axisOf(stats, luma, stats.histogram.length),
    }),
  );
  for (const name of o.channels) {
    const channel = stats.channels[name as keyof typeof stats.channels];
    if (!channel || name === 'luma') continue;
    charts.push(
      renderTerminalHistogram(channel.counts, {
        title: `${name}  mean ${channel.mean.toFixed(1)}  median ${channel.median}`,
        columns: o.columns,
        channel: name,
        color: o.color,
        ...axisOf(stats, channel, channel.counts.length),
      }),
    );
  }
  return charts.join('\n\n');
}

/** How the answer counted: `depth`, `range` and each channel's `binRange`, when the server says. */
interface CountedAs {
  depth?: number;
  range?: string;
}

/**
 * The axis labels and bin width of one channel's chart: over the depth's whole scale for range
 * `full` (0, the middle, the last value), else over the channel's own `binRange` edges.
 */
function axisOf(stats: HistogramJson, channel: object | undefined, bins: number): Pick<TerminalHistogramOptions, 'labels' | 'perBin'> {
  const { depth = 8, range = 'full' } = stats as CountedAs;
  const binRange = (channel as { binRange?: [number, number] } | undefined)?.binRange;
  if (range !== 'full' && binRange) {
    const [lo, hi] = binRange;
    return { labels: [edge(lo), edge((lo + hi) / 2), edge(hi)], perBin: { amount: (hi - lo) / bins, unit: 'value' } };
  }
  const scale = 2 ** depth;
  return { labels: ['0', String(scale / 2), String(scale - 1)], perBin: { amount: scale / bins, unit: 'value' } };
}

function edge(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * `lenna.jpeg  512×512 jpeg, 48.2 KiB  mean 124.1  median 120  served by pod-a  183 ms` — the
 * mean and median are of luma; the time is the client's, all requests included.
 */
export function formatSummaryLine(result: ImageSuccess): string {
  const parts = [basename(result.file)];
  const s = result.stats;
  if (result.legacy) parts.push(`${result.legacy.pixels} pixels, ${formatBytes(result.bytes)}`);
  else parts.push(s ? `${s.width}×${s.height} ${s.format}, ${formatBytes(result.bytes)}` : formatBytes(result.bytes));
  const luma = s?.channels.luma;
  if (luma) parts.push(`mean ${luma.mean.toFixed(1)}`, `median ${luma.median}`);
  parts.push(`served by ${result.servedBy ?? 'unknown'}`);
  const server = s?.timingsMs?.total;
  parts.push(`${Math.round(result.elapsedMs)} ms${server !== undefined ? ` (server ${server.toFixed(1)} ms)` : ''}`);
  if (result.attempts > 1) parts.push(`${result.attempts} attempts`);
  if (result.output) parts.push(`-> ${result.output}`);
  return parts.join('  ');
}

/** One line per finished image, for logs and pipes. */
export function formatResultLine(result: ImageResult): string {
  return result.ok
    ? `ok    ${result.file}${result.output ? ` -> ${result.output}` : ''}  ${Math.round(result.elapsedMs)} ms  served by ${result.servedBy ?? 'unknown'}`
    : formatFailure(result);
}

/** `FAIL photos/x.jpg: 415 UNSUPPORTED_MEDIA_TYPE: <the server's message>` */
export function formatFailure(result: ImageFailure): string {
  return `FAIL  ${result.file}: ${result.message}`;
}

/** The end-of-batch block: counts, throughput, spread over replicas, then every failure. */
export function formatBatchSummary(run: HistogramRun): string {
  const total = run.results.length;
  const ok = total - run.failed;
  const seconds = run.elapsedMs / 1000;
  const lines = [
    `${ok} of ${total} images done, ${run.failed} failed in ${seconds.toFixed(2)} s` +
      ` (${(total / Math.max(seconds, 1e-6)).toFixed(1)} images/s) from ${run.url.href}`,
  ];
  const byServer = new Map<string, number>();
  for (const r of run.results) if (r.ok) byServer.set(r.servedBy ?? 'unknown', (byServer.get(r.servedBy ?? 'unknown') ?? 0) + 1);
  if (byServer.size > 0) {
    lines.push(
      `served by: ${[...byServer]
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}`,
    );
  }
  for (const r of run.results) if (!r.ok) lines.push(formatFailure(r));
  return lines.join('\n');
}

/** The one line that says an older server answered, and what it cannot do. */
export function olderServerNotice(url: URL, ignored: readonly string[]): string {
  const notApplied = ignored.length > 0 ? `; it cannot apply ${ignored.map((name) => `--${name}`).join(', ')}` : '';
  return (
    `histogram-client: ${url.href} is an older server: it answers only a luma histogram of 256 bins over each image's own ` +
    `min..max, so the client draws the chart and writes the JSON and CSV itself${notApplied}`
  );
}
