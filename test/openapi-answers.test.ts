// The schemas /openapi.json publishes describe the server's real answers: histogram bodies for
// several kinds of image and query, and error bodies for each kind of refusal, are validated
// against the document's own JSON Schemas (Ajv, draft 2020-12, as OpenAPI 3.1 uses).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import sharp from 'sharp';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';

let server: InProcessServer;
let validateHistogram: (body: unknown) => boolean;
let validateError: (body: unknown) => boolean;
let errorsOf: () => unknown;

before(async () => {
  server = await startInProcessServer({ env: { MAX_UPLOAD_BYTES: String(64 * 1024) } });
  const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as { components: { schemas: Record<string, unknown> } };
  // The whole document as one schema, so the components' $refs resolve; `example` and the
  // other OpenAPI keywords are annotations to Ajv.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi', components: document.components });
  const histogram = ajv.getSchema('openapi#/components/schemas/Histogram');
  const error = ajv.getSchema('openapi#/components/schemas/Error');
  assert.ok(histogram && error, '/openapi.json publishes the Histogram and Error schemas');
  let last: typeof histogram = histogram;
  validateHistogram = (body) => {
    last = histogram;
    return histogram(body) as boolean;
  };
  validateError = (body) => {
    last = error;
    return error(body) as boolean;
  };
  errorsOf = () => last.errors;
});
after(() => server?.stop());

async function post(query: string, body: Uint8Array | string) {
  const response = await fetch(`${server.url}/v1/histogram${query}`, {
    method: 'POST',
    body: body as string | Uint8Array<ArrayBuffer>,
    headers: { 'content-type': 'application/octet-stream' },
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const raw = (channels: 1 | 2 | 3 | 4, width = 16, height = 8) =>
  sharp(Buffer.from(Array.from({ length: width * height * channels }, (_, i) => (i * 37) % 256)), { raw: { width, height, channels } });

const answers: Array<{ name: string; query: string; image: () => Promise<Buffer> }> = [
  { name: 'an RGB PNG with the defaults', query: '', image: () => raw(3).png().toBuffer() },
  { name: 'an RGBA PNG with mask=alpha and 16 bins', query: '?mask=alpha&bins=16', image: () => raw(4).png().toBuffer() },
  {
    name: 'a 16-bit gray PNG at depth 16 over range=data',
    query: '?depth=16&range=data&bins=1000',
    image: () => raw(1).toColourspace('grey16').png().toBuffer(),
  },
  { name: 'a gray JPEG over an explicit range, luma only', query: '?range=10.5,200&channels=luma', image: () => raw(1).jpeg().toBuffer() },
  {
    name: 'an animated GIF (frames)',
    query: '',
    image: () =>
      sharp(Buffer.alloc(16 * 24 * 3, 90), { raw: { width: 16, height: 24, channels: 3, pageHeight: 8 } as never })
        .gif()
        .toBuffer(),
  },
];

for (const { name, query, image } of answers) {
  test(`the JSON answer for ${name} validates against the published Histogram schema`, async () => {
    const { status, body } = await post(query, await image());
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(validateHistogram(body), JSON.stringify(errorsOf()));
  });
}

const refusals: Array<{ name: string; send: () => Promise<{ status: number; body: unknown }>; status: number }> = [
  { name: 'an unknown query parameter', send: async () => post('?bin=16', await raw(3).png().toBuffer()), status: 400 },
  { name: 'a body over the upload limit', send: () => post('', new Uint8Array(100 * 1024)), status: 413 },
  { name: 'a text file', send: () => post('', 'just some text, not an image'), status: 415 },
  { name: 'a PNG cut short', send: async () => post('', (await raw(3, 64, 64).png().toBuffer()).subarray(0, 200)), status: 422 },
  {
    name: 'a GET on the histogram route',
    send: async () => {
      const response = await fetch(`${server.url}/v1/histogram`);
      return { status: response.status, body: (await response.json()) as unknown };
    },
    status: 405,
  },
  {
    name: 'an unknown path',
    send: async () => {
      const response = await fetch(`${server.url}/nowhere`);
      return { status: response.status, body: (await response.json()) as unknown };
    },
    status: 404,
  },
];

for (const { name, send, status } of refusals) {
  test(`the ${status} answer to ${name} validates against the published Error schema`, async () => {
    const answer = await send();
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.ok(validateError(answer.body), JSON.stringify(errorsOf()));
  });
}

test('a body that breaks the Histogram schema fails validation, so the checks above can fail', () => {
  assert.equal(validateHistogram({ width: 1 }), false);
  assert.equal(validateError({ error: { code: 'NO_SUCH_CODE', message: 'x', requestId: 'r' } }), false);
});
