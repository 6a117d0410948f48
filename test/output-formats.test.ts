// JSON, CSV and PNG outputs over HTTP, content negotiation, and the compatibility route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { fromRaw, gradient, noise } from './helpers/synthetic-images.ts';
import { referenceHistogram, referenceRebin } from './helpers/reference-histogram.ts';

let server: InProcessServer;
let png: Buffer;
const image = noise(64, 48, 3, 31);
before(async () => {
  server = await startInProcessServer({ env: { POD_NAME: 'pod-under-test' } });
  png = await fromRaw(image).png().toBuffer();
});
after(() => server.stop());

function upload(path: string, headers: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)]), 'noise.png');
  return fetch(`${server.url}${path}`, { method: 'POST', body: form, headers });
}

test('answers JSON by default with the documented fields and X-Served-By from POD_NAME', async () => {
  const res = await upload('/v1/histogram');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /application\/json/);
  assert.equal(res.headers.get('x-served-by'), 'pod-under-test');
  assert.match(res.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
  assert.match(res.headers.get('server-timing')!, /decode;dur=[\d.]+.*total;dur=/);
  const json = (await res.json()) as Record<string, unknown>;
  for (const field of [
    'width',
    'height',
    'pixels',
    'format',
    'space',
    'channelsInImage',
    'depth',
    'bins',
    'range',
    'mask',
    'counted',
    'histogram',
    'channels',
    'servedBy',
    'timingsMs',
  ]) {
    assert.ok(field in json, field);
  }
  assert.equal(json.servedBy, 'pod-under-test');
  assert.deepEqual([json.depth, json.range, json.mask, json.counted], [8, 'full', 'none', json.pixels]);
  assert.deepEqual(Object.keys(json.channels as object), ['red', 'green', 'blue', 'luma']);
  const stats = (json.channels as Record<string, Record<string, unknown>>).red!;
  assert.deepEqual(Object.keys(stats).sort(), ['binRange', 'counts', 'entropy', 'max', 'mean', 'median', 'min', 'p01', 'p99', 'stdev'].sort());
  assert.deepEqual(stats.binRange, [0, 256]);
});

test('POST /process-image gives the same histogram as POST /v1/histogram', async () => {
  const strip = ({ timingsMs: _timings, ...rest }: Record<string, unknown>) => rest;
  const a = strip((await (await upload('/process-image')).json()) as Record<string, unknown>);
  const b = strip((await (await upload('/v1/histogram')).json()) as Record<string, unknown>);
  assert.deepEqual(a, b);
});

test('answers a PNG chart of the requested size for Accept: image/png, not cached', async () => {
  const res = await upload('/v1/histogram?width=640&height=320', { accept: 'image/png' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 640, 320]);
});

test('draws the default 800×400 chart for format=png, and bar and log variants', async () => {
  for (const query of ['format=png', 'format=png&type=bar&scale=log&bins=32']) {
    const res = await upload(`/v1/histogram?${query}`);
    assert.equal(res.status, 200, query);
    const chart = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(chart).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 800, 400]);
    // A drawn chart, not a blank canvas: the plot has many distinct colours (lines, text).
    const { data } = await sharp(chart).raw().toBuffer({ resolveWithObject: true });
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 3) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    assert.ok(colours.size > 20, `${colours.size} colours in the chart`);
  }
});

test('answers CSV for Accept: text/csv: a header and one row per bin, equal to the counts', async () => {
  const res = await upload('/v1/histogram?bins=8', { accept: 'text/csv' });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/csv/);
  const lines = (await res.text()).trim().split('\n');
  assert.equal(lines[0], 'value,red,green,blue,luma');
  assert.equal(lines.length, 9);
  const ref = referenceHistogram(image.pixels, 3);
  const red = referenceRebin(ref.channels[0]!, 8);
  const luma = referenceRebin(ref.luma, 8);
  lines.slice(1).forEach((line, i) => {
    const [value, r, , , l] = line.split(',').map(Number);
    assert.equal(value, i * 32);
    assert.equal(r, red[i]);
    assert.equal(l, luma[i]);
  });
});

test('lets format= override the Accept header', async () => {
  const res = await upload('/v1/histogram?format=json', { accept: 'image/png' });
  assert.match(res.headers.get('content-type')!, /application\/json/);
  await res.arrayBuffer();
});

test('honours q-values in Accept: the chart refused with q=0 gives JSON, the higher q gives the chart', async () => {
  const refused = await upload('/v1/histogram', { accept: 'image/png;q=0, */*' });
  assert.match(refused.headers.get('content-type')!, /application\/json/);
  await refused.arrayBuffer();
  const preferred = await upload('/v1/histogram', { accept: 'text/csv;q=0.5, image/png;q=0.9' });
  assert.equal(preferred.headers.get('content-type'), 'image/png');
  await preferred.arrayBuffer();
});

test('counts a larger photo-like JPEG whose luma sums to its pixels', async () => {
  const jpeg = await fromRaw(gradient(1280, 720)).jpeg().toBuffer();
  const res = await fetch(`${server.url}/v1/histogram`, { method: 'POST', body: jpeg, headers: { 'content-type': 'image/jpeg' } });
  const json = (await res.json()) as { pixels: number; histogram: number[] };
  assert.equal(json.pixels, 1280 * 720);
  assert.equal(
    json.histogram.reduce((a, b) => a + b, 0),
    1280 * 720,
  );
});
