// API_TOKEN, CORS_ORIGIN, X-Served-By and X-Request-Id over HTTP, against two servers served
// from this process (one with the settings, one without) that share one image thread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createImagePool, type ImagePool } from '../server/worker/image-pool.ts';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { fromRaw, gradient } from './helpers/synthetic-images.ts';
import { json, send, waitFor, type HttpAnswer } from './helpers/ops-http.ts';

const TOKEN = 'ops-token-0123456789';
const ORIGIN = 'https://example.org';
const POD = 'ops-pod-7';

let images: ImagePool;
let guarded: InProcessServer; // API_TOKEN, CORS_ORIGIN and POD_NAME set
let open: InProcessServer; // none of them
let png: Buffer;

before(async () => {
  images = createImagePool(1);
  [guarded, open] = await Promise.all([
    startInProcessServer({ env: { API_TOKEN: TOKEN, CORS_ORIGIN: ORIGIN, POD_NAME: POD }, images }),
    startInProcessServer({ images }),
  ]);
  png = await fromRaw(gradient(16, 8)).png().toBuffer();
});
after(async () => {
  await Promise.all([guarded?.stop(), open?.stop()]);
  await images?.close();
});

function upload(server: InProcessServer, path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return send(`${server.url}${path}`, { method: 'POST', body: png, headers: { 'content-type': 'image/png', ...headers } });
}

const unauthorizedCases: Array<{ name: string; headers: Record<string, string> }> = [
  { name: 'no Authorization header', headers: {} },
  { name: 'a wrong bearer token', headers: { authorization: 'Bearer not-the-token' } },
  { name: 'the token one character short', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } },
  { name: 'the token under another scheme', headers: { authorization: `Basic ${TOKEN}` } },
  { name: 'an empty bearer token', headers: { authorization: 'Bearer ' } },
];

for (const path of ['/v1/histogram', '/process-image']) {
  for (const { name, headers } of unauthorizedCases) {
    test(`with API_TOKEN set, POST ${path} with ${name} answers 401 UNAUTHORIZED as JSON`, async () => {
      const answer = await upload(guarded, path, headers);
      assert.equal(answer.status, 401);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      const body = json<{ error: { code: string; message: string; requestId: string } }>(answer);
      assert.equal(body.error.code, 'UNAUTHORIZED');
      assert.match(body.error.message, /Authorization: Bearer/);
      assert.equal(body.error.requestId, answer.headers['x-request-id']);
      assert.equal(answer.headers['x-served-by'], POD);
    });
  }
  test(`with API_TOKEN set, POST ${path} with the right bearer token answers 200`, async () => {
    const answer = await upload(guarded, path, { authorization: `Bearer ${TOKEN}` });
    assert.equal(answer.status, 200);
    assert.equal(json(answer).pixels, 16 * 8);
  });
}

test('with API_TOKEN set, /healthz, /readyz and /metrics stay open without a token', async () => {
  for (const path of ['/healthz', '/readyz', '/metrics']) {
    assert.equal((await send(`${guarded.url}${path}`)).status, 200, path);
  }
});

test('without API_TOKEN the histogram route needs no token', async () => {
  assert.equal((await upload(open, '/v1/histogram')).status, 200);
});

test('with CORS_ORIGIN set, a preflight OPTIONS on /v1/histogram allows that origin, POST and the Authorization header', async () => {
  const answer = await send(`${guarded.url}/v1/histogram`, {
    method: 'OPTIONS',
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
  assert.ok(answer.status === 204 || answer.status === 200, `preflight status ${answer.status}`);
  assert.equal(answer.headers['access-control-allow-origin'], ORIGIN);
  assert.match(String(answer.headers['access-control-allow-methods']), /POST/);
  assert.match(String(answer.headers['access-control-allow-headers']), /authorization/i);
});

test('with CORS_ORIGIN set, an API answer carries Access-Control-Allow-Origin and exposes X-Served-By and X-Request-Id', async () => {
  const answer = await upload(guarded, '/v1/histogram', { origin: ORIGIN, authorization: `Bearer ${TOKEN}` });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['access-control-allow-origin'], ORIGIN);
  const exposed = String(answer.headers['access-control-expose-headers']).toLowerCase();
  assert.ok(exposed.includes('x-served-by') && exposed.includes('x-request-id'), exposed);
});

test('with CORS_ORIGIN set, a 401 also carries Access-Control-Allow-Origin so the page can read the error', async () => {
  const answer = await upload(guarded, '/v1/histogram', { origin: ORIGIN });
  assert.equal(answer.status, 401);
  assert.equal(answer.headers['access-control-allow-origin'], ORIGIN);
});

test('without CORS_ORIGIN there is no Access-Control-Allow-Origin header, on preflight or on POST', async () => {
  const preflight = await send(`${open.url}/v1/histogram`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
  assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  const answer = await upload(open, '/v1/histogram', { origin: ORIGIN });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['access-control-allow-origin'], undefined);
});

test('X-Served-By equals POD_NAME on every kind of answer, and in the JSON servedBy', async () => {
  const answers = [
    await send(`${guarded.url}/healthz`),
    await send(`${guarded.url}/nowhere`),
    await upload(guarded, '/v1/histogram'),
    await upload(guarded, '/v1/histogram', { authorization: `Bearer ${TOKEN}` }),
    // The page and its assets are answered with Responses of their own, not through the context.
    await send(`${guarded.url}/`),
    await send(`${guarded.url}/assets/app.js`),
    await send(`${guarded.url}/metrics`),
  ];
  assert.deepEqual(
    answers.map((a) => [a.status, a.headers['x-served-by'], /^[0-9a-f-]{36}$/.test(String(a.headers['x-request-id']))]),
    [
      [200, POD, true],
      [404, POD, true],
      [401, POD, true],
      [200, POD, true],
      [200, POD, true],
      [200, POD, true],
      [200, POD, true],
    ],
  );
  assert.equal(json(answers[3]!).servedBy, POD);
});

test('an incoming X-Request-Id is kept in the header, the error body and the log; a malformed one is replaced', async () => {
  const id = 'client-req-42.a:b@c';
  const answer = await upload(guarded, '/v1/histogram', { 'x-request-id': id });
  assert.equal(answer.headers['x-request-id'], id);
  assert.equal(json<{ error: { requestId: string } }>(answer).error.requestId, id);
  // The log line is written before the answer; waiting for it costs nothing when it is there.
  const requestLines = () => guarded.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'request' && e.requestId === id);
  await waitFor('the request line', () => requestLines().length > 0, 5_000);
  assert.equal(requestLines().length, 1);

  const bad = 'has spaces and "quotes"';
  const replaced = await upload(guarded, '/v1/histogram', { 'x-request-id': bad, authorization: `Bearer ${TOKEN}` });
  assert.notEqual(replaced.headers['x-request-id'], bad);
  assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});
