// Every row of the error table, sent over HTTP to the app served from this process: the right
// status, code and message, never a 500, and the server keeps serving a good request afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { fromRaw, gradient, noise } from './helpers/synthetic-images.ts';

let server: InProcessServer;
let goodPng: Buffer;
before(async () => {
  server = await startInProcessServer();
  goodPng = await fromRaw(noise(16, 16, 3))
    .png()
    .toBuffer();
});
after(() => server.stop());

interface ErrorJson {
  error: { code: string; message: string; requestId: string };
}

function multipart(parts: Array<{ field: string; file?: string; body: Uint8Array | string }>): { body: Buffer; type: string } {
  const boundary = '----histogram-test-boundary';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.file ? `form-data; name="${part.field}"; filename="${part.file}"` : `form-data; name="${part.field}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.file ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`));
    chunks.push(Buffer.from(part.body));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** A PNG whose header declares width × height but carries only a few bytes of data. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const zipBytes = Buffer.concat([Buffer.from('PK\x03\x04', 'binary'), Buffer.alloc(200, 7)]);

interface Case {
  name: string;
  query?: string;
  body: () => Promise<{ body: Buffer | string; type: string }>;
  status: number;
  code: string;
  message: RegExp;
}

const cases: Case[] = [
  { name: 'an empty raw body', body: async () => ({ body: '', type: 'image/png' }), status: 400, code: 'BAD_REQUEST', message: /body is empty/ },
  {
    name: 'multipart without a file field',
    body: async () => multipart([{ field: 'note', body: 'hello' }]),
    status: 400,
    code: 'BAD_REQUEST',
    message: /multipart field "file".*"note"/,
  },
  {
    name: 'multipart with the image under another field name',
    body: async () => multipart([{ field: 'image', file: 'a.png', body: goodPng }]),
    status: 400,
    code: 'BAD_REQUEST',
    message: /multipart field "file"/,
  },
  {
    name: 'multipart with two files',
    body: async () =>
      multipart([
        { field: 'file', file: 'a.png', body: goodPng },
        { field: 'file', file: 'b.png', body: goodPng },
      ]),
    status: 400,
    code: 'BAD_REQUEST',
    message: /more than one file/,
  },
  {
    name: 'multipart without a boundary',
    body: async () => ({ body: 'whatever', type: 'multipart/form-data' }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /malformed multipart/,
  },
  {
    name: 'multipart cut off before its closing boundary',
    body: async () => ({ body: multipart([{ field: 'file', file: 'a.png', body: goodPng }]).body.subarray(0, 200), type: multipart([]).type }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /multipart/,
  },
  {
    name: 'a text file named .jpg',
    body: async () => multipart([{ field: 'file', file: 'photo.jpg', body: 'just some text, not an image\n'.repeat(20) }]),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: /not an image format.*JPEG, PNG/,
  },
  {
    name: 'zip bytes named .jpg',
    body: async () => multipart([{ field: 'file', file: 'photo.jpg', body: zipBytes }]),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: /not an image format/,
  },
  {
    name: 'an SVG (vector, not decoded)',
    body: async () => ({ body: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>', type: 'image/svg+xml' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: /SVG or XML text, a vector format; expected JPEG/,
  },
  {
    name: 'an SVG with a DOCTYPE and nested entities (refused before any XML parser sees it)',
    body: async () => ({
      body:
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n' +
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&c;&c;&c;&c;</text></svg>',
      type: 'application/octet-stream',
    }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: /SVG or XML text, a vector format; expected JPEG/,
  },
  {
    name: 'a truncated JPEG',
    body: async () => truncated(await fromRaw(gradient(200, 200)).jpeg().toBuffer()),
    status: 422,
    code: 'UNPROCESSABLE_IMAGE',
    message: /truncated|corrupt/,
  },
  {
    name: 'a truncated PNG',
    body: async () =>
      truncated(
        await fromRaw(noise(200, 200, 3))
          .png()
          .toBuffer(),
      ),
    status: 422,
    code: 'UNPROCESSABLE_IMAGE',
    message: /truncated|corrupt/,
  },
  {
    name: 'a PNG whose header declares 100000 × 100000 pixels',
    body: async () => ({ body: pngHeaderOnly(100_000, 100_000), type: 'image/png' }),
    status: 422,
    code: 'UNPROCESSABLE_IMAGE',
    message: /100000 × 100000 = 10000000000 pixels; the limit is 50000000/,
  },
  { name: 'bins=0', query: '?bins=0', body: good, status: 400, code: 'BAD_REQUEST', message: /^Expected integer between 1 and 256 for bins but received "0"$/ },
  { name: 'bins=257', query: '?bins=257', body: good, status: 400, code: 'BAD_REQUEST', message: /for bins but received "257"/ },
  { name: 'bins=ten', query: '?bins=ten', body: good, status: 400, code: 'BAD_REQUEST', message: /for bins but received "ten"/ },
  {
    name: 'channels=red,purple',
    query: '?channels=red,purple',
    body: good,
    status: 400,
    code: 'BAD_REQUEST',
    message: /for channels but received "red,purple"/,
  },
  {
    name: 'format=gif',
    query: '?format=gif',
    body: good,
    status: 400,
    code: 'BAD_REQUEST',
    message: /Expected one of json, png, csv for format but received "gif"/,
  },
  { name: 'width=10', query: '?format=png&width=10', body: good, status: 400, code: 'BAD_REQUEST', message: /between 200 and 4000 for width/ },
  { name: 'height=99999', query: '?height=99999', body: good, status: 400, code: 'BAD_REQUEST', message: /between 100 and 3000 for height/ },
  { name: 'scale=cubic', query: '?scale=cubic', body: good, status: 400, code: 'BAD_REQUEST', message: /linear, log for scale/ },
  { name: 'type=pie', query: '?type=pie', body: good, status: 400, code: 'BAD_REQUEST', message: /line, bar for type/ },
  {
    name: 'an unknown parameter bin=16',
    query: '?bin=16',
    body: good,
    status: 400,
    code: 'BAD_REQUEST',
    message: /unknown parameter "bin"; did you mean "bins"\?/,
  },
  {
    name: 'an unknown parameter far from every name',
    query: '?zzzzz=1',
    body: good,
    status: 400,
    code: 'BAD_REQUEST',
    message: /^unknown parameter "zzzzz" \(known parameters: /,
  },
  { name: 'depth=32', query: '?depth=32', body: good, status: 400, code: 'BAD_REQUEST', message: /Expected one of 8, 16 for depth but received "32"/ },
  {
    name: 'bins=4096 at depth 8',
    query: '?bins=4096',
    body: good,
    status: 400,
    code: 'BAD_REQUEST',
    message: /between 1 and 256 for bins but received "4096" \(up to 65536 with depth=16\)/,
  },
  { name: 'range=200,10', query: '?range=200,10', body: good, status: 400, code: 'BAD_REQUEST', message: /Expected LO <= HI for range but received "200,10"/ },
  { name: 'range=bright', query: '?range=bright', body: good, status: 400, code: 'BAD_REQUEST', message: /Expected full, data or LO,HI .* for range/ },
  { name: 'mask=luma', query: '?mask=luma', body: good, status: 400, code: 'BAD_REQUEST', message: /Expected one of alpha for mask but received "luma"/ },
  {
    name: 'HEIF that declares HEVC-coded images',
    body: async () => ({ body: heicHeaderOnly(), type: 'image/heic' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: /HEIC .*cannot decode HEVC.*send JPEG, PNG, WebP, AVIF/,
  },
];

/**
 * The boxes of a HEIF file that say "HEVC" and nothing more: ftyp with brand heic, and a meta
 * box whose primary item is of type hvc1 (no image data). Whatever libheif makes of it, the
 * answer must be the HEVC refusal, never a 422 "corrupt" or a 500.
 */
function heicHeaderOnly(): Buffer {
  const box = (type: string, ...parts: Buffer[]) => {
    const body = Buffer.concat(parts);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body]);
  };
  const full = (type: string, ...parts: Buffer[]) => box(type, Buffer.alloc(4), ...parts); // version 0, flags 0
  const u16 = (v: number) => Buffer.from([v >> 8, v & 255]);
  const ftyp = box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1'));
  const hdlr = full('hdlr', Buffer.alloc(4), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from([0]));
  const pitm = full('pitm', u16(1));
  const infe = box('infe', Buffer.from([2, 0, 0, 0]), u16(1), u16(0), Buffer.from('hvc1', 'latin1'), Buffer.from([0]));
  const iinf = full('iinf', u16(1), infe);
  return Buffer.concat([ftyp, full('meta', hdlr, pitm, iinf)]);
}

async function good() {
  return { body: goodPng, type: 'image/png' };
}

function truncated(bytes: Buffer) {
  return { body: bytes.subarray(0, Math.floor(bytes.length * 0.6)), type: 'application/octet-stream' };
}

async function assertStillServing() {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(goodPng)]), 'good.png');
  const res = await fetch(`${server.url}/process-image`, { method: 'POST', body: form });
  assert.equal(res.status, 200, 'a good request after the bad one succeeds');
  const json = (await res.json()) as { pixels: number };
  assert.equal(json.pixels, 256);
}

for (const c of cases) {
  test(`rejects ${c.name} with ${c.status} ${c.code}`, async () => {
    const { body, type } = await c.body();
    const res = await fetch(`${server.url}/v1/histogram${c.query ?? ''}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : new Uint8Array(body),
      headers: { 'content-type': type },
    });
    const json = (await res.json()) as ErrorJson;
    assert.equal(res.status, c.status, JSON.stringify(json));
    assert.equal(json.error.code, c.code);
    assert.match(json.error.message, c.message);
    assert.equal(json.error.requestId, res.headers.get('x-request-id'));
    assert.ok(res.headers.get('x-served-by'));
    await assertStillServing();
  });
}

test('refuses the 100000 × 100000 PNG from its header: server memory stays flat', async () => {
  // The server runs in this process: its resident memory is this process's.
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
  const before = rss();
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${server.url}/v1/histogram`, { method: 'POST', body: new Uint8Array(pngHeaderOnly(100_000, 100_000)) });
    assert.equal(res.status, 422);
    await res.arrayBuffer();
  }
  // Decoding it would take 30 GB; refusing it from the header costs nothing measurable.
  assert.ok(rss() - before < 64 * 1024 * 1024, `RSS grew by ${(rss() - before) / 1048576} MiB`);
});

test('answers 404 NOT_FOUND for an unknown route and 405 for GET on a histogram route', async () => {
  const missing = await fetch(`${server.url}/v2/nothing`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as ErrorJson).error.code, 'NOT_FOUND');
  const get = await fetch(`${server.url}/process-image`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  assert.equal(((await get.json()) as ErrorJson).error.code, 'METHOD_NOT_ALLOWED');
});

test('keeps an incoming X-Request-Id and echoes it in the error', async () => {
  const res = await fetch(`${server.url}/v1/histogram?bins=0`, { method: 'POST', body: new Uint8Array(goodPng), headers: { 'x-request-id': 'trace-123' } });
  assert.equal(res.headers.get('x-request-id'), 'trace-123');
  assert.equal(((await res.json()) as ErrorJson).error.requestId, 'trace-123');
});
