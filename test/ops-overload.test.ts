// Load shedding over real sockets: beyond CONCURRENCY + MAX_QUEUE the server answers 503
// OVERLOADED with Retry-After at once, without reading the body, and recovers afterwards.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServers, type ServerProcess } from './helpers/server-process.ts';
import { photoLikeJpeg } from './helpers/ops-images.ts';
import { json, rawUpload, send, type RawAnswer } from './helpers/ops-http.ts';
import { countByStatus } from './helpers/ops-load.ts';
import { parseExposition, value } from './helpers/ops-metrics.ts';

const UPLOADS = 20;
const PLACES = 3; // CONCURRENCY=1 + MAX_QUEUE=2
const ENV = { CONCURRENCY: '1', MAX_QUEUE: '2', MAX_WAITING: '0' };
// Both tests send requests only, and the first ends with the server idle and serving: they
// share one server.
const shared = sharedServers();

interface ErrorJson {
  error: { code: string; message: string; requestId: string };
}

let jpeg: Buffer;
before(async () => {
  // Decoding a 1920×1080 photo takes tens of ms, so 20 of them cannot all be served at once.
  jpeg = await photoLikeJpeg(1920, 1080);
});

function checkOverloaded(answer: RawAnswer): void {
  const body = json<ErrorJson>(answer);
  assert.equal(body.error.code, 'OVERLOADED');
  assert.match(body.error.message, /busy: 1 images in progress and 2 waiting; retry later/);
  assert.equal(body.error.requestId, answer.headers['x-request-id']);
  assert.match(String(answer.headers['retry-after']), /^[1-9]\d*$/, 'Retry-After is a positive number of seconds');
}

async function servesNormally(server: ServerProcess): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const answer = await send(`${server.url}/v1/histogram`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' } });
    assert.equal(answer.status, 200);
    assert.equal(json(answer).pixels, 1920 * 1080);
  }
}

test('with CONCURRENCY=1 and MAX_QUEUE=2, 20 simultaneous uploads get some 503 OVERLOADED with Retry-After, the rest 200, no other 5xx; then the server serves normally', async (t) => {
  const server = await shared(ENV);

  // Plain sockets, so an early 503 is read even if the server never reads the body.
  const answers = await Promise.all(
    Array.from({ length: UPLOADS }, () => rawUpload(server.port, { path: '/v1/histogram', body: jpeg, headers: { 'content-type': 'image/jpeg' } })),
  );
  const counts = countByStatus(answers);
  t.diagnostic(
    `statuses ${JSON.stringify(counts)}; slowest 503 ${Math.max(...answers.filter((a) => a.status === 503).map((a) => a.ms)).toFixed(1)} ms, slowest 200 ${Math.max(...answers.filter((a) => a.status === 200).map((a) => a.ms)).toFixed(1)} ms`,
  );
  assert.deepEqual(Object.keys(counts).sort(), ['200', '503'], `only 200 and 503 expected, got ${JSON.stringify(counts)}`);
  // The first three to arrive hold the three places until they are processed.
  assert.ok(counts[200]! >= PLACES, `${counts[200]} answered 200`);
  for (const answer of answers) {
    if (answer.status === 503) checkOverloaded(answer);
    else assert.equal(json(answer).pixels, 1920 * 1080);
  }

  const metrics = parseExposition((await send(`${server.url}/metrics`)).body.toString());
  assert.equal(value(metrics, 'histogram_errors_total', { code: 'OVERLOADED', status: '503' }), counts[503]);
  assert.equal(value(metrics, 'histogram_in_flight_requests'), 0);
  assert.equal(value(metrics, 'histogram_queued_requests'), 0);
  await servesNormally(server);
});

test('refuses uploads beyond the queue before reading their body: the 503 arrives while the client still holds its body back', async (t) => {
  const server = await shared(ENV);

  // Every client sends its request head at once and its body only once the refusals are in
  // (or after 30 s at most, a backstop for a server that refuses too few): whatever was
  // answered before then was answered unread.
  let answered = 0;
  let releaseBodies!: () => void;
  const bodiesMayGo = new Promise<void>((resolve) => {
    releaseBodies = resolve;
    setTimeout(resolve, 30_000).unref();
  });
  const answers = await Promise.all(
    Array.from({ length: UPLOADS }, () =>
      rawUpload(server.port, { path: '/v1/histogram', body: jpeg, headers: { 'content-type': 'image/jpeg' }, holdBody: bodiesMayGo }).finally(() => {
        if (++answered === UPLOADS - PLACES) releaseBodies();
      }),
    ),
  );
  const refused = answers.filter((a) => a.status === 503);
  const served = answers.filter((a) => a.status === 200);
  t.diagnostic(`${refused.length} refused (slowest ${Math.max(...refused.map((a) => a.ms)).toFixed(1)} ms after sending the head), ${served.length} served`);
  assert.equal(refused.length + served.length, UPLOADS, `statuses ${JSON.stringify(countByStatus(answers))}`);
  assert.equal(served.length, PLACES, 'exactly the admitted requests are served: no place frees up before the bodies are sent');
  for (const answer of refused) {
    checkOverloaded(answer);
    assert.equal(answer.bodyBytesSentBeforeAnswer, 0, 'the 503 came before any of the body was sent');
    assert.equal(answer.headers.connection, 'close', 'an unread body cannot be followed by another request');
  }
  for (const answer of served) assert.equal(answer.bodyBytesSentBeforeAnswer, jpeg.length);
  await servesNormally(server);
});
