// Closed-model load on autocannon: C connections, each sending its next request when the
// previous response arrived. Latency is timed here, per response, in microseconds; autocannon's
// own numbers (whole milliseconds, lib/run.js) are not used.
//
// autocannon is pinned to an exact version in package.json because this module relies on parts
// of its per-connection Client (lib/httpClient.js) that its README does not document and a minor
// release may change: `_connect` and `conn` (to set TCP_NODELAY on every connection; there is no
// option for it), `reqsMade`/`responseMax` (to let each connection finish its request in flight
// at the deadline instead of `stop()` dropping it, so the counts equal the server's), and the
// undocumented 'request', 'timeout', 'connError' and 'done' events. Check them before upgrading;
// test/bench-cli.test.ts fails when the drain no longer counts what the server counted.
import autocannon from 'autocannon';
import type { BenchRecorder } from './bench-recorder.ts';
import type { PreparedRequest } from './prepare-requests.ts';

/** How long and how hard one window of load runs. */
export interface LoadWindow {
  connections: number;
  /** Stop sending after this long (null: run until `amount`). */
  durationMs: number | null;
  /** Total requests in this window (null: run for `durationMs`). */
  amount: number | null;
  timeoutMs: number;
}

/** The parts of autocannon's per-connection Client (lib/httpClient.js) this module relies on. */
interface CannonClient {
  on(event: 'request' | 'timeout' | 'done', listener: () => void): void;
  on(event: 'headers', listener: (info: { statusCode: number; headers: string[] }) => void): void;
  on(event: 'response', listener: (statusCode: number, resBytes: number) => void): void;
  on(event: 'connError', listener: (error: NodeJS.ErrnoException) => void): void;
  /** Requests written so far; `_doRequest` destroys the client once it reaches responseMax. */
  reqsMade: number;
  responseMax: number | undefined;
  conn: { setNoDelay(noDelay: boolean): void };
  _connect(): void;
}

/** Finds X-Served-By in http-parser-js's flat [name, value, ...] header list. */
export function servedByOf(rawHeaders: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'x-served-by') return rawHeaders[i + 1];
  }
  return undefined;
}

/**
 * Runs closed-model load against `origin` and records every response into `recorder`.
 * With a duration, sending stops at the deadline and requests in flight are awaited (up to the
 * timeout), so the requests counted here are exactly those the server answered.
 * Resolves with the measured window in epoch milliseconds.
 */
export async function runClosedModel(
  origin: string,
  requests: readonly PreparedRequest[],
  window: LoadWindow,
  recorder: BenchRecorder,
): Promise<{ startMs: number; endMs: number }> {
  const connections = window.amount === null ? window.connections : Math.min(window.connections, window.amount);
  const clients: CannonClient[] = [];
  let finished = 0;
  let endMs = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));

  const setupClient = (raw: unknown): void => {
    const client = raw as CannonClient;
    clients.push(client);
    // autocannon leaves Nagle's algorithm on: the tail of a large upload then waits for the
    // server's delayed ACK (measured: ~11 ms per 0.5 MB request at C=1). Every (re)connection
    // goes through _connect, called after setupClient, so wrap it to set TCP_NODELAY.
    const connect = client._connect.bind(client);
    client._connect = () => {
      connect();
      client.conn.setNoDelay(true);
    };
    // pipelining is 1: one request in flight per client, so one start time per client suffices.
    let sentAt = 0n;
    let servedBy: string | undefined;
    client.on('request', () => {
      sentAt = process.hrtime.bigint();
      servedBy = undefined;
      recorder.recordSent();
    });
    client.on('headers', (info) => {
      servedBy = servedByOf(info.headers);
    });
    client.on('response', (statusCode, resBytes) => {
      const latencyUs = Number(process.hrtime.bigint() - sentAt) / 1000;
      recorder.recordResponse(statusCode, latencyUs, resBytes, servedBy);
    });
    client.on('timeout', () => recorder.recordError('timeout'));
    client.on('connError', (error) => recorder.recordError(error.code ?? 'connection error'));
    client.on('done', () => {
      if (++finished === connections) {
        endMs = Date.now();
        allDone();
      }
    });
  };

  const startMs = Date.now();
  // autocannon's own duration is only a backstop (deadline + one timeout + slack): the drain
  // below ends the run. Its `overallRate` is not used: it sends each second's share in a burst.
  const backstopS = ((window.durationMs ?? 3_600_000) + window.timeoutMs + 5_000) / 1000;
  let cannonFinished: () => void = () => {};
  const cannonDone = new Promise<void>((resolve) => (cannonFinished = resolve));
  const instance = autocannon(
    {
      url: origin,
      connections,
      pipelining: 1,
      duration: backstopS,
      amount: window.amount ?? undefined,
      timeout: window.timeoutMs / 1000,
      requests: requests.map(({ method, path, headers, body }) => ({ method, path, headers, body })),
      setupClient: setupClient as never,
      sampleInt: 100,
      excludeErrorStats: false,
    },
    () => {
      cannonFinished();
      allDone();
    },
  );
  let deadline: NodeJS.Timeout | undefined;
  if (window.durationMs !== null) {
    deadline = setTimeout(() => {
      // Each client finishes the request it has in flight, then destroys itself (httpClient.js
      // _doRequest: reqsMade >= responseMax), which emits 'done'.
      for (const client of clients) client.responseMax = Math.max(1, client.reqsMade);
    }, window.durationMs);
  }
  await done;
  if (deadline) clearTimeout(deadline);
  if (endMs === 0) endMs = Date.now();
  instance.stop();
  await cannonDone;
  return { startMs, endMs };
}
