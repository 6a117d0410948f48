// End to end: the real `histogram-client` as a child process against the server (the app served
// from the test process over a real socket).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { freePort } from './helpers/free-port.ts'; // free a moment ago: nothing listens there
import { runCli as runClient } from './helpers/run-cli.ts';

/** Runs the client as a user would, with an 80-column terminal width and `env` over this process's. */
const runCli = (args: string[], env: Record<string, string> = {}) => runClient(args, { env: { COLUMNS: '80', ...env }, timeoutMs: 90_000 });

/** POSTs `data` straight to the server (no client code) and returns status and body. */
async function askServer(url: string, data: Buffer, name: string): Promise<{ status: number; body: Buffer }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), name);
  const response = await fetch(url, { method: 'POST', body: form });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

let server: InProcessServer;
let dir: string;
let solid: string;
// A solid rgb(200,100,50) 64×48 image: every channel is one value, so luma is known by hand:
// (19595·200 + 38470·100 + 7471·50 + 32768) >> 16 = (3919000 + 3847000 + 373550 + 32768) >> 16
// = 8172318 >> 16 = 124.
const SOLID_LUMA = 124;

before(async () => {
  server = await startInProcessServer();
  dir = await mkdtemp(join(tmpdir(), 'client-cli-'));
  solid = join(dir, 'solid.png');
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 100, b: 50 } } })
    .png()
    .toFile(solid);
});
after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('one image to .png writes a chart of the requested size and prints histogram and summary', async () => {
  const out = join(dir, 'single', 'chart.png');
  const run = await runCli(['--image', solid, '--url', `${server.url}/process-image`, '--histogram', out, '--chart-width', '640', '--chart-height', '320']);
  assert.equal(run.code, 0, run.stderr);
  const meta = await sharp(out).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 640, 320]);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, new RegExp(`^luma  mean ${SOLID_LUMA}\\.0  median ${SOLID_LUMA} .*peak 3072 px per 4 values$`));
  // The chart fits the terminal; the summary line (last) is a record and may wrap.
  for (const line of lines.slice(0, -1)) assert.ok([...line].length <= 80, `wider than the terminal: ${line}`);
  assert.ok(
    lines.some((line) => line.includes('█')),
    'the chart uses block characters',
  );
  assert.match(
    lines.at(-1)!,
    new RegExp(`^solid\\.png  64×48 png, \\d+ B  mean ${SOLID_LUMA}\\.0  median ${SOLID_LUMA}  served by \\S+  \\d+ ms .*-> ${out.replace(/[.]/g, '\\.')}$`),
  );
});

test('one image to .json (bare base URL) writes exactly the server JSON apart from timings', async () => {
  const out = join(dir, 'single.json');
  const run = await runCli(['-i', solid, '-u', server.url, '-o', out, '--channels']);
  assert.equal(run.code, 0, run.stderr);
  const direct = await askServer(`${server.url}/v1/histogram?format=json`, await readFile(solid), 'solid.png');
  assert.equal(direct.status, 200);
  const written = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
  const expected = JSON.parse(direct.body.toString()) as Record<string, unknown>;
  delete written.timingsMs;
  delete expected.timingsMs;
  assert.deepEqual(written, expected);
  // --channels draws red, green and blue under luma: 4 charts.
  for (const name of ['luma', 'red', 'green', 'blue']) assert.match(run.stdout, new RegExp(`^${name}  mean`, 'm'));
});

test('one image to .csv writes exactly the server CSV', async () => {
  const out = join(dir, 'single.csv');
  const run = await runCli(['-i', solid, '-u', server.url, '-o', out, '--bins', '16', '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const direct = await askServer(`${server.url}/v1/histogram?format=csv&bins=16`, await readFile(solid), 'solid.png');
  assert.equal(await readFile(out, 'utf8'), direct.body.toString());
  assert.equal(run.stdout.trim().split('\n').length, 1, '--quiet prints only the summary line');
});

test('a folder of 20 generated images with concurrency 4 gives 20 charts and a summary', async () => {
  const images = join(dir, 'twenty');
  const gen = await runCli(['generate', '--kind', 'photo', '--size', '160x120', '--format', 'jpeg', '--count', '20', '--out-dir', images]);
  assert.equal(gen.code, 0, gen.stderr);
  assert.equal(gen.stdout.trim().split('\n').length, 20);
  const out = join(dir, 'twenty-out');
  const run = await runCli(['--image', images, '--url', server.url, '--out-dir', out, '--concurrency', '4']);
  assert.equal(run.code, 0, run.stderr);
  const written = (await readdir(out)).sort();
  const expected = (await readdir(images)).map((name) => name.replace(/\.jpg$/, '.png')).sort();
  assert.deepEqual(written, expected);
  for (const name of written) assert.equal((await sharp(join(out, name)).metadata()).format, 'png');
  assert.match(run.stdout, /^20 of 20 images done, 0 failed in/m);
  // Not a TTY: one plain progress line per image on stderr.
  assert.equal(run.stderr.split('\n').filter((line) => line.startsWith('ok ')).length, 20);
});

test('a bad file in a batch fails with the server message, the others are still written, exit 1', async () => {
  const images = join(dir, 'mixed');
  await mkdir(images);
  for (const seed of [1, 2, 3]) {
    await runCli(['generate', '-k', 'gradient', '-s', '48x32', '--seed', String(seed), '-o', join(images, `g${seed}.png`)]);
  }
  const broken = Buffer.from('this is a text file, not a JPEG\n');
  await writeFile(join(images, 'broken.jpg'), broken);
  const out = join(dir, 'mixed-out');
  const run = await runCli(['-i', images, '-u', server.url, '-d', out, '-f', 'json', '-c', '2']);
  assert.equal(run.code, 1);
  assert.deepEqual((await readdir(out)).sort(), ['g1.json', 'g2.json', 'g3.json']);
  const direct = await askServer(`${server.url}/v1/histogram`, broken, 'broken.jpg');
  const { error } = JSON.parse(direct.body.toString()) as { error: { code: string; message: string } };
  const failure = `FAIL  ${join(images, 'broken.jpg')}: ${direct.status} ${error.code}: ${error.message}`;
  assert.ok(run.stderr.includes(failure), `stderr lacks ${failure}\n${run.stderr}`);
  assert.ok(run.stdout.includes(failure), 'the summary repeats the failure');
  assert.match(run.stdout, /^3 of 4 images done, 1 failed/m);
});

test('an unreachable URL says connection refused, names the address and exits 1', async () => {
  const port = await freePort();
  const run = await runCli(['-i', solid, '-u', `http://127.0.0.1:${port}`, '--retries', '1']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`cannot connect to http://127\\.0\\.0\\.1:${port}: connection refused \\(is the server running`));
  assert.match(run.stderr, /retry 1 for /, 'a connection error is retried');
});

const usageCases = [
  { name: 'a missing file', args: ['-i', 'no/such/file.jpg'], message: /no such file or folder: no\/such\/file\.jpg/ },
  {
    name: 'a URL without scheme',
    args: ['-i', '<solid>', '-u', 'localhost:8080'],
    message: /Expected an http\(s\) URL such as http:\/\/localhost:8080 but received "localhost:8080"/,
  },
  { name: 'a header without colon', args: ['-i', '<solid>', '-H', 'Host histogram.local'], message: /Expected a header as "Name: value"/ },
  { name: 'an output of unknown type', args: ['-i', '<solid>', '-o', 'chart.gif'], message: /ending in \.png, \.json or \.csv/ },
];
for (const c of usageCases) {
  test(`${c.name} is explained before any upload, exit 2`, async () => {
    const run = await runCli(c.args.map((a) => (a === '<solid>' ? solid : a)).concat(c.args.includes('-u') ? [] : ['-u', server.url]));
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, c.message);
  });
}

test('a non-image on its own fails with the server 415 message, exit 1', async () => {
  const text = join(dir, 'notes.jpg');
  await writeFile(text, 'hello');
  const run = await runCli(['-i', text, '-u', server.url]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /notes\.jpg: 415 UNSUPPORTED_MEDIA_TYPE: \S+/);
});

test('a URL with a path the server does not serve says there is no histogram endpoint there', async () => {
  const run = await runCli(['-i', solid, '-u', `${server.url}/nope`]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /404/);
});

test('HISTOGRAM_URL is used when --url is not given', async () => {
  const run = await runCli(['-i', solid, '-q'], { HISTOGRAM_URL: server.url });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^solid\.png {2}64×48 png/);
});

test('--help shows examples for the default command and for generate', async () => {
  const main = await runCli(['--help']);
  assert.equal(main.code, 0);
  assert.match(main.stdout, /Examples:\n {2}histogram-client --image lenna\.jpeg --url/);
  const generate = await runCli(['generate', '--help']);
  assert.equal(generate.code, 0);
  assert.match(generate.stdout, /Examples:\n {2}histogram-client generate --kind noise --size/);
});

test('generate writes the original init container image: a 512×512 PNG', async () => {
  const out = join(dir, 'random.png');
  const run = await runCli(['generate', '--kind', 'noise', '--size', '512x512', '--format', 'png', '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), out);
  const meta = await sharp(out).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 512, 512]);
  assert.ok(existsSync(out));
});
