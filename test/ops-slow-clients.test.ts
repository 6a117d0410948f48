// Slow and stalled clients cannot lock real uploads out: an upload slower than the minimum rate
// or pausing too long gets 408 and frees its place; a real upload that finds every place taken
// waits for one (its body unread) instead of being refused, in arrival order, ahead of the slow
// clients' reconnections. Header trickling is cut by the header timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { sharedServers, startServer, type ServerProcess } from './helpers/server-process.ts';
import { photoLikeJpeg } from './helpers/ops-images.ts';
import { json, parseResponse, send, sleep, waitFor } from './helpers/ops-http.ts';
import { admission } from './helpers/ops-metrics.ts';
import { killAfter, tally } from './helpers/ops-load.ts';

/** A client that sends its head and then 1 byte a second of a 1 MB body, reconnecting at once whenever it is cut off. */
function trickler(port: number, stopAt: number, statuses: number[]): { stop(): void } {
  let socket: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const open = () => {
    if (stopped || performance.now() > stopAt) return;
    const s = connect(port, '127.0.0.1');
    socket = s;
    let raw = Buffer.alloc(0);
    s.on('data', (data) => (raw = Buffer.concat([raw, data])));
    s.on('error', () => {});
    s.on('close', () => {
      clearInterval(timer);
      if (raw.length > 0) statuses.push(parseResponse(raw).status);
      open();
    });
    s.write('POST /v1/histogram HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 1000000\r\n\r\n');
    timer = setInterval(() => s.write('x'), 1_000);
  };
  open();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      socket?.destroy();
    },
  };
}

/** Opens a raw connection, lets `talk` write on it, and resolves with all it read once it closed. */
function rawExchange(port: number, talk: (socket: Socket) => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve) => {
    const s = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    s.on('data', (d) => (data = Buffer.concat([data, d])));
    s.on('close', () => resolve(data));
    s.on('error', () => {});
    talk(s);
  });
}

test("with the manifests' CONCURRENCY=1 MAX_QUEUE=16, 24 clients trickling 1 byte/s do not keep a normal upload from a 200 within 10 s", async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  servers.push(await startServer({ env: { CONCURRENCY: '1', MAX_QUEUE: '16' } }));
  const server = servers[0]!;
  const jpeg = await photoLikeJpeg(640, 480);
  const statuses: number[] = [];
  const tricklers = Array.from({ length: 24 }, () => trickler(server.port, performance.now() + 30_000, statuses));
  t.after(() => {
    for (const c of tricklers) c.stop();
  });
  // Every place is held by a trickler once the rest have to wait for one.
  await waitFor('every place to be held by a trickler', async () => (await admission(server.url)).waiting >= 1, 30_000);

  const started = performance.now();
  let answer = await send(`${server.url}/v1/histogram`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' }, timeoutMs: 15_000 });
  // A client honouring Retry-After would try again; the server should not make it need to.
  while (answer.status === 503 && performance.now() - started < 10_000) {
    await sleep(1_000 * Number(answer.headers['retry-after'] ?? 1));
    answer = await send(`${server.url}/v1/histogram`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' }, timeoutMs: 15_000 });
  }
  const ms = performance.now() - started;
  for (const c of tricklers) c.stop();
  await sleep(200); // a stopped trickler records the answer it read when its socket's 'close' fires
  t.diagnostic(`normal upload: ${answer.status} after ${ms.toFixed(0)} ms; tricklers were answered ${JSON.stringify(tally(statuses))}`);
  assert.equal(answer.status, 200, answer.body.toString());
  assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
  assert.ok(statuses.includes(408), 'tricklers were cut off with 408');
});

test('an upload slower than UPLOAD_MIN_BYTES_PER_SEC gets 408 REQUEST_TIMEOUT naming the rate, and its place is free again', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  servers.push(await startServer({ env: { CONCURRENCY: '1', MAX_QUEUE: '0', MAX_WAITING: '0', UPLOAD_MIN_BYTES_PER_SEC: '10000' } }));
  const server = servers[0]!;
  const statuses: number[] = [];
  // The trickler reconnects after each cut until stopped (60 s at most, a backstop).
  const slow = trickler(server.port, performance.now() + 60_000, statuses);
  t.after(() => slow.stop());
  await waitFor('the trickler to hold the only place', async () => {
    const a = await admission(server.url);
    return a.inFlight + a.queued >= 1;
  });
  // The trickler holds the only place, so this one is refused...
  const raw = await rawExchange(server.port, (s) => s.write('POST /v1/histogram HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'));
  assert.equal(parseResponse(raw).status, 503);
  // ...until the trickler is cut: 408 with the measured rate, after the 2 s grace.
  await waitFor('the trickler to be cut with 408', () => statuses.includes(408), 30_000);
  slow.stop();
  await waitFor('the place to be free again', async () => {
    const a = await admission(server.url);
    return a.inFlight + a.queued === 0;
  });
  const jpeg = await photoLikeJpeg(64, 48);
  const answer = await send(`${server.url}/v1/histogram`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' } });
  assert.equal(answer.status, 200);
});

// The idle-upload and slow-headers tests share one server: the headers limit never applies to
// an upload whose headers came at once, and the upload limits never to a request without body.
const shared = sharedServers();
const TIMEOUTS = { UPLOAD_IDLE_TIMEOUT_MS: '1000', UPLOAD_MIN_BYTES_PER_SEC: '0', HEADERS_TIMEOUT_MS: '1500' };

test("a client that stops sending mid-upload gets 408 after UPLOAD_IDLE_TIMEOUT_MS, in this service's JSON", async () => {
  const server = await shared(TIMEOUTS);
  const started = performance.now();
  const raw = await rawExchange(server.port, (s) => {
    s.write('POST /v1/histogram HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n');
    s.write(Buffer.alloc(5000));
  });
  const answer = parseResponse(raw);
  assert.equal(answer.status, 408);
  const body = json<{ error: { code: string; message: string } }>({ ...answer, ms: 0 });
  assert.equal(body.error.code, 'REQUEST_TIMEOUT');
  assert.match(body.error.message, /paused for more than 1000 ms \(UPLOAD_IDLE_TIMEOUT_MS\) after 4\.9 KiB/);
  // Not before the idle limit; and long before anything else would end it (REQUEST_TIMEOUT_MS,
  // 30 s by default), however busy the machine.
  const ms = performance.now() - started;
  assert.ok(ms >= 1_000 && ms < 10_000, `cut after ${ms.toFixed(0)} ms`);
});

test('request headers trickled slower than HEADERS_TIMEOUT_MS get a JSON 408, not before the limit', async () => {
  const server = await shared(TIMEOUTS);
  const started = performance.now();
  const raw = await rawExchange(server.port, (s) => {
    s.write('POST /v1/histogram HTTP/1.1\r\nHost: x\r\n');
    const timer = setInterval(() => (s.writable ? s.write('X-Slow: y\r\n') : clearInterval(timer)), 300);
    s.on('close', () => clearInterval(timer));
  });
  const ms = performance.now() - started;
  const answer = parseResponse(raw);
  assert.equal(answer.status, 408);
  assert.equal(answer.headers['content-type'], 'application/json');
  assert.equal(JSON.parse(answer.body.toString()).error.code, 'REQUEST_TIMEOUT');
  // Not before the limit (less the time to connect, counted here but not by the server), and
  // long before anything else would end it, however busy the machine.
  assert.ok(ms >= 1_400 && ms < 10_000, `cut after ${ms.toFixed(0)} ms`);
});
