// What the old service's clients send, answered as they expect: POST /process-image/ (the
// trailing slash) is the same route, and a multipart "file" sent as a text field is told so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';

let server: InProcessServer;
let halfPng: Buffer;
before(async () => {
  server = await startInProcessServer();
  // 4×2: the first row black, the second white. Luma by construction: 4 in bin 0, 4 in bin 255.
  const pixels = Buffer.alloc(4 * 2 * 3, 0);
  pixels.fill(255, 12);
  halfPng = await sharp(pixels, { raw: { width: 4, height: 2, channels: 3 } })
    .png()
    .toBuffer();
});
after(() => server.stop());

function form(file: Buffer | string): FormData {
  const body = new FormData();
  if (typeof file === 'string') body.append('file', file);
  else body.append('file', new Blob([new Uint8Array(file)], { type: 'image/png' }), 'half.png');
  return body;
}

test('POST /process-image/ with a trailing slash answers the histogram as /process-image does', async () => {
  const response = await fetch(`${server.url}/process-image/`, { method: 'POST', body: form(halfPng) });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { histogram: number[]; pixels: number };
  assert.equal(body.pixels, 8);
  assert.equal(body.histogram[0], 4);
  assert.equal(body.histogram[255], 4);
  assert.equal(
    body.histogram.reduce((a, b) => a + b, 0),
    8,
  );
});

test('GET /process-image/ is a 405 naming POST, like /process-image', async () => {
  const response = await fetch(`${server.url}/process-image/`);
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'POST');
});

test('a multipart "file" sent as a text field is a 400 that says a text field arrived, not a file part', async () => {
  const response = await fetch(`${server.url}/process-image`, { method: 'POST', body: form('photo.jpg') });
  assert.equal(response.status, 400);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(error.code, 'BAD_REQUEST');
  assert.match(error.message, /received a text field named "file", not a file part/);
  assert.match(error.message, /-F file=@/);
});

test('a multipart body with only another field still names that field', async () => {
  const body = new FormData();
  body.append('image', new Blob([new Uint8Array(halfPng)]), 'half.png');
  const response = await fetch(`${server.url}/process-image`, { method: 'POST', body });
  assert.equal(response.status, 400);
  const { error } = (await response.json()) as { error: { message: string } };
  assert.match(error.message, /expected the image in multipart field "file"; received field "image"/);
});
