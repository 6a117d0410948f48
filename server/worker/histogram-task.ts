// One image's whole CPU-heavy job: decode, count, summarize and (for PNG) draw the chart.
// Runs inside a worker thread so the HTTP event loop never waits on it.
import { decodeImage } from '../image/decode-image.ts';
import { countPixels } from '../histogram/count-pixels.ts';
import { defaultChannels, summarizeChannels, type ChannelName, type ChannelSummary } from '../histogram/histogram-summary.ts';
import { chartConfig, type ChartOptions } from '../chart/chart-config.ts';
import { renderChartPng } from '../chart/render-chart.ts';
import { ApiError, type ErrorCode } from '../errors.ts';

export interface HistogramTask {
  bytes: Uint8Array;
  maxPixels: number;
  bins: number;
  /** null: every channel the image has, plus luma. */
  channels: ChannelName[] | null;
  /** Set for PNG output. */
  chart: ChartOptions | null;
  /** Upload's file name, for the chart title only. */
  fileName: string | null;
}

/** Everything in the JSON response that the image determines. */
export interface HistogramSummary {
  width: number;
  height: number;
  pixels: number;
  format: string;
  space: string;
  channelsInImage: number;
  frames?: number;
  bins: number;
  luma: 'rec601';
  histogram: number[];
  channels: Partial<Record<ChannelName, ChannelSummary>>;
  timingsMs: { decode: number; histogram: number; render?: number };
}

export type TaskResult =
  | { ok: true; summary: HistogramSummary; png: Uint8Array | null }
  | { ok: false; code: ErrorCode; message: string };

/** Runs the task; input errors come back as `{ ok: false }` (errors do not clone across threads). */
export async function runHistogramTask(task: HistogramTask): Promise<TaskResult> {
  try {
    const t0 = performance.now();
    const image = await decodeImage(task.bytes, task.maxPixels);
    const t1 = performance.now();
    const pixels = image.width * image.height;
    const raw = countPixels(image.pixels, image.channels);
    const names = task.channels ?? defaultChannels(image);
    const channels = summarizeChannels(raw, image, names, task.bins, pixels);
    const histogram = channels.luma?.counts ?? summarizeChannels(raw, image, ['luma'], task.bins, pixels).luma!.counts;
    const t2 = performance.now();
    const summary: HistogramSummary = {
      width: image.width,
      height: image.height,
      pixels,
      format: image.format,
      space: image.space,
      channelsInImage: image.channelsInImage,
      ...(image.frames > 1 ? { frames: image.frames } : {}),
      bins: task.bins,
      luma: 'rec601',
      histogram,
      channels,
      timingsMs: { decode: ms(t1 - t0), histogram: ms(t2 - t1) },
    };
    if (!task.chart) return { ok: true, summary, png: null };
    const series = Object.entries(channels).map(([name, c]) => [name, c.counts] as [string, number[]]);
    const title = `${task.fileName ?? 'upload'}: ${image.width} × ${image.height} ${image.format.toUpperCase()}, ${task.bins} bins`;
    const png = await renderChartPng(chartConfig(series, task.chart, title), task.chart.width, task.chart.height);
    summary.timingsMs.render = ms(performance.now() - t2);
    return { ok: true, summary, png: new Uint8Array(png.buffer, png.byteOffset, png.length) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

function ms(value: number): number {
  return Math.round(value * 100) / 100;
}
