// The real client against the old Python service (bench/peers/old-service, a real uvicorn
// process), which answers {"histogram": [256 counts]} and nothing else: the client draws the
// chart and writes JSON and CSV itself, says once that the server is an older one, and never
// leaves a file whose content is not what its extension says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { oldServiceMissing, oldServicePython, oldServiceSpec } from '../bench/peers/old-service.ts';
import { startListening, waitFor200, type Child } from '../bench/suite-processes.ts';
import { runCli } from './helpers/run-cli.ts';

const python = oldServicePython(process.env);
const missing = oldServiceMissing(python);
const skip = missing === null ? false : `the old service cannot run here: ${missing}`;
const NOTICE = /is an older server: it answers only a luma histogram/g;

let old: Child | undefined;
let dir: string;
let half: string;
let images: string;

/** 4×2 RGB, the first row black and the second white: luma 0 four times and 255 four times. */
async function halfImage(path: string): Promise<void> {
  const pixels = Buffer.alloc(4 * 2 * 3, 0);
  pixels.fill(255, 12);
  await sharp(pixels, { raw: { width: 4, height: 2, channels: 3 } })
    .png()
    .toFile(path);
}

/** Every name in `folder`, hidden ones included (a temporary file left behind would show). */
async function namesIn(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'client-old-service-'));
  half = join(dir, 'half.png');
  images = join(dir, 'images');
  await mkdir(images);
  await halfImage(half);
  // Three solid greys, one luma value each (gray images: luma = gray): 10, 100 and 200.
  for (const [n, grey] of [
    [1, 10],
    [2, 100],
    [10, 200],
  ] as const) {
    await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: grey, g: grey, b: grey } } })
      .png()
      .toFile(join(images, `photo-${n}.png`));
  }
  old = await startListening(oldServiceSpec(python, null));
  await waitFor200(`${old.url}/openapi.json`);
});
after(async () => {
  await old?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('one image to .png: the client draws the luma chart itself at the asked size and says once that the server is older', { skip }, async () => {
  const out = join(dir, 'single', 'chart.png');
  const run = await runCli(['--image', half, '--url', `${old!.url}/process-image`, '--histogram', out, '--chart-width', '640', '--chart-height', '320'], {
    env: { COLUMNS: '80' },
  });
  assert.equal(run.code, 0, run.stderr);
  const meta = await sharp(out).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 640, 320]);
  assert.equal(run.stderr.match(NOTICE)?.length, 1, run.stderr);
  // The terminal plot: 8 pixels, 4 in the first bin and 4 in the last.
  assert.match(run.stdout, /^luma, 256 bins over its min\.\.max \(older server\) +peak 4 px per 4 bins$/m);
  assert.match(run.stdout, /^half\.png {2}8 pixels, \d+ B {2}served by unknown {2}\d+ ms {2}-> .*chart\.png$/m);
});

test('one image to .json holds the old answer bin for bin, with bins, pixels and range "data"', { skip }, async () => {
  const out = join(dir, 'half.json');
  const run = await runCli(['-i', half, '-u', `${old!.url}/process-image`, '-o', out, '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const written = JSON.parse(await readFile(out, 'utf8')) as { histogram: number[]; bins: number; pixels: number; range: string };
  const expected = Array.from({ length: 256 }, (_, bin) => (bin === 0 || bin === 255 ? 4 : 0));
  assert.deepEqual(written, { bins: 256, pixels: 8, range: 'data', luma: 'rec601', histogram: expected });
});

test('one image to .csv is a bin,luma table of 256 rows, even with --quiet', { skip }, async () => {
  const out = join(dir, 'half.csv');
  const run = await runCli(['-i', half, '-u', `${old!.url}/process-image`, '-o', out, '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
  assert.equal(lines[0], 'bin,luma');
  assert.equal(lines.length, 257);
  assert.equal(lines[1], '0,4');
  assert.equal(lines[256], '255,4');
  assert.ok(lines.slice(2, 256).every((line, k) => line === `${k + 1},0`));
});

test('the old service redirecting /process-image/ is followed: the trailing slash works too', { skip }, async () => {
  const out = join(dir, 'slash.json');
  const run = await runCli(['-i', half, '-u', `${old!.url}/process-image/`, '-o', out, '-q']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((JSON.parse(await readFile(out, 'utf8')) as { pixels: number }).pixels, 8);
});

for (const format of ['png', 'json', 'csv'] as const) {
  test(`a batch to ${format}: every image written, sent in natural order, the notice once`, { skip }, async () => {
    const out = join(dir, `batch-${format}`);
    const run = await runCli(['-i', images, '-u', `${old!.url}/process-image`, '-d', out, '-f', format, '-c', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await namesIn(out), [`photo-1.${format}`, `photo-10.${format}`, `photo-2.${format}`]);
    assert.match(run.stdout, /^3 of 3 images done, 0 failed/m);
    assert.equal(run.stderr.match(NOTICE)?.length, 1, run.stderr);
    const oks = run.stderr.split('\n').filter((line) => line.startsWith('ok '));
    assert.deepEqual(
      oks.map((line) => /photo-\d+/.exec(line)?.[0]),
      ['photo-1', 'photo-2', 'photo-10'],
    );
    if (format === 'png') {
      for (const name of await namesIn(out)) assert.equal((await sharp(join(out, name)).metadata()).format, 'png');
    } else if (format === 'json') {
      // A solid image: numpy's min..max widens to grey ± 0.5, and all 48 pixels land in bin 128.
      const written = JSON.parse(await readFile(join(out, 'photo-2.json'), 'utf8')) as { histogram: number[] };
      assert.equal(written.histogram[128], 48);
      assert.equal(
        written.histogram.reduce((a, b) => a + b, 0),
        48,
      );
    } else {
      assert.match(await readFile(join(out, 'photo-10.csv'), 'utf8'), /^bin,luma\n0,0\n/);
    }
  });
}

test('an image the old service fails on leaves no file (not even a temporary one), exit 1, with --quiet too', { skip }, async () => {
  const folder = join(dir, 'failing');
  await mkdir(folder);
  const text = join(dir, 'notes.jpg');
  await writeFile(text, 'this is a text file, not a JPEG\n');
  for (const name of ['out.png', 'out.json', 'out.csv']) {
    const run = await runCli(['-i', text, '-u', `${old!.url}/process-image`, '-o', join(folder, name), '--quiet']);
    assert.equal(run.code, 1, `${name}: ${run.stderr}`);
    assert.match(run.stderr, /FAIL {2}.*notes\.jpg: 500 from /);
  }
  assert.deepEqual(await namesIn(folder), []);
});

test('a 200 that is not a histogram leaves an existing output file as it was, exit 1', async (t) => {
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const folder = await mkdtemp(join(tmpdir(), 'client-not-histogram-'));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const image = join(folder, 'half.png');
  await halfImage(image);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/process-image`;
  for (const name of ['out.png', 'out.json', 'out.csv']) {
    await writeFile(join(folder, name), 'the previous run\n');
    const run = await runCli(['-i', image, '-u', url, '-o', join(folder, name), '--quiet']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /expected a JSON histogram \(an object with a "histogram" array of counts\) but the server sent "\{\\"status\\":\\"ok\\"\}"/);
    assert.equal(await readFile(join(folder, name), 'utf8'), 'the previous run\n');
  }
  assert.deepEqual(await namesIn(folder), ['half.png', 'out.csv', 'out.json', 'out.png']);
});
