// POST /v1/histogram and POST /process-image: admit or refuse at once, validate the query, read
// the upload, analyse the image in a processing slot, shape the answer. The request's resources
// belong to its RequestLifecycle, which gives them back whatever happens.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AppServices } from '../app-services.ts';
import { ApiError, apiErrorFromImage } from '../errors.ts';
import { histogramCsv } from '../format/histogram-csv.ts';
import { decodeAndCount, summarizeImage } from '../histogram/analyze-image.ts';
import type { HistogramResponse, HistogramSummary } from '../histogram/histogram-response.ts';
import { parseHistogramQuery, outputFormat, type HistogramQuery, type OutputFormat } from '../http/query-params.ts';
import type { Upload } from '../http/read-upload.ts';
import { RequestLifecycle, type WaitTimes } from '../http/request-lifecycle.ts';
import { ImageError } from '../image/image-error.ts';
import { readImageHeader } from '../image/read-header.ts';

/**
 * Images up to this many pixels (a JPEG or PNG whose header says so) are decoded and counted
 * from the event loop (sharp on libuv's pool, counting in slices); bigger ones, and other
 * formats, on an image thread, whose isolate then collects their decoded pixels instead of the
 * event loop's. For a small image the hop to a thread is a large share of its work.
 */
export const INLINE_MAX_PIXELS = 1_048_576;

/** Builds the handler shared by both histogram routes. */
export function histogramHandler(services: AppServices) {
  return async (c: Context<AppEnv>) => {
    const request = new RequestLifecycle(c, services);
    try {
      const parsed = parseHistogramQuery(c.req.query());
      if (!parsed.success) throw new ApiError('BAD_REQUEST', parsed.message);
      const query = parsed.data;
      const format = outputFormat(query, c.req.header('accept'));
      c.set('format', format);
      const upload = await request.readUpload();
      const { summary, png } = await request.runInSlot(() => analyse(services, upload, query, format));
      observeStages(services, summary);
      c.set('pixels', summary.pixels);
      const total = round(request.elapsedMs());
      c.header('Server-Timing', serverTiming(summary, request.times, total));
      if (png) {
        c.header('Cache-Control', 'no-store');
        c.header('Content-Type', 'image/png');
        return c.body(png as Uint8Array<ArrayBuffer>);
      }
      if (format === 'csv') {
        c.header('Content-Type', 'text/csv; charset=utf-8');
        return c.body(histogramCsv(summary));
      }
      return c.json(jsonBody(summary, services.config.podName, request.times, total));
    } finally {
      request.dispose();
    }
  };
}

/**
 * Decode, count, and for PNG output draw the chart (on an image thread). Small images are
 * decoded and counted from here (see INLINE_MAX_PIXELS).
 */
async function analyse({ config, images }: AppServices, upload: Upload, query: HistogramQuery, format: OutputFormat) {
  let summary: HistogramSummary;
  try {
    const header = readImageHeader(upload.bytes);
    const small = header !== null && header.width * header.height <= INLINE_MAX_PIXELS;
    const options = { depth: query.depth, mask: query.mask ?? 'none' } as const;
    const counted = small ? await decodeAndCount(upload.bytes, config.maxPixels, true, options) : await images.analyze(upload.bytes, config.maxPixels, options);
    summary = summarizeImage(counted, { bins: query.bins, channels: query.channels, range: query.range });
  } catch (error) {
    throw error instanceof ImageError ? apiErrorFromImage(error) : error;
  }
  if (format !== 'png') return { summary, png: null };
  const rendering = performance.now();
  const png = await images.render({
    series: Object.entries(summary.channels).map(([name, channel]) => [name, channel.counts, channel.binRange]),
    options: { width: query.width, height: query.height, type: query.type ?? 'line', scale: query.scale ?? 'linear', range: summary.range },
    title: `${upload.fileName ?? 'upload'}: ${summary.width} × ${summary.height} ${summary.format.toUpperCase()}, ${summary.bins} bins`,
  });
  summary.timingsMs.render = round(performance.now() - rendering);
  return { summary, png };
}

function observeStages({ metrics }: AppServices, summary: HistogramSummary): void {
  metrics.decodedPixels.inc(summary.pixels);
  metrics.stage.observe({ stage: 'decode' }, summary.timingsMs.decode / 1000);
  metrics.stage.observe({ stage: 'count' }, summary.timingsMs.histogram / 1000);
  if (summary.timingsMs.render !== undefined) metrics.stage.observe({ stage: 'render' }, summary.timingsMs.render / 1000);
}

function jsonBody(summary: HistogramSummary, servedBy: string, times: WaitTimes, totalMs: number): HistogramResponse {
  const { timingsMs, ...rest } = summary;
  return { ...rest, servedBy, timingsMs: { ...timingsMs, queue: round(times.queue), total: totalMs } };
}

function serverTiming(summary: HistogramSummary, times: WaitTimes, totalMs: number): string {
  const parts = [`queue;dur=${round(times.queue)}`, `decode;dur=${summary.timingsMs.decode}`, `histogram;dur=${summary.timingsMs.histogram}`];
  if (summary.timingsMs.render !== undefined) parts.push(`render;dur=${summary.timingsMs.render}`);
  parts.push(`total;dur=${totalMs}`);
  return parts.join(', ');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
