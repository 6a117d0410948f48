// What the HTTP layer answers before or around the app: requests Node's parser rejects get this
// service's JSON error (counted and logged), OPTIONS without CORS is a 405, a bad API_TOKEN
// stops start-up, and a slow client cannot hold a shutdown to its grace period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sharedServers, startServer, type ServerProcess } from './helpers/server-process.ts';
import { parseResponse, send, waitFor } from './helpers/ops-http.ts';
import { killAfter } from './helpers/ops-load.ts';
import { parseExposition, sum } from './helpers/ops-metrics.ts';

function rawExchange(port: number, bytes: string): Promise<ReturnType<typeof parseResponse>> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let raw = Buffer.alloc(0);
    socket.on('data', (data) => (raw = Buffer.concat([raw, data])));
    socket.on('error', () => {});
    socket.on('close', () => {
      try {
        resolve(parseResponse(raw));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(bytes);
  });
}

// The tests with the default settings send requests only: they share one server. Every server
// here has one image thread (each thread loads and warms up the chart code): no request in this
// file decodes an image.
const shared = sharedServers();
const ONE_THREAD = { CONCURRENCY: '1' };

test('malformed requests and oversized headers get JSON errors, counted in metrics and logged', async () => {
  const server = await shared(ONE_THREAD);
  const cases = [
    { name: 'a broken request line', bytes: 'HELLO WORLD\r\n\r\n', status: 400, code: 'BAD_REQUEST' },
    { name: 'a bad chunk size', bytes: 'POST /v1/histogram HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', status: 400, code: 'BAD_REQUEST' },
    { name: 'headers over 16 KiB', bytes: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, status: 431, code: 'HEADERS_TOO_LARGE' },
  ];
  for (const c of cases) {
    const answer = await rawExchange(server.port, c.bytes);
    assert.equal(answer.status, c.status, c.name);
    assert.equal(answer.headers['content-type'], 'application/json', c.name);
    const body = JSON.parse(answer.body.toString()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, c.code, c.name);
    assert.ok(body.error.message.length > 10, c.name);
  }
  const metrics = parseExposition((await send(`${server.url}/metrics`)).body.toString());
  assert.equal(sum(metrics, 'histogram_protocol_errors_total'), cases.length, 'every rejected request is counted');
  await waitFor('the log lines', () => server.logs.filter((line) => line.includes('"protocol error"')).length === cases.length);
});

test('OPTIONS on a histogram route without CORS is 405 with Allow: POST', async () => {
  const answer = await send(`${(await shared(ONE_THREAD)).url}/v1/histogram`, { method: 'OPTIONS' });
  assert.equal(answer.status, 405);
  assert.equal(answer.headers.allow, 'POST');
  assert.equal(JSON.parse(answer.body.toString()).error.code, 'METHOD_NOT_ALLOWED');
});

test('an API_TOKEN with a trailing newline, or shorter than 16 characters, stops start-up with a message naming it', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const [token, message] of [
    ['a-long-enough-token-value\n', /API_TOKEN without spaces, newlines/],
    ['short', /API_TOKEN of at least 16 characters but received 5/],
  ] as const) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', API_TOKEN: token },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, new RegExp(token.trim()), 'the token itself is not printed');
  }
});

test('a connection trickling its headers does not hold SIGTERM to the grace period: the process exits 0 soon after the delay', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  servers.push(await startServer({ env: { ...ONE_THREAD, SHUTDOWN_DELAY_MS: '500', SHUTDOWN_GRACE_MS: '20000' } }));
  const server = servers[0]!;
  const slowloris = connect(server.port, '127.0.0.1');
  slowloris.on('error', () => {});
  slowloris.write('GET /healthz HTTP/1.1\r\n');
  const ticker = setInterval(() => slowloris.writable && slowloris.write('X-a: b\r\n'), 200);
  t.after(() => clearInterval(ticker));
  await new Promise((r) => setTimeout(r, 1_200));
  const started = performance.now();
  const exited = once(server.proc, 'exit');
  server.proc.kill('SIGTERM');
  const [code] = (await exited) as [number];
  const ms = performance.now() - started;
  clearInterval(ticker);
  // At the end of the grace period the server exits 1: exit 0 is the proof it did not wait for it.
  t.diagnostic(`exited ${code} after ${ms.toFixed(0)} ms`);
  assert.equal(code, 0);
});

test('a keep-alive client that never closes its side after the drain sends FIN does not hold SIGTERM to the grace period', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  servers.push(await startServer({ env: { ...ONE_THREAD, SHUTDOWN_DELAY_MS: '500', SHUTDOWN_GRACE_MS: '20000' } }));
  const server = servers[0]!;
  // One answered request, then the connection is kept open: the client ignores our FIN.
  const client = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
  client.on('error', () => {});
  const answered = once(client, 'data');
  client.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(parseResponse((await answered)[0] as Buffer).status, 200);
  t.after(() => client.destroy());
  const started = performance.now();
  const exited = once(server.proc, 'exit');
  server.proc.kill('SIGTERM');
  const [code] = (await exited) as [number];
  t.diagnostic(`exited ${code} after ${(performance.now() - started).toFixed(0)} ms`);
  assert.equal(code, 0, 'exit 1 would mean the grace period ran out');
});
