// Limits enforced before the expensive work, over real sockets: 413 while streaming (the
// server stops reading), 503 when the queue is full, 504 past REQUEST_TIMEOUT_MS. Each test
// serves the app with its own settings from this process; all share one warm image thread.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { once } from 'node:events';
import sharp from 'sharp';
import { createImagePool, type ImagePool } from '../server/worker/image-pool.ts';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { fromRaw, noise } from './helpers/synthetic-images.ts';
import { admission } from './helpers/ops-metrics.ts';
import { waitFor } from './helpers/ops-http.ts';

const MiB = 1024 * 1024;

let images: ImagePool;
before(async () => {
  images = createImagePool(1);
  await images.ready();
});
after(() => images?.close());

/** Serves the app with `env` for the length of the test. */
async function serve(t: TestContext, env: Record<string, string>): Promise<InProcessServer> {
  const server = await startInProcessServer({ env, images });
  t.after(() => server.stop());
  return server;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

function readAnswer(res: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
    res.on('error', reject);
  });
}

/** Opens a POST whose body the test writes itself. */
function openUpload(url: string, headers: Record<string, string | number> = {}): { req: ClientRequest; answer: Promise<Answer> } {
  const req = request(`${url}/v1/histogram`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers } });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => readAnswer(res).then(resolve, reject));
    req.on('error', reject);
  });
  return { req, answer };
}

/** Asserts that a small valid image still gets its 200, quoting the answer if it does not. */
async function assertServesGood(url: string): Promise<void> {
  const res = await fetch(`${url}/v1/histogram`, {
    method: 'POST',
    body: await fromRaw(noise(8, 8, 3))
      .png()
      .toBuffer(),
  });
  const body = await res.text();
  assert.equal(res.status, 200, `a good request was answered ${res.status}: ${body.slice(0, 300)}`);
}

test('refuses a declared Content-Length over MAX_UPLOAD_BYTES before reading any of the body', async (t) => {
  const server = await serve(t, { MAX_UPLOAD_BYTES: String(MiB) });
  const { req, answer } = openUpload(server.url, { 'content-length': 3 * MiB });
  req.flushHeaders(); // headers only: not one byte of the body is sent
  const { status, json, headers } = await answer;
  req.destroy();
  assert.equal(status, 413);
  assert.equal(json.error!.code, 'PAYLOAD_TOO_LARGE');
  assert.match(json.error!.message, /^upload is 3 MiB; the limit is 1 MiB$/);
  assert.equal(headers.connection, 'close');
  await assertServesGood(server.url);
});

test('refuses a chunked body over MAX_UPLOAD_BYTES while streaming and stops reading it', async (t) => {
  const server = await serve(t, { MAX_UPLOAD_BYTES: String(MiB) });
  // A raw socket: keep reading the answer even after the server stops reading (writes then
  // fail with EPIPE, which an HTTP client would report instead of the 413).
  const socket = connect(server.port, '127.0.0.1');
  await once(socket, 'connect');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => {});
  const closed = new Promise((resolve) => socket.once('close', resolve)); // not events.once: it rejects on EPIPE
  let answered = false;
  socket.once('data', () => (answered = true));
  socket.write('POST /v1/histogram HTTP/1.1\r\nHost: test\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n');
  const total = 64 * MiB;
  const chunk = Buffer.alloc(64 * 1024, 1);
  const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  let written = 0;
  while (written < total && !answered && !socket.destroyed) {
    written += chunk.length;
    if (!socket.write(framed))
      await new Promise((r) => {
        socket.once('drain', r);
        socket.once('close', r);
        setTimeout(r, 1000);
      });
  }
  await closed; // the server closes the connection after its answer
  const text = Buffer.concat(received).toString();
  assert.match(text, /^HTTP\/1\.1 413 /);
  assert.match(text, /connection: close/i);
  const json = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Answer['json'];
  assert.equal(json.error!.code, 'PAYLOAD_TOO_LARGE');
  assert.match(json.error!.message, /^upload is over 1 MiB \(reading stopped\); the limit is 1 MiB$/);
  // The limit plus what socket buffers hold: far less than the 64 MiB the client had to send.
  assert.ok(written < 16 * MiB, `client wrote ${written / MiB} MiB before the server answered`);
  await assertServesGood(server.url);
});

test('refuses a multipart file part over MAX_UPLOAD_BYTES with 413', async (t) => {
  const server = await serve(t, { MAX_UPLOAD_BYTES: String(MiB) });
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(MiB + 10)]), 'big.png');
  const res = await fetch(`${server.url}/process-image`, { method: 'POST', body: form });
  const json = (await res.json()) as Answer['json'];
  assert.equal(res.status, 413);
  assert.equal(json.error!.code, 'PAYLOAD_TOO_LARGE');
  await assertServesGood(server.url);
});

test('answers 503 OVERLOADED with Retry-After at once when every place is taken, then serves again', async (t) => {
  const server = await serve(t, { CONCURRENCY: '1', MAX_QUEUE: '0', MAX_WAITING: '0' });
  const png = await fromRaw(noise(32, 32, 3))
    .png()
    .toBuffer();
  // A slow upload holds the only place while its body trickles in.
  const slow = openUpload(server.url, { 'content-length': png.length });
  slow.req.write(png.subarray(0, 100));
  await waitFor('the slow upload to hold the only place', async () => {
    const a = await admission(server.url);
    return a.inFlight + a.queued >= 1;
  });
  const res = await fetch(`${server.url}/v1/histogram`, { method: 'POST', body: png });
  const json = (await res.json()) as Answer['json'];
  assert.equal(res.status, 503);
  assert.equal(json.error!.code, 'OVERLOADED');
  assert.equal(res.headers.get('retry-after'), '1');
  slow.req.end(png.subarray(100));
  const slowAnswer = await slow.answer;
  assert.equal(slowAnswer.status, 200, 'the admitted slow upload completes');
  assert.equal(slowAnswer.json.pixels, 1024);
  await assertServesGood(server.url);
});

test('answers 504 TIMEOUT when the upload stalls past REQUEST_TIMEOUT_MS', async (t) => {
  const server = await serve(t, { REQUEST_TIMEOUT_MS: '1500' });
  const stalled = openUpload(server.url, { 'content-length': 10_000 });
  stalled.req.write(Buffer.alloc(100));
  const { status, json } = await stalled.answer;
  stalled.req.destroy();
  assert.equal(status, 504);
  assert.equal(json.error!.code, 'TIMEOUT');
  assert.match(json.error!.message, /1500 ms limit .* while reading the upload/);
  await assertServesGood(server.url);
});

test('answers 504 TIMEOUT when decoding takes longer than REQUEST_TIMEOUT_MS', async (t) => {
  // Two places: the decode that timed out may hold its place until the image thread lets go of
  // it, and the good request after it must not wait behind it.
  const server = await serve(t, { REQUEST_TIMEOUT_MS: '100', CONCURRENCY: '2' });
  // 49 megapixels in a small file (a flat PNG compresses ~1000:1): the upload is quick, but
  // inflating and counting 147 MB of pixels takes several times 100 ms on any machine.
  const big = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: { r: 10, g: 200, b: 30 } } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  assert.ok(big.length < 1024 * 1024, `fixture is ${big.length} bytes`);
  const res = await fetch(`${server.url}/v1/histogram`, { method: 'POST', body: big });
  const json = (await res.json()) as Answer['json'];
  assert.equal(res.status, 504);
  assert.equal(json.error!.code, 'TIMEOUT');
  assert.match(json.error!.message, /while (processing the image|waiting in the queue)/);
  await assertServesGood(server.url);
});
