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
  let url = o.url;
  let redirects = 0;
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let waitMs: number;
    try {
      const response = await httpRequest({ method: 'POST', url, headers, body, timeoutMs });
      const next = redirects < MAX_REDIRECTS ? sameServerRedirect(response, url, headers) : undefined;
      if (next) {
        url = next;
        redirects++;
        attempt--; // a redirect is not a failed attempt
        continue;
      }
      if (response.status !== 503 || attempt >= retries) return { ...response, attempts: attempt + 1 };
      reason = '503 from server';
      const retryAfter = response.headers['retry-after'];
      waitMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : null) ?? backoffDelay(attempt);
    } catch (error) {
      const message = describeNetworkError(error, url, timeoutMs);
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

/** Redirects followed per upload (a server that keeps redirecting gets its 307 reported). */
const MAX_REDIRECTS = 3;

/**
 * Where a 307/308 points, when it points at the same server: the old service (FastAPI) answers
 * `/process-image/` with a 307 to `/process-image`. Only these two keep the method and body;
 * only the path and query are taken, sent to the same origin, so the Authorization header never
 * goes to another host, and a Location built from a `Host` header given for an Ingress still
 * reaches it through the address in `url`.
 */
function sameServerRedirect(response: { status: number; headers: Record<string, unknown> }, url: URL, headers: Record<string, string>): URL | undefined {
  const location = response.headers.location;
  if ((response.status !== 307 && response.status !== 308) || typeof location !== 'string') return undefined;
  let target: URL;
  try {
    target = new URL(location, url);
  } catch {
    return undefined;
  }
  const hostHeader = Object.entries(headers).find(([name]) => name.toLowerCase() === 'host')?.[1];
  if (target.origin !== url.origin && target.host !== hostHeader) return undefined;
  const next = new URL(url);
  next.pathname = target.pathname;
  next.search = target.search;
  return next;
}
