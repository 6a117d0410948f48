// One request of a bench over node:http, shared by the closed and the open model: written on a
// keep-alive socket of the caller's Agent, read to its end, and told back as an outcome (a
// response with its timings, or the reason there was none). Never rejects.
import http from 'node:http';
import type { PreparedRequest } from './prepare-requests.ts';

/** What became of one request. Times are `process.hrtime.bigint()` nanoseconds. */
export type RequestOutcome =
  | { kind: 'response'; status: number; bytes: number; servedBy: string | undefined; sentNs: bigint; endNs: bigint }
  | { kind: 'error'; error: string };

/**
 * A keep-alive Agent of at most `connections` sockets, with Nagle's algorithm off: with it on,
 * the tail of every large upload waits for the server's delayed ACK (`noDelay` is a
 * `net.connect` option, which an Agent passes through to each socket it opens).
 */
export function createBenchAgent(connections: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: connections, scheduling: 'fifo', noDelay: true });
}

/**
 * Sends `prepared` to `target`'s host and port through `agent`, and resolves once the response
 * has been read to its end or the request failed: `timeout` when no byte arrived for `timeoutMs`
 * (the socket is destroyed), else the socket error code (`ECONNREFUSED`, `ECONNRESET`, …).
 * `onSent` runs when the agent hands the request a socket: its actual send time.
 */
export function sendRequest(target: URL, agent: http.Agent, prepared: PreparedRequest, timeoutMs: number, onSent?: () => void): Promise<RequestOutcome> {
  return new Promise<RequestOutcome>((resolve) => {
    let sentNs = 0n;
    let settled = false;
    const settle = (outcome: RequestOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = http.request({
      agent,
      host: target.hostname,
      port: target.port || 80,
      method: prepared.method,
      path: prepared.path,
      headers: prepared.headers,
    });
    req.once('socket', () => {
      sentNs = process.hrtime.bigint();
      onSent?.();
    });
    req.setTimeout(timeoutMs, () => {
      settle({ kind: 'error', error: 'timeout' });
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', error: error.code ?? 'connection error' }));
    req.on('response', (res) => {
      // Status line and headers as sent: "HTTP/1.1 200 OK\r\n" is 17 bytes plus the message,
      // each raw header name and value adds its length plus ": " or "\r\n", the blank line 2.
      let bytes = 17 + (res.statusMessage?.length ?? 0) + res.rawHeaders.reduce((n, part) => n + part.length + 2, 0);
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        const servedBy = res.headers['x-served-by'];
        settle({
          kind: 'response',
          status: res.statusCode ?? 0,
          bytes,
          servedBy: Array.isArray(servedBy) ? servedBy[0] : servedBy,
          sentNs,
          endNs: process.hrtime.bigint(),
        });
      });
      // A response cut off (the socket closed mid-body) counts as a request without response.
      res.on('aborted', () => settle({ kind: 'error', error: 'ECONNRESET' }));
      res.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', error: error.code ?? 'connection error' }));
    });
    req.end(prepared.body);
  });
}
