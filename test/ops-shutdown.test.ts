// Start-up and graceful shutdown of the real process: /readyz 503 while starting and from
// SIGTERM on, requests still served during SHUTDOWN_DELAY_MS, in-flight work finished,
// keep-alive connections closed, exit 0 before SHUTDOWN_GRACE_MS; a second signal exits at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startServer, type ServerProcess } from './helpers/server-process.ts';
import { photoLikeJpeg } from './helpers/ops-images.ts';
import { json, send, waitFor } from './helpers/ops-http.ts';
import { killAfter } from './helpers/ops-load.ts';

/** An upload whose body the test sends in two parts, so it is in flight as long as it likes. */
function slowUpload(url: string, body: Buffer) {
  const req = request(`${url}/v1/histogram`, { method: 'POST', agent: false, headers: { 'content-type': 'image/jpeg', 'content-length': body.length } });
  const answer = new Promise<{ res: IncomingMessage; body: Buffer }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
    });
  });
  req.write(body.subarray(0, body.length >> 1));
  return { answer, finish: () => req.end(body.subarray(body.length >> 1)) };
}

/** An HTTP/1.1 connection left idle after one answered request (keep-alive). */
async function idleKeepAlive(port: number): Promise<{ socket: Socket; closed: () => boolean }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let closed = false;
  socket.on('close', () => (closed = true)).on('error', () => {});
  socket.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
  const [first] = (await once(socket, 'data')) as [Buffer];
  assert.match(first.toString(), /^HTTP\/1\.1 200 /);
  assert.doesNotMatch(first.toString(), /connection: close/i);
  return { socket, closed: () => closed };
}

function messages(server: ServerProcess): string[] {
  return server.logs.map((line) => (JSON.parse(line) as { msg: string }).msg);
}

const refusesConnections = (port: number) => () =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.destroy() && resolve(false));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

test('on SIGTERM /readyz turns 503 at once, new requests are served during SHUTDOWN_DELAY_MS, an in-flight upload finishes, idle keep-alive connections close and the process exits 0 before SHUTDOWN_GRACE_MS', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  // A delay long enough for the test's own steps within it on a busy machine, and a grace
  // period far beyond the test's steps: exit 0 (not the grace period's exit 1) proves the drain.
  const delayMs = 3_000;
  // The in-flight upload pauses on purpose: the slow-client limits do not apply to it here.
  servers.push(
    await startServer({
      env: {
        SHUTDOWN_DELAY_MS: String(delayMs),
        SHUTDOWN_GRACE_MS: '30000',
        UPLOAD_MIN_BYTES_PER_SEC: '0',
        UPLOAD_IDLE_TIMEOUT_MS: '60000',
        REQUEST_TIMEOUT_MS: '60000',
      },
    }),
  );
  const server = servers[0]!;
  const jpeg = await photoLikeJpeg(640, 480);
  const exited = once(server.proc, 'exit');

  const idle = await idleKeepAlive(server.port);
  const inFlight = slowUpload(server.url, jpeg);
  await waitFor('the slow upload to be admitted', async () => /histogram_queued_requests 1/.test((await send(`${server.url}/metrics`)).body.toString()));

  const sigterm = performance.now();
  server.proc.kill('SIGTERM');
  // Unready at once: the first /readyz after the server has handled the signal says so.
  await waitFor('the server to handle SIGTERM', () => messages(server).includes('draining'), 10_000, 10);
  const ready = await send(`${server.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.deepEqual(json(ready), { status: 'draining' });
  // Still serving on new connections while endpoints catch up.
  const during = await send(`${server.url}/v1/histogram`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' } });
  assert.equal(during.status, 200);
  assert.equal(json(during).pixels, 640 * 480);
  assert.ok(!idle.closed(), 'idle keep-alive connections stay open during the delay');

  // After the delay: the listener is closed and idle connections are closed by the server.
  await waitFor('the listener to close', refusesConnections(server.port), delayMs + 10_000, 50);
  await waitFor('the idle keep-alive connection to be closed by the server', idle.closed, 10_000);
  assert.equal(server.proc.exitCode, null, 'the process waits for its in-flight upload');

  inFlight.finish();
  const { res, body } = await inFlight.answer;
  assert.equal(res.statusCode, 200, body.toString());
  assert.equal((JSON.parse(body.toString()) as { pixels: number }).pixels, 640 * 480);
  assert.equal(res.headers.connection, 'close');

  const [code] = await exited;
  const elapsed = performance.now() - sigterm;
  t.diagnostic(`exited ${code} ${elapsed.toFixed(0)} ms after SIGTERM`);
  assert.equal(code, 0, 'exit 1 would mean the grace period ran out');
  // A timer never fires early: the listener stayed open for the whole delay.
  assert.ok(elapsed >= delayMs, `exited ${elapsed.toFixed(0)} ms after SIGTERM, before SHUTDOWN_DELAY_MS ${delayMs}`);
  const log = messages(server);
  assert.ok(log.indexOf('draining') < log.indexOf('stopped'), `log order: ${log.filter((m) => m !== 'request').join(', ')}`);
});

test('SIGINT drains like SIGTERM: /readyz 503, then exit 0', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  servers.push(await startServer({ env: { SHUTDOWN_DELAY_MS: '2000', SHUTDOWN_GRACE_MS: '30000' } }));
  const server = servers[0]!;
  const exited = once(server.proc, 'exit');
  server.proc.kill('SIGINT');
  await waitFor('the server to handle SIGINT', () => messages(server).includes('draining'), 10_000, 10);
  assert.equal((await send(`${server.url}/readyz`)).status, 503);
  const [code] = await exited;
  assert.equal(code, 0);
  assert.ok(messages(server).includes('stopped'));
});

test('a second signal while draining exits at once with a non-zero code, without waiting for in-flight work', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  // A long delay and grace: only the second signal can make it exit within the test.
  servers.push(await startServer({ env: { SHUTDOWN_DELAY_MS: '20000', SHUTDOWN_GRACE_MS: '30000' } }));
  const server = servers[0]!;
  const jpeg = await photoLikeJpeg(320, 240);
  const exited = once(server.proc, 'exit');
  const inFlight = slowUpload(server.url, jpeg);
  inFlight.answer.catch(() => {}); // its connection dies with the process
  server.proc.kill('SIGTERM');
  await waitFor('the drain to start', () => messages(server).includes('draining'), 5_000);
  server.proc.kill('SIGTERM');
  const [code] = (await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000, ['still running']))])) as [number | string];
  assert.notEqual(code, 0);
  assert.equal(typeof code, 'number', `process exit code after the second signal: ${code}`);
  assert.ok(messages(server).includes('second signal: exiting now'));
});

test('during start-up /readyz answers 503 "starting" while /healthz answers 200, and /readyz turns 200 once the workers are warm', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  servers.push(await startServer({ waitReady: false }));
  const server = servers[0]!;
  // Polled as soon as the server logs "listening": the workers are still loading.
  const first = await send(`${server.url}/readyz`);
  assert.equal(first.status, 503);
  assert.deepEqual(json(first), { status: 'starting' });
  assert.equal((await send(`${server.url}/healthz`)).status, 200);
  await waitFor('/readyz to turn 200', async () => (await send(`${server.url}/readyz`)).status === 200, 30_000, 50);
  assert.deepEqual(json(await send(`${server.url}/readyz`)), { status: 'ready' });
  // The log line travels through a pipe: it may land a moment after /readyz has answered.
  await waitFor("the 'ready' log line", () => messages(server).includes('ready'), 10_000);
});
