import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { httpRequest } from './http-request.ts';

/** A tiny echo server on 127.0.0.1: answers with the request's headers as JSON. */
async function echoServer(t: { after: (fn: () => void) => void }, delayMs = 0): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.end(JSON.stringify(req.headers)), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

test('a Host header given by the caller reaches the server (fetch would drop it)', async (t) => {
  const base = await echoServer(t);
  const response = await httpRequest({
    method: 'POST',
    url: new URL(`${base}/v1/histogram`),
    headers: { Host: 'histogram.local', 'X-Extra': 'yes' },
    body: Buffer.from('abc'),
    timeoutMs: 5000,
  });
  const seen = JSON.parse(response.body.toString()) as Record<string, string>;
  assert.equal(response.status, 200);
  assert.equal(seen.host, 'histogram.local');
  assert.equal(seen['x-extra'], 'yes');
  assert.equal(seen['content-length'], '3');
});

test('a response slower than the timeout fails with a TimeoutError', async (t) => {
  const base = await echoServer(t, 500);
  await assert.rejects(httpRequest({ method: 'POST', url: new URL(base), body: Buffer.from('x'), timeoutMs: 50 }), {
    name: 'TimeoutError',
  });
});
