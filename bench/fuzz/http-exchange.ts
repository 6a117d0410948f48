// Sends one request and reports what came back, or why nothing did. Two client styles: a pooled
// keep-alive node:http client (reads the answer while still writing), and a `Connection: close`
// client that writes the whole body before it reads, as Python's urllib and many scripts do:
// for that client an answer followed by a reset while it is still writing is lost, so it is
// reported as no answer (with the status that was on the wire, for the diagnosis).
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { parseResponse } from '../../test/helpers/ops-http.ts';
import type { OutgoingRequest } from './fuzz-case.ts';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

export type Outcome =
  | { kind: 'answer'; answer: Answer }
  | { kind: 'no-answer'; error: string; ms: number /** Status already received when the connection broke. */; statusOnWire?: number };

export interface ExchangeOptions {
  agent: Agent;
  timeoutMs: number;
}

/** POSTs `req` to `baseUrl` in the request's client style; never rejects. */
export function exchange(baseUrl: string, req: OutgoingRequest, options: ExchangeOptions): Promise<Outcome> {
  return req.client === 'write-first' ? writeFirst(baseUrl, req, options.timeoutMs) : keepAlive(baseUrl, req, options);
}

// The body in 1-4 pieces, so chunked uploads really arrive in several chunks.
function pieces(body: Buffer): Buffer[] {
  if (body.length < 4) return body.length === 0 ? [] : [body];
  const a = Math.floor(body.length / 3);
  const b = Math.floor((2 * body.length) / 3);
  return [body.subarray(0, a), body.subarray(a, b), body.subarray(b)];
}

const guarded = new WeakSet<Socket>();

// node:http detaches its own error listener from a pooled socket for a moment when the socket
// goes back to the agent (and a write of an early-answered request may still fail then): keep
// one listener on every socket for its whole life, so a stray EPIPE cannot crash the client.
// The request in flight on the socket still hears the error through node:http's listener.
function guardSocket(socket: Socket): void {
  if (guarded.has(socket)) return;
  guarded.add(socket);
  socket.on('error', () => {});
}

function keepAlive(baseUrl: string, req: OutgoingRequest, { agent, timeoutMs }: ExchangeOptions): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const fail = (error: string) => finish({ kind: 'no-answer', error, ms: performance.now() - started });
    const headers = { ...req.headers, ...(req.framing === 'length' ? { 'content-length': String(req.body.length) } : {}) };
    const outgoing = request(new URL(req.path, baseUrl), { method: 'POST', headers, agent });
    outgoing.on('socket', guardSocket);
    const timer = setTimeout(() => {
      fail(`no answer within ${timeoutMs} ms`);
      outgoing.destroy();
    }, timeoutMs);
    let answered = false;
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // After the answer's head arrived, a failed write of the rest of the body is expected
      // (the server refused it early); only an error before the answer counts.
      if (!answered) fail(`${error.code ?? 'error'} before the answer: ${error.message}`);
    });
    outgoing.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('aborted', () => fail(`answer ${res.statusCode} cut off before its end`));
      res.on('error', (error) => fail(`answer ${res.statusCode} cut off: ${error.message}`));
      res.on('end', () =>
        finish({ kind: 'answer', answer: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started } }),
      );
    });
    if (req.framing === 'chunked') {
      for (const piece of pieces(req.body)) outgoing.write(piece);
      outgoing.end();
    } else outgoing.end(req.body);
  });
}

function writeFirst(baseUrl: string, req: OutgoingRequest, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port || 80), url.hostname);
    const received: Buffer[] = [];
    let written = false;
    let done = false;
    const statusOnWire = () => {
      const head = Buffer.concat(received).subarray(0, 16).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      return status === undefined ? undefined : Number(status);
    };
    const finish = (outcome: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'no-answer', error: `no answer within ${timeoutMs} ms`, ms: performance.now() - started }), timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const seen = statusOnWire();
      if (!written) {
        const lost = seen === undefined ? '' : ` (the server had sent ${seen}, which this client never reads)`;
        finish({
          kind: 'no-answer',
          error: `${error.code ?? 'error'} while writing the body${lost}`,
          ms: performance.now() - started,
          ...(seen === undefined ? {} : { statusOnWire: seen }),
        });
      } else settle(`${error.code ?? 'error'} while reading the answer`);
    });
    socket.on('close', () => settle('connection closed without an answer'));
    const settle = (why: string) => {
      const raw = Buffer.concat(received);
      try {
        if (raw.length === 0) throw new Error(why);
        const parsed = parseResponse(raw);
        const declared = parsed.headers['content-length'];
        if (declared !== undefined && parsed.body.length < Number(declared))
          throw new Error(`answer ${parsed.status} cut off (${parsed.body.length} of ${declared} bytes): ${why}`);
        finish({ kind: 'answer', answer: { ...parsed, ms: performance.now() - started } });
      } catch (error) {
        finish({ kind: 'no-answer', error: (error as Error).message, ms: performance.now() - started });
      }
    };
    const framing = req.framing === 'length' ? { 'content-length': String(req.body.length) } : { 'transfer-encoding': 'chunked' };
    const headers = { host: url.host, ...req.headers, ...framing, connection: 'close' };
    const head = `POST ${req.path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    const parts: Buffer[] = [Buffer.from(head, 'latin1')];
    if (req.framing === 'length') parts.push(req.body);
    else {
      for (const piece of pieces(req.body)) parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
      parts.push(Buffer.from('0\r\n\r\n'));
    }
    socket.write(Buffer.concat(parts), (error) => {
      if (!error) written = true;
    });
  });
}
