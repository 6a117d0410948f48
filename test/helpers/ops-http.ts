// HTTP plumbing for the operations tests: requests over node:http with their duration, a raw
// socket exchange that keeps reading the answer after the server stops reading the body, and
// bounded polling.
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Milliseconds from sending the request to the end of the answer. */
  ms: number;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  /** Default false: a new connection per request, closed after it. */
  agent?: Agent | false;
  /** Abort (reject) after this long; default 60 s. */
  timeoutMs?: number;
}

/**
 * Sends one request with node:http and collects the answer. Once the answer has arrived, an
 * error writing the rest of the body (EPIPE after the server refused it) is ignored.
 */
export function send(url: string, options: SendOptions = {}): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: options.agent ?? false,
      timeout: options.timeoutMs ?? 60_000,
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in ${options.timeoutMs ?? 60_000} ms`)));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
    });
    req.end(options.body);
  });
}

/** Parses an answer's body as JSON. */
export function json<T = Record<string, unknown>>(answer: HttpAnswer): T {
  return JSON.parse(answer.body.toString('utf8')) as T;
}

export interface RawAnswer extends HttpAnswer {
  /** Body bytes the client had written when the first byte of the answer arrived. */
  bodyBytesSentBeforeAnswer: number;
}

export interface RawUploadOptions {
  path: string;
  body: Buffer;
  headers?: Record<string, string>;
  /** Send the head at once but hold the body back until this settles (or the answer comes). */
  holdBody?: Promise<unknown>;
}

/**
 * POSTs `body` over a plain socket with `Connection: close` and reads the whole answer until
 * the server closes. Unlike an HTTP client, it still reports the answer when the server
 * answers early and stops reading (writes then fail with EPIPE/ECONNRESET, which are ignored).
 */
export function rawUpload(port: number, options: RawUploadOptions): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let sent = 0;
    let sentBeforeAnswer = -1;
    let writeError: Error | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
      received.push(chunk);
    });
    socket.on('error', (error) => (writeError = error));
    socket.on('close', () => {
      const raw = Buffer.concat(received);
      if (raw.length === 0) return reject(new Error(`connection closed without an answer (${writeError?.message ?? 'no error'})`));
      try {
        resolve({ ...parseResponse(raw), ms: performance.now() - started, bodyBytesSentBeforeAnswer: sentBeforeAnswer });
      } catch (error) {
        reject(error);
      }
    });
    const headers = {
      host: `127.0.0.1:${port}`,
      'content-type': 'application/octet-stream',
      ...options.headers,
      'content-length': String(options.body.length),
      connection: 'close',
    };
    const head = `POST ${options.path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    socket.write(head);
    const writeBody = () => {
      if (sentBeforeAnswer >= 0 || socket.destroyed) return; // answered already: never send it
      sent = options.body.length;
      socket.write(options.body);
    };
    if (options.holdBody) void options.holdBody.then(writeBody, writeBody);
    else writeBody();
  });
}

/** Parses one HTTP/1.1 response (Content-Length or chunked body). */
export function parseResponse(raw: Buffer): Omit<HttpAnswer, 'ms'> {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`incomplete response head: ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}`);
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) {
    const parts: Buffer[] = [];
    for (let at = 0; ; ) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    body = body.subarray(0, Number(headers['content-length']));
  }
  return { status, headers, body };
}

/** Polls `check` every `intervalMs` until it returns a truthy value; rejects after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
