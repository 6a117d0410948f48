// Explains why a request got no HTTP answer (refused, unknown host, timeout) in a sentence.
// The client sends over node:http, whose socket and DNS errors carry a system `code`
// (ECONNREFUSED, ENOTFOUND, ...); its own timeout is RequestTimeoutError (http-request.ts).

/** Connection-level failures worth another attempt: the server may be starting or restarting. */
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** The system error code (ECONNREFUSED, …) behind a failed request, also through `cause` chains. */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // node:http rejects with the socket error itself; an error that wraps one keeps it as `cause`.
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/** True when `error` is the request timeout (RequestTimeoutError, named like AbortSignal's). */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** True for connection errors that a retry may fix (refused, reset, DNS hiccup). */
export function isRetryableNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/** A one-sentence description of a failed request to `url`, saying what to check. */
export function describeNetworkError(error: unknown, url: URL, timeoutMs: number): string {
  const where = url.origin;
  if (isTimeout(error)) {
    return `no response from ${where} within ${timeoutMs / 1000} s (raise --timeout or check the server)`;
  }
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${where}: connection refused (is the server running, and is the port right?)`;
    case 'ENOTFOUND':
      return `cannot connect to ${where}: host ${JSON.stringify(url.hostname)} not found (check --url)`;
    case 'EAI_AGAIN':
      return `cannot connect to ${where}: DNS lookup of ${JSON.stringify(url.hostname)} failed temporarily`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection to ${where} was closed before the response arrived`;
    case 'ETIMEDOUT':
      return `cannot connect to ${where}: connection timed out (is the host reachable?)`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `TLS handshake with ${where} failed (does the server speak ${url.protocol.slice(0, -1)}?)`;
    default: {
      const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return `request to ${where} failed: ${detail}${code ? ` (${code})` : ''}`;
    }
  }
}
