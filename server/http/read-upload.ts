// Reads the uploaded image from the request body as it streams in, with a byte cap: multipart
// (field `file`, parsed by @fastify/busboy without buffering the rest) or the raw body.
import { Busboy, type BusboyInstance, type BusboyFileStream } from '@fastify/busboy';
import type { Readable } from 'node:stream';
import { ApiError, formatBytes } from '../errors.ts';

export interface Upload {
  /** The image bytes, in an ArrayBuffer of their own (transferable to a worker). */
  bytes: Uint8Array;
  /** File name from the multipart part, if any. */
  fileName: string | null;
  /** Bytes received on the wire (body size). */
  bodyBytes: number;
}

export interface ReadUploadOptions {
  contentType: string | undefined;
  contentLength: number | undefined;
  maxBytes: number;
  signal?: AbortSignal;
}

// Room for multipart boundaries and small text fields around the file part.
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Reads one image from `body`. Stops reading (pauses the stream) as soon as the limit is
 * passed, so an oversized upload costs at most `maxBytes` of memory and time.
 * @throws {ApiError} 413 PAYLOAD_TOO_LARGE over `maxBytes` (from Content-Length before
 *   reading, else while streaming); 400 BAD_REQUEST for an empty body, malformed multipart,
 *   no `file` field or more than one file.
 */
export async function readUpload(body: Readable, options: ReadUploadOptions): Promise<Upload> {
  const { contentLength, maxBytes } = options;
  const multipart = /^multipart\/form-data/i.test(options.contentType ?? '');
  const allowance = multipart ? maxBytes + MULTIPART_OVERHEAD : maxBytes;
  if (contentLength !== undefined && contentLength > allowance) {
    throw tooLarge(contentLength, maxBytes);
  }
  if (contentLength === 0) throw emptyBody();
  return multipart ? readMultipart(body, options, allowance) : readRaw(body, options);
}

/** 413 for a body of `bytes` (declared), or, while streaming, one found larger than the limit. */
function tooLarge(bytes: number, maxBytes: number, whileStreaming = false): ApiError {
  const size = whileStreaming ? `over ${formatBytes(maxBytes)} (reading stopped)` : formatBytes(bytes);
  return new ApiError('PAYLOAD_TOO_LARGE', `upload is ${size}; the limit is ${formatBytes(maxBytes)}`);
}

function emptyBody(): ApiError {
  return new ApiError('BAD_REQUEST', 'the request body is empty; send the image as multipart field "file" or as the raw body');
}

/**
 * Feeds `body`'s chunks to `onChunk` until it ends; resolves with the bytes read. Past `limit`
 * bytes it stops with 413; `fail` (or onChunk throwing) stops with that error. Stopping pauses
 * the stream: the rest of the body is never pulled off the socket by this function.
 */
function pump(body: Readable, options: ReadUploadOptions, limit: number, onChunk: (chunk: Buffer) => void, onEnd: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let size = 0;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      body.off('data', data).off('end', end).off('error', finish).off('aborted', aborted);
      options.signal?.removeEventListener('abort', aborted);
      if (error) {
        body.pause();
        reject(error);
      } else resolve(size);
    };
    const data = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish(tooLarge(size, options.maxBytes, true));
      try {
        onChunk(chunk);
      } catch (error) {
        finish(error);
      }
    };
    const end = () => {
      onEnd();
      finish();
    };
    const aborted = () => finish(new ApiError('BAD_REQUEST', 'the upload was aborted before the body was complete'));
    if (options.signal?.aborted) return aborted();
    options.signal?.addEventListener('abort', aborted, { once: true });
    body.on('data', data).once('end', end).once('error', finish).once('aborted', aborted);
  });
}

async function readRaw(body: Readable, options: ReadUploadOptions): Promise<Upload> {
  const chunks: Buffer[] = [];
  const size = await pump(body, options, options.maxBytes, (chunk) => chunks.push(chunk), () => {});
  if (size === 0) throw emptyBody();
  return { bytes: concat(chunks, size), fileName: null, bodyBytes: size };
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
  const chunks: Buffer[] = [];
  let fileSize = 0;
  let fileName: string | null = null;
  let sawFile = false;
  let problem: ApiError | undefined;
  const otherFields: string[] = [];
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
      fileSize += chunk.length;
      chunks.push(chunk);
    });
    stream.once('limit', () => (problem ??= tooLarge(options.maxBytes, options.maxBytes, true)));
  });
  parser.on('field', (field: string) => otherFields.push(field));
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
  if (!sawFile) {
    const seen = otherFields.length > 0 ? `; received field${otherFields.length > 1 ? 's' : ''} ${otherFields.map((f) => `"${f}"`).join(', ')}` : '; received no file';
    throw new ApiError('BAD_REQUEST', `expected the image in multipart field "file"${seen}`);
  }
  if (fileSize === 0) throw new ApiError('BAD_REQUEST', 'multipart field "file" is empty');
  return { bytes: concat(chunks, fileSize), fileName, bodyBytes: size };
}

// A fresh ArrayBuffer (never Node's shared pool slab), so it can be moved to a worker.
function concat(chunks: Buffer[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
