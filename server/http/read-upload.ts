// Reads the uploaded image from the request body as it streams in, into one buffer, with a byte
// cap and progress limits: multipart (field `file`, parsed by @fastify/busboy without buffering
// the rest) or the raw body.
import { Busboy, type BusboyInstance, type BusboyFileStream } from '@fastify/busboy';
import type { Readable } from 'node:stream';
import { ApiError } from '../errors.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { UploadBuffer } from './upload-buffer.ts';
import type { BufferPool } from './buffer-pool.ts';

export interface Upload {
  /** The image bytes: a view of the upload's one buffer, which nothing else shares. */
  bytes: Uint8Array;
  /** File name from the multipart part, if any. */
  fileName: string | null;
  /** Bytes received on the wire (body size). */
  bodyBytes: number;
  /** Hands the memory back to its pool once nothing reads `bytes` any more (a no-op after the first call). */
  release(): void;
}

export interface ReadUploadOptions {
  contentType: string | undefined;
  contentLength: number | undefined;
  maxBytes: number;
  /** Where the upload's memory comes from, and goes back to on release(). */
  pool: BufferPool;
  signal?: AbortSignal;
  /** Slowest average rate tolerated once the upload has run `rateGraceMs` (0: none). */
  minBytesPerSec?: number;
  rateGraceMs?: number;
  /** Longest pause between two chunks. */
  idleTimeoutMs?: number;
}

/** Room for multipart boundaries and small text fields around the file part. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** True for bodies that come as multipart/form-data. */
export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data/i.test(contentType ?? '');
}

/** The most body bytes accepted for an upload of at most `maxBytes` image bytes. */
export function bodyAllowance(contentType: string | undefined, maxBytes: number): number {
  return isMultipart(contentType) ? maxBytes + MULTIPART_OVERHEAD : maxBytes;
}

/** 413 for a body declared `bytes` long, before reading. */
export function declaredTooLarge(bytes: number, maxBytes: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `upload is ${formatBytes(bytes)}; the limit is ${formatBytes(maxBytes)}`);
}

/**
 * Reads one image from `body`. Stops reading (pauses the stream) as soon as a limit is passed,
 * so an oversized upload costs at most `maxBytes` of memory and time.
 * @throws {ApiError} 413 PAYLOAD_TOO_LARGE over `maxBytes` (from Content-Length before
 *   reading, else while streaming); 408 REQUEST_TIMEOUT for an upload slower than
 *   `minBytesPerSec` or pausing longer than `idleTimeoutMs`; 400 BAD_REQUEST for an empty body,
 *   malformed multipart, no `file` field or more than one file.
 */
export async function readUpload(body: Readable, options: ReadUploadOptions): Promise<Upload> {
  const { contentLength, maxBytes } = options;
  const multipart = isMultipart(options.contentType);
  const allowance = bodyAllowance(options.contentType, maxBytes);
  if (contentLength !== undefined && contentLength > allowance) throw declaredTooLarge(contentLength, maxBytes);
  if (contentLength === 0) throw emptyBody();
  return multipart ? readMultipart(body, options, allowance) : readRaw(body, options);
}

function tooLargeWhileStreaming(maxBytes: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `upload is over ${formatBytes(maxBytes)} (reading stopped); the limit is ${formatBytes(maxBytes)}`);
}

function emptyBody(): ApiError {
  return new ApiError('BAD_REQUEST', 'the request body is empty; send the image as multipart field "file" or as the raw body');
}

function rate(bytesPerSec: number): string {
  return `${formatBytes(Math.round(bytesPerSec))}/s`;
}

/**
 * Feeds `body`'s chunks to `onChunk` until it ends; resolves with the bytes read. Past `limit`
 * bytes it stops with 413; too slow or stalled, with 408; `onChunk` throwing stops with that
 * error. Stopping pauses the stream: the rest of the body is never pulled off the socket here.
 */
function pump(body: Readable, options: ReadUploadOptions, limit: number, onChunk: (chunk: Buffer) => void, onEnd: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let size = 0;
    const started = performance.now();
    let lastData = started;
    const minRate = options.minBytesPerSec ?? 0;
    const grace = options.rateGraceMs ?? 2_000;
    const idle = options.idleTimeoutMs ?? Number.POSITIVE_INFINITY;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      body.off('data', data).off('end', end).off('error', finish).off('aborted', aborted);
      options.signal?.removeEventListener('abort', aborted);
      if (error) {
        body.pause();
        reject(error);
      } else resolve(size);
    };
    const data = (chunk: Buffer) => {
      size += chunk.length;
      lastData = performance.now();
      if (size > limit) return finish(tooLargeWhileStreaming(options.maxBytes));
      try {
        onChunk(chunk);
      } catch (error) {
        finish(error);
      }
    };
    const end = () => {
      try {
        onEnd();
        finish();
      } catch (error) {
        finish(error);
      }
    };
    const aborted = () => finish(new ApiError('BAD_REQUEST', 'the upload was aborted before the body was complete'));
    // Progress checks: a client trickling bytes must not hold its place for long.
    const watch = setInterval(
      () => {
        const now = performance.now();
        if (now - lastData > idle) {
          finish(new ApiError('REQUEST_TIMEOUT', `the upload paused for more than ${idle} ms (UPLOAD_IDLE_TIMEOUT_MS) after ${formatBytes(size)}`));
        } else if (minRate > 0 && now - started > grace && (size * 1000) / (now - started) < minRate) {
          finish(
            new ApiError(
              'REQUEST_TIMEOUT',
              `the upload arrived at ${rate((size * 1000) / (now - started))}; the minimum is ${rate(minRate)} (UPLOAD_MIN_BYTES_PER_SEC)`,
            ),
          );
        }
      },
      Math.min(500, idle / 2),
    );
    watch.unref();
    if (options.signal?.aborted) return aborted();
    options.signal?.addEventListener('abort', aborted, { once: true });
    body.on('data', data).once('end', end).once('error', finish).once('aborted', aborted);
  });
}

async function readRaw(body: Readable, options: ReadUploadOptions): Promise<Upload> {
  const buffer = new UploadBuffer(options.contentLength, options.maxBytes, options.pool);
  try {
    const size = await pump(
      body,
      options,
      options.maxBytes,
      (chunk) => buffer.append(chunk),
      () => {},
    );
    if (size === 0) throw emptyBody();
    return { bytes: buffer.view(), fileName: null, bodyBytes: size, release: () => buffer.release() };
  } catch (error) {
    buffer.release();
    throw error;
  }
}

async function readMultipart(body: Readable, options: ReadUploadOptions, allowance: number): Promise<Upload> {
  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: { 'content-type': options.contentType! },
      limits: { fileSize: options.maxBytes, files: 1, fields: 32, fieldSize: 8 * 1024, parts: 64 },
    });
  } catch (error) {
    throw new ApiError('BAD_REQUEST', `malformed multipart request: ${(error as Error).message}`);
  }
  // The file part is a little smaller than the body: one buffer of the body's length fits it.
  // The file part is a little smaller than the body: one buffer of the body's length fits it.
  const buffer = new UploadBuffer(options.contentLength, options.maxBytes, options.pool);
  try {
    return await readFilePart(body, options, allowance, parser, buffer);
  } catch (error) {
    buffer.release();
    throw error;
  }
}

async function readFilePart(body: Readable, options: ReadUploadOptions, allowance: number, parser: BusboyInstance, buffer: UploadBuffer): Promise<Upload> {
  let fileName: string | null = null;
  let sawFile = false;
  let problem: ApiError | undefined;
  const otherFields: string[] = [];
  let fileSentAsText = false;
  const complete = new Promise<void>((resolve) => parser.once('finish', () => resolve()));
  const malformed = (error: Error) => (problem ??= new ApiError('BAD_REQUEST', `malformed multipart request: ${error.message}`));
  parser.on('file', (field: string, stream: BusboyFileStream, name: string) => {
    // A part cut off by the end of the body errors on its own stream: never leave it unheard.
    stream.on('error', malformed);
    if (field !== 'file') {
      otherFields.push(field);
      stream.resume();
      return;
    }
    sawFile = true;
    fileName = name || null;
    stream.on('data', (chunk: Buffer) => {
      if (!problem) buffer.append(chunk);
    });
    stream.once('limit', () => (problem ??= tooLargeWhileStreaming(options.maxBytes)));
  });
  parser.on('field', (field: string) => {
    otherFields.push(field);
    // A form value named "file" (curl's -F file=photo.jpg without the @) is the usual mistake.
    if (field === 'file') fileSentAsText = true;
  });
  parser.on('filesLimit', () => (problem ??= new ApiError('BAD_REQUEST', 'expected one file in multipart field "file" but received more than one file')));
  parser.on('partsLimit', () => (problem ??= new ApiError('BAD_REQUEST', 'expected one file in multipart field "file" but received more than 64 parts')));
  parser.on('error', malformed);

  const size = await pump(
    body,
    options,
    allowance,
    (chunk) => {
      parser.write(chunk);
      if (problem) throw problem;
    },
    () => parser.end(),
  );
  if (size === 0) throw emptyBody();
  // A body that ends before the closing boundary makes busboy emit 'error' instead of 'finish'.
  await Promise.race([complete, new Promise((resolve) => setImmediate(resolve))]);
  if (problem) throw problem;
  if (!sawFile && fileSentAsText) {
    throw new ApiError(
      'BAD_REQUEST',
      'expected the image as a file part in multipart field "file"; received a text field named "file", not a file part (with curl: -F file=@photo.jpg, the @ sends the file)',
    );
  }
  if (!sawFile) {
    const seen =
      otherFields.length > 0 ? `; received field${otherFields.length > 1 ? 's' : ''} ${otherFields.map((f) => `"${f}"`).join(', ')}` : '; received no file';
    throw new ApiError('BAD_REQUEST', `expected the image in multipart field "file"${seen}`);
  }
  if (buffer.length === 0) throw new ApiError('BAD_REQUEST', 'multipart field "file" is empty');
  return { bytes: buffer.view(), fileName, bodyBytes: size, release: () => buffer.release() };
}
