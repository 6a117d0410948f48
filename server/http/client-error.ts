// Answers for requests Node's HTTP parser rejects before the app sees them (bad framing, a
// header timeout, headers too large): the same JSON error shape as every other answer, counted
// and logged, instead of Node's bare plain-text status line.
import type { Socket } from 'node:net';
import { ApiError, errorBody } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

interface ParserError extends Error {
  code?: string;
  reason?: string;
}

function errorFor(error: ParserError, headersTimeoutMs: number): ApiError {
  const code = error.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') return new ApiError('HEADERS_TOO_LARGE', 'the request line and headers are larger than 16 KiB');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new ApiError(
      'REQUEST_TIMEOUT',
      `the request headers did not arrive within ${headersTimeoutMs} ms (HEADERS_TIMEOUT_MS), or the request within its time limit`,
    );
  }
  const reason = (error.reason ?? error.message).replace(/[^\x20-\x7e]/g, '?');
  return new ApiError('BAD_REQUEST', `malformed HTTP request: ${reason}`);
}

/**
 * A 'clientError' listener for the HTTP server. `responseStarted(socket)`: whether an answer
 * on that connection has already sent its headers.
 */
export function answerClientError(metrics: Metrics, logger: Logger, headersTimeoutMs: number, responseStarted: (socket: Socket) => boolean) {
  return (error: ParserError, socket: Socket) => {
    // A connection reset or already closed by the client has nobody left to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const apiError = errorFor(error, headersTimeoutMs);
    metrics.protocolErrors.inc({ code: error.code ?? 'unknown', status: apiError.status });
    logger.info('protocol error', { code: error.code, status: apiError.status, message: apiError.message });
    // Answer only if no response has started on this connection: writing a second status line
    // into one in progress would corrupt it.
    if (!responseStarted(socket)) {
      const body = JSON.stringify(errorBody(apiError, ''));
      socket.write(
        `HTTP/1.1 ${apiError.status} ${STATUS_TEXT[apiError.status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    // FIN now; close for good shortly after, so the answer is read before any reset.
    socket.end();
    setTimeout(() => socket.destroy(), 1_000).unref();
  };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };
