// POST /v1/histogram and POST /process-image: admission first (refusing is the cheapest thing
// the server does), then validate, stream the upload in, analyse the image, shape the answer.
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { ApiError, apiErrorFromImage } from '../errors.ts';
import { ImageError } from '../image/image-error.ts';
import { HistogramQuery, outputFormat, type OutputFormat } from '../http/query-params.ts';
import { bodyAllowance, declaredTooLarge, readUpload, type Upload } from '../http/read-upload.ts';
import { histogramCsv } from '../format/histogram-csv.ts';
import { decodeAndCount, summarizeImage } from '../histogram/analyze-image.ts';
import { readImageHeader } from '../image/read-header.ts';
import type { HistogramResponse, HistogramSummary } from '../histogram/histogram-response.ts';
import { UPLOAD_RATE_GRACE_MS } from '../config.ts';
import type { AppServices } from '../app-services.ts';
import type { AppEnv } from '../app-env.ts';
import type { Ticket } from '../http/admission.ts';
import { deadline } from '../http/deadline.ts';

/**
 * Images up to this many pixels (a JPEG or PNG whose header says so) are decoded and counted
 * from the event loop (sharp on libuv's pool, counting in slices); bigger ones, and other
 * formats, on an image thread, whose isolate then collects their decoded pixels (36 MB for
 * 12 MP) instead of the event loop's. Measured with the server on one CPU, 4 connections,
 * alternated runs, against sending every image to the image thread: this path serves the
 * 512×512 noise PNG 15–17 % faster and the 225×225 JPEG 11–13 % faster (the thread hop is a
 * large share of a small image's work); for a 1920×1080 photo it would gain 1 %, within the
 * noise, and leave 6 MB of pixels to the event loop's collector.
 */
export const INLINE_MAX_PIXELS = 1_048_576;

/** Builds the handler shared by both histogram routes. */
export function histogramHandler(services: AppServices) {
  const { config, admission, metrics } = services;
  const busy = () => `the server is busy: ${config.concurrency} images in progress and ${config.maxQueue} waiting; retry later`;
  return async (c: Context<AppEnv>) => {
    const started = performance.now();
    // Refuse before anything else: a body declared too large, or no room at all.
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > bodyAllowance(c.req.header('content-type'), config.maxUploadBytes)) {
      throw declaredTooLarge(Number(declared), config.maxUploadBytes);
    }
    const ticket = admission.enter();
    if (!ticket) throw new ApiError('OVERLOADED', busy(), { 'Retry-After': '1' });
    let releaseLater = false;
    let upload: Upload | undefined;
    const limit = deadline(config.requestTimeoutMs);
    const signal = limit.signal;
    try {
      const parsed = HistogramQuery.safeParse(c.req.query());
      if (!parsed.success) throw new ApiError('BAD_REQUEST', parsed.error.issues.map((issue) => issue.message).join('; '));
      const query = parsed.data;
      const format = outputFormat(query, c.req.header('accept'));
      c.set('format', format);
      if (ticket.waited) await waitForPlace(ticket, config.waitTimeoutMs, signal, busy);
      const arrived = performance.now();
      metrics.stage.observe({ stage: 'wait' }, (arrived - started) / 1000);

      // The client may hold its body back until told to send it (Expect: 100-continue).
      const outgoing = c.env?.outgoing;
      if (outgoing && !outgoing.headersSent && /100-continue/i.test(c.req.header('expect') ?? '')) {
        outgoing.writeContinue();
        c.set('continueSent', true);
      }
      upload = await readUpload(requestBody(c), {
        contentType: c.req.header('content-type'),
        contentLength: declared === undefined ? undefined : Number(declared),
        maxBytes: config.maxUploadBytes,
        minBytesPerSec: config.uploadMinBytesPerSec,
        rateGraceMs: UPLOAD_RATE_GRACE_MS,
        idleTimeoutMs: config.uploadIdleTimeoutMs,
        signal,
      }).catch((error) => rethrowTimeout(error, signal, config.requestTimeoutMs, 'reading the upload'));
      const bodyDone = performance.now();
      metrics.stage.observe({ stage: 'body' }, (bodyDone - arrived) / 1000);
      metrics.uploadBytes.observe(upload.bodyBytes);
      c.set('bytes', upload.bodyBytes);

      await ticket.acquire(signal).catch((error) => rethrowTimeout(error, signal, config.requestTimeoutMs, 'waiting in the queue'));
      const queueDone = performance.now();
      metrics.stage.observe({ stage: 'queue' }, (queueDone - bodyDone) / 1000);

      // The slot and the upload's memory stay taken until the work is really done, even if the
      // client got a 504.
      releaseLater = true;
      const work = runImageWork(services, upload.bytes, upload.fileName, query, format);
      const uploaded = upload;
      void work
        .finally(() => {
          ticket.release();
          uploaded.release();
        })
        .catch(() => {});
      const { summary, png } = await raceTimeout(work, signal, config.requestTimeoutMs);
      observeStages(services, summary);
      c.set('pixels', summary.pixels);
      const total = round(performance.now() - started);
      c.header('Server-Timing', serverTiming(summary, queueDone - bodyDone, total));
      if (png) {
        c.header('Cache-Control', 'no-store');
        c.header('Content-Type', 'image/png');
        return c.body(png as Uint8Array<ArrayBuffer>);
      }
      if (format === 'csv') {
        c.header('Content-Type', 'text/csv; charset=utf-8');
        return c.body(histogramCsv(summary.channels, summary.bins));
      }
      return c.json(jsonBody(summary, config.podName, queueDone - bodyDone, total));
    } finally {
      limit.clear();
      if (!releaseLater) {
        ticket.release();
        upload?.release();
      }
    }
  };
}

/**
 * Decode, count, and for PNG output draw the chart (on an image thread). Small images are
 * decoded and counted from here (see INLINE_MAX_PIXELS).
 */
async function runImageWork(services: AppServices, bytes: Uint8Array, fileName: string | null, query: HistogramQuery, format: OutputFormat) {
  const { config, images } = services;
  let summary: HistogramSummary;
  try {
    const header = readImageHeader(bytes);
    const small = header !== null && header.width * header.height <= INLINE_MAX_PIXELS;
    const counted = small ? await decodeAndCount(bytes, config.maxPixels, true) : await images.analyze(bytes, config.maxPixels);
    summary = summarizeImage(counted, { bins: query.bins, channels: query.channels });
  } catch (error) {
    throw error instanceof ImageError ? apiErrorFromImage(error) : error;
  }
  if (format !== 'png') return { summary, png: null };
  const rendering = performance.now();
  const png = await images.render({
    series: Object.entries(summary.channels).map(([name, channel]) => [name, channel.counts]),
    options: { width: query.width, height: query.height, type: query.type ?? 'line', scale: query.scale ?? 'linear' },
    title: `${fileName ?? 'upload'}: ${summary.width} × ${summary.height} ${summary.format.toUpperCase()}, ${summary.bins} bins`,
  });
  summary.timingsMs.render = round(performance.now() - rendering);
  return { summary, png };
}

async function waitForPlace(ticket: Ticket, waitTimeoutMs: number, requestSignal: AbortSignal, busy: () => string): Promise<void> {
  const wait = deadline(waitTimeoutMs, requestSignal);
  await ticket
    .placed(wait.signal)
    .catch(() => {
      throw new ApiError('OVERLOADED', `${busy()} (no room in the queue within ${waitTimeoutMs} ms)`, { 'Retry-After': '1' });
    })
    .finally(() => wait.clear());
}

function requestBody(c: Context<AppEnv>): Readable {
  const incoming = c.env?.incoming;
  if (incoming) return incoming;
  // app.request() in tests: a web Request with no Node stream behind it.
  return c.req.raw.body ? Readable.fromWeb(c.req.raw.body as never) : Readable.from([]);
}

function timeoutError(limitMs: number, during: string): ApiError {
  return new ApiError('TIMEOUT', `the request took longer than the ${limitMs} ms limit (REQUEST_TIMEOUT_MS) while ${during}`);
}

function rethrowTimeout(error: unknown, signal: AbortSignal, limitMs: number, during: string): never {
  if (signal.aborted && !(error instanceof ApiError && error.code !== 'BAD_REQUEST')) throw timeoutError(limitMs, during);
  throw error;
}

function raceTimeout<T>(work: Promise<T>, signal: AbortSignal, limitMs: number): Promise<T> {
  if (signal.aborted) return Promise.reject(timeoutError(limitMs, 'processing the image'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError(limitMs, 'processing the image'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function observeStages({ metrics }: AppServices, summary: HistogramSummary): void {
  metrics.decodedPixels.inc(summary.pixels);
  metrics.stage.observe({ stage: 'decode' }, summary.timingsMs.decode / 1000);
  metrics.stage.observe({ stage: 'count' }, summary.timingsMs.histogram / 1000);
  if (summary.timingsMs.render !== undefined) metrics.stage.observe({ stage: 'render' }, summary.timingsMs.render / 1000);
}

function jsonBody(summary: HistogramSummary, servedBy: string, queueMs: number, totalMs: number): HistogramResponse {
  const { timingsMs, ...rest } = summary;
  return { ...rest, servedBy, timingsMs: { ...timingsMs, queue: round(queueMs), total: totalMs } };
}

function serverTiming(summary: HistogramSummary, queueMs: number, totalMs: number): string {
  const parts = [`queue;dur=${round(queueMs)}`, `decode;dur=${summary.timingsMs.decode}`, `histogram;dur=${summary.timingsMs.histogram}`];
  if (summary.timingsMs.render !== undefined) parts.push(`render;dur=${summary.timingsMs.render}`);
  parts.push(`total;dur=${totalMs}`);
  return parts.join(', ');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
