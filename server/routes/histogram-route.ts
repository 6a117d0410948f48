// POST /v1/histogram and POST /process-image: parse and validate, stream the upload in under
// admission control, hand the image to the worker pool, shape the response.
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { ApiError } from '../errors.ts';
import { HistogramQuery, outputFormat } from '../http/query-params.ts';
import { readUpload } from '../http/read-upload.ts';
import { histogramCsv } from '../format/histogram-csv.ts';
import type { AppServices } from '../app-services.ts';
import type { HistogramSummary } from '../worker/histogram-task.ts';

/** Builds the handler shared by both histogram routes. */
export function histogramHandler(services: AppServices) {
  const { config, admission, pool, metrics } = services;
  return async (c: Context) => {
    const started = performance.now();
    const parsed = HistogramQuery.safeParse(c.req.query());
    if (!parsed.success) throw new ApiError('BAD_REQUEST', parsed.error.issues.map((issue) => issue.message).join('; '));
    const query = parsed.data;
    const format = outputFormat(query, c.req.header('accept'));
    c.set('format', format);
    // Refuse before reading a byte of the body when the queue is full.
    const ticket = admission.tryEnter();
    if (!ticket) {
      throw new ApiError('OVERLOADED', `the server is busy: ${config.concurrency} images in progress and ${config.maxQueue} waiting; retry later`, { 'Retry-After': '1' });
    }
    const signal = AbortSignal.timeout(config.requestTimeoutMs);
    let releaseLater = false;
    try {
      const length = c.req.header('content-length');
      const upload = await readUpload(requestBody(c), {
        contentType: c.req.header('content-type'),
        contentLength: length === undefined ? undefined : Number(length),
        maxBytes: config.maxUploadBytes,
        signal,
      }).catch((error) => rethrowTimeout(error, signal, config.requestTimeoutMs, 'reading the upload'));
      const bodyDone = performance.now();
      metrics.stage.observe({ stage: 'body' }, (bodyDone - started) / 1000);
      metrics.uploadBytes.observe(upload.bodyBytes);
      c.set('bytes', upload.bodyBytes);

      await ticket.acquire(signal).catch((error) => rethrowTimeout(error, signal, config.requestTimeoutMs, 'waiting in the queue'));
      const queueDone = performance.now();
      metrics.stage.observe({ stage: 'queue' }, (queueDone - bodyDone) / 1000);

      const task = pool.run({
        bytes: upload.bytes,
        maxPixels: config.maxPixels,
        bins: query.bins,
        channels: query.channels,
        chart: format === 'png' ? { width: query.width, height: query.height, type: query.type ?? 'line', scale: query.scale ?? 'linear' } : null,
        fileName: upload.fileName,
      });
      // The slot stays taken until the worker is really done, even if the client got a 504.
      releaseLater = true;
      void task.finally(() => ticket.release()).catch(() => {});
      const result = await raceTimeout(task, signal, config.requestTimeoutMs);
      if (!result.ok) throw new ApiError(result.code, result.message);
      const { summary } = result;
      observeStages(services, summary);
      c.set('pixels', summary.pixels);
      const total = round(performance.now() - started);
      c.header('Server-Timing', serverTiming(summary, queueDone - bodyDone, total));
      if (format === 'png') {
        c.header('Cache-Control', 'no-store');
        c.header('Content-Type', 'image/png');
        return c.body(result.png as Uint8Array<ArrayBuffer>);
      }
      if (format === 'csv') {
        c.header('Content-Type', 'text/csv; charset=utf-8');
        return c.body(histogramCsv(summary.channels, summary.bins));
      }
      return c.json(jsonBody(summary, services.config.podName, queueDone - bodyDone, total));
    } finally {
      if (!releaseLater) ticket.release();
    }
  };
}

function requestBody(c: Context): Readable {
  const incoming = (c.env as { incoming?: Readable } | undefined)?.incoming;
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

function jsonBody(summary: HistogramSummary, servedBy: string, queueMs: number, totalMs: number) {
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
