// Answers given before the body is read must reach the client: refusals (503), oversized uploads
// (413) and the rest, also for clients that write their whole body before reading (Python's
// urllib, anything sending `Connection: close`), for chunked uploads, and for clients that wait
// for `100 Continue` (curl for large bodies), which then never send the body at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedServers, startServer, type ServerProcess } from './helpers/server-process.ts';
import { photoLikeJpeg } from './helpers/ops-images.ts';
import { admission } from './helpers/ops-metrics.ts';
import { fromRaw, noise } from './helpers/synthetic-images.ts';
import { parseResponse, send, waitFor } from './helpers/ops-http.ts';
import { killAfter, tally } from './helpers/ops-load.ts';

const URLLIB = new URL('./helpers/urllib-uploads.py', import.meta.url).pathname;

interface UrllibResult {
  status?: number;
  retryAfter?: string | null;
  code?: string | null;
  error?: string;
}

function urllibUploads(url: string, file: string, count: number): Promise<UrllibResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [URLLIB, url, file, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`urllib uploads exited ${code}: ${err}`));
      resolve(
        out
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as UrllibResult),
      );
    });
  });
}

test('20 urllib clients (write the whole 8 MB body, then read) against CONCURRENCY=1 MAX_QUEUE=2 all read 200, or 503 with Retry-After', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  // No waiting room: every upload beyond the three places is refused while its body is arriving.
  servers.push(await startServer({ env: { CONCURRENCY: '1', MAX_QUEUE: '2', MAX_WAITING: '0' } }));
  const dir = await mkdtemp(join(tmpdir(), 'early-answers-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // Noise does not compress: 1700×1700 of it as a quality-100 4:4:4 JPEG is about 8 MB.
  const jpeg = await fromRaw(noise(1700, 1700, 3))
    .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
    .toBuffer();
  const file = join(dir, 'big.jpg');
  await writeFile(file, jpeg);
  assert.ok(jpeg.length > 4 * 1024 * 1024, `fixture is ${jpeg.length} bytes`);

  const results = await urllibUploads(`${servers[0]!.url}/v1/histogram`, file, 20);
  t.diagnostic(`${jpeg.length}-byte uploads: ${JSON.stringify(tally(results.map((r) => r.status ?? r.error!)))}`);
  for (const result of results) {
    assert.equal(result.error, undefined, `a client could not read its answer: ${result.error}`);
    assert.ok(result.status === 200 || result.status === 503, `status ${result.status}`);
    if (result.status === 503) {
      assert.equal(result.code, 'OVERLOADED');
      assert.equal(result.retryAfter, '1');
    }
  }
  assert.ok(results.filter((r) => r.status === 503).length > 0, 'some uploads were refused (the test exercised the refusal)');
});

test('urllib clients whose upload is up to twice MAX_UPLOAD_BYTES (writing it all before reading) all read their 413', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  const limit = 4 * 1024 * 1024;
  servers.push(await startServer({ env: { MAX_UPLOAD_BYTES: String(limit) } }));
  const dir = await mkdtemp(join(tmpdir(), 'early-answers-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // Nearly twice the limit: answered 413 from Content-Length while the client still writes
  // megabytes more than socket buffers hold.
  const file = join(dir, 'over.bin');
  await writeFile(file, Buffer.alloc(Math.floor(limit * 1.9), 0x5a));
  const results = await urllibUploads(`${servers[0]!.url}/v1/histogram`, file, 4);
  t.diagnostic(`uploads of 1.9 × the limit: ${JSON.stringify(tally(results.map((r) => r.status ?? r.error!)))}`);
  for (const result of results) {
    assert.equal(result.error, undefined, `a client could not read its answer: ${result.error}`);
    assert.equal(result.status, 413);
    assert.equal(result.code, 'PAYLOAD_TOO_LARGE');
  }
});

// The two tests with the default settings send requests only: they share one server, with one
// image thread (each loads and warms up the chart code) since neither upload is decoded.
const shared = sharedServers();

test('a 30 MiB chunked multipart upload reads its 413, and the server reads at most a bounded amount of it', async (t) => {
  const server = await shared({ CONCURRENCY: '1' });
  const boundary = 'x-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const answer = await new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    const received: Buffer[] = [];
    let written = 0;
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => {}); // writes after the answer may fail: the answer is what counts
    socket.on('close', () => {
      const raw = Buffer.concat(received);
      if (raw.length === 0) return reject(new Error('no answer'));
      const parsed = parseResponse(raw);
      resolve({ status: parsed.status, body: parsed.body.toString(), written });
    });
    socket.write(
      `POST /v1/histogram HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
    );
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const frame = (data: Buffer) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    socket.write(frame(head));
    // Write like a client that does not read while writing: as fast as the socket takes it.
    const pump = () => {
      while (written < 30 * 1024 * 1024 && !socket.destroyed) {
        written += chunk.length;
        if (!socket.write(frame(chunk))) return void socket.once('drain', pump);
      }
      socket.write('0\r\n\r\n');
    };
    pump();
  });
  assert.equal(answer.status, 413);
  assert.equal(JSON.parse(answer.body).error.code, 'PAYLOAD_TOO_LARGE');
  t.diagnostic(`client wrote ${(answer.written / 1048576).toFixed(0)} MiB before the connection closed`);
});

test('a declared 4 GiB upload gets 413 at once, and the server does not read gigabytes of it', async (t) => {
  const server = await shared({ CONCURRENCY: '1' });
  const started = performance.now();
  const result = await new Promise<{ status: number; written: number }>((resolve) => {
    // Half-open: the client keeps writing after the server's FIN, as a careless client would.
    const socket = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
    const received: Buffer[] = [];
    let written = 0;
    let answered = false;
    const chunk = Buffer.alloc(1024 * 1024);
    socket.on('data', (data) => {
      received.push(data);
      answered = true;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ status: parseResponse(Buffer.concat(received)).status, written }));
    socket.write(`POST /v1/histogram HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${4 * 1024 ** 3}\r\n\r\n`);
    // Keep writing (within limits) after the answer, as a careless client would.
    const pump = () => {
      while (!socket.destroyed && written < 2 * 1024 ** 3 && performance.now() - started < 10_000) {
        written += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (!answered) socket.end();
    };
    pump();
  });
  assert.equal(result.status, 413);
  // The server reads at most MAX_UPLOAD_BYTES (25 MiB) of the rest, plus what socket buffers
  // hold: far from the gigabyte a plain discard would pull in the same time.
  assert.ok(result.written < 200 * 1024 * 1024, `the client could write ${(result.written / 1048576).toFixed(0)} MiB`);
  t.diagnostic(`client wrote ${(result.written / 1048576).toFixed(0)} MiB before the server closed, in ${(performance.now() - started).toFixed(0)} ms`);
});

test('with Expect: 100-continue, a refused or oversized upload is answered without 100 Continue, so the body is never sent', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  servers.push(await startServer({ env: { CONCURRENCY: '1', MAX_QUEUE: '0', MAX_WAITING: '0', MAX_UPLOAD_BYTES: String(1024 * 1024) } }));
  const server = servers[0]!;
  const expectContinue = (contentLength: number) =>
    new Promise<{ first: string; status: number }>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let raw = Buffer.alloc(0);
      socket.on('data', (data) => (raw = Buffer.concat([raw, data])));
      socket.on('error', reject);
      socket.on('close', () => resolve({ first: raw.subarray(0, 12).toString('latin1'), status: parseResponse(raw).status }));
      socket.write(`POST /v1/histogram HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: ${contentLength}\r\nExpect: 100-continue\r\n\r\n`);
    });
  const oversized = await expectContinue(10 * 1024 * 1024);
  assert.equal(oversized.status, 413);
  assert.equal(oversized.first, 'HTTP/1.1 413', 'the final answer came first: no 100 Continue');

  // Hold the only place with an upload that has not finished, then ask again.
  const holder = connect(server.port, '127.0.0.1');
  holder.on('error', () => {});
  holder.write('POST /v1/histogram HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\nabc');
  await waitFor('the unfinished upload to hold the only place', async () => {
    const a = await admission(server.url);
    return a.inFlight + a.queued >= 1;
  });
  const refused = await expectContinue(500_000);
  holder.destroy();
  assert.equal(refused.status, 503);
  assert.equal(refused.first, 'HTTP/1.1 503');

  // Once there is room, the same request is told to continue and then served.
  const jpeg = await photoLikeJpeg(64, 48);
  const served = await send(`${server.url}/v1/histogram`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg', expect: '100-continue' } });
  assert.equal(served.status, 200);
});
