// Uploads one image (multipart field `file`) with a per-attempt timeout and retries for 503
// and connection errors.
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest, type HttpResponse } from './http-request.ts';
import { encodeMultipart } from './multipart-body.ts';
import { describeNetworkError, isRetryableNetworkError } from './network-error.ts';
import { backoffDelay, parseRetryAfter } from './retry-policy.ts';

export interface PostImageOptions {
  url: URL;
  /** The file's bytes and its name (sent as the multipart file name). */
  bytes: Uint8Array;
  fileName: string;
  /** Extra request headers (e.g. Host for an Ingress, Accept). */
  headers?: Record<string, string>;
  /** Per attempt, milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Further attempts after a 503 or a connection error (default 0). */
  retries?: number;
  /** Called before each wait, e.g. to report it on stderr. */
  onRetry?: (info: { attempt: number; waitMs: number; reason: string }) => void;
}

export interface PostImageResult extends HttpResponse {
  /** How many attempts it took (1 = no retry). */
  attempts: number;
}

/** A request that got no HTTP answer; `message` is meant for the user. */
export class RequestFailedError extends Error {
  override name = 'RequestFailedError';
  readonly attempts: number;
  constructor(message: string, attempts: number, cause?: unknown) {
    super(message, { cause });
    this.attempts = attempts;
  }
}

/**
 * POSTs the image and returns the last response with its body, whatever its status (the caller
 * decides what a 4xx means). Retries while the answer is 503 or the connection fails; a
 * timeout is not retried, since the server may still be working on the image.
 * @throws RequestFailedError when no HTTP response arrived after all attempts (refused,
 *   timeout, DNS), with a message naming the host and what to check.
 */
export async function postImage(o: PostImageOptions): Promise<PostImageResult> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const retries = o.retries ?? 0;
  const { body, type } = await encodeMultipart(o.bytes, o.fileName);
  // The body's own framing wins over any Content-Type/Length the user passed with --header.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(o.headers ?? {})) {
    if (!/^content-(type|length)$/i.test(name)) headers[name] = value;
  }
  headers['content-type'] = type;
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let waitMs: number;
    try {
      const response = await httpRequest({ method: 'POST', url: o.url, headers, body, timeoutMs });
      if (response.status !== 503 || attempt >= retries) return { ...response, attempts: attempt + 1 };
      reason = '503 from server';
      const retryAfter = response.headers['retry-after'];
      waitMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : null) ?? backoffDelay(attempt);
    } catch (error) {
      const message = describeNetworkError(error, o.url, timeoutMs);
      if (!isRetryableNetworkError(error) || attempt >= retries) {
        throw new RequestFailedError(message, attempt + 1, error);
      }
      reason = message;
      waitMs = backoffDelay(attempt);
    }
    o.onRetry?.({ attempt: attempt + 1, waitMs, reason });
    await sleep(waitMs);
  }
}
