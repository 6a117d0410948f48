// The built server image, run as the Deployment runs it (read-only root, /tmp the only writable
// path, the image's own non-root user, host network on 127.0.0.1): what copying files and
// running `npm ci` in a folder cannot show, such as a missing system library or font, a file
// the user cannot read, a write to the read-only root, or a signal that never reaches Node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  engineOrSkip,
  engine,
  engineAsync,
  engineOk,
  ensureImages,
  podFlags,
  repo,
  SERVER_IMAGE,
  type ServerContainer,
  startServerContainer,
} from './container-engine.ts';

const { e, skip } = engineOrSkip();
let server: ServerContainer | undefined;

before(
  async () => {
    if (skip) return;
    ensureImages();
    server = await startServerContainer(e);
  },
  { timeout: 1_800_000 },
);

after(() => server?.remove());

/** POSTs `body` as a PNG to the server container. */
function post(path: string, body: BodyInit): Promise<Response> {
  return fetch(`${server!.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'image/png' } });
}

test('the server image runs as uid and gid 1000 and cannot write outside /tmp', { skip }, () => {
  assert.equal(engineOk(e, ['image', 'inspect', '--format', '{{.Config.User}}', SERVER_IMAGE]).trim(), '1000:1000');
  const script = 'id -u; id -g; touch /app/probe 2>&1 || true; touch /probe 2>&1 || true; touch /tmp/probe && echo tmp-writable';
  const out = engineOk(e, ['run', '--rm', ...podFlags(e), '--entrypoint', 'sh', SERVER_IMAGE, '-c', script]);
  const [uid, gid, ...rest] = out.trim().split('\n');
  assert.deepEqual([uid, gid], ['1000', '1000']);
  assert.equal(rest.filter((line) => /Read-only file system/.test(line)).length, 2, out);
  assert.equal(rest.at(-1), 'tmp-writable');
});

test('the server image keeps no build secret: no NODE_EXTRA_CA_CERTS and no /run/secrets', { skip }, () => {
  const env = engineOk(e, ['image', 'inspect', '--format', '{{json .Config.Env}}', SERVER_IMAGE]);
  assert.doesNotMatch(env, /NODE_EXTRA_CA_CERTS|npm_config_cafile/);
  const out = engineOk(e, ['run', '--rm', ...podFlags(e), '--entrypoint', 'sh', SERVER_IMAGE, '-c', 'ls /run/secrets 2>/dev/null | wc -l']);
  assert.equal(out.trim(), '0');
});

test('the server image holds production dependencies only (no package the lockfile marks dev)', { skip }, () => {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const devOnly = Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && p.dev)
    .map(([path]) => path);
  assert.ok(devOnly.length > 0, 'the lockfile marks dev-only packages');
  // Every package folder in the image, nested ones included, as paths relative to /app.
  const listing = engineOk(e, [
    'run',
    '--rm',
    ...podFlags(e),
    '--entrypoint',
    'sh',
    SERVER_IMAGE,
    '-c',
    'find node_modules -name package.json -not -path "*/test/*"',
  ]);
  const installed = new Set(listing.split('\n').map((line) => line.replace(/\/package\.json$/, '')));
  assert.ok(installed.has('node_modules/sharp'), 'production dependencies are installed');
  assert.deepEqual(
    devOnly.filter((path) => installed.has(path)),
    [],
  );
});

test('the server image has fonts for chart text (fontconfig finds DejaVu Sans)', { skip }, () => {
  const out = engineOk(e, ['run', '--rm', ...podFlags(e), '--entrypoint', 'fc-match', SERVER_IMAGE, 'sans-serif']);
  assert.match(out, /DejaVu Sans/);
});

test('the server container answers /healthz and /readyz with 200', { skip }, async () => {
  for (const path of ['/healthz', '/readyz']) {
    const res = await fetch(`${server!.url}${path}`);
    assert.equal(res.status, 200, path);
    await res.arrayBuffer();
  }
});

test('the server container counts a solid 4×2 rgb(255,0,10) PNG as r[255]=g[0]=b[10]=8', { skip }, async () => {
  const png = await sharp({ create: { width: 4, height: 2, channels: 3, background: { r: 255, g: 0, b: 10 } } })
    .png()
    .toBuffer();
  const res = await post('/v1/histogram', png);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-served-by'), server!.name);
  const body = (await res.json()) as { pixels: number; channels: Record<string, { counts: number[] }> };
  assert.equal(body.pixels, 8);
  const expected = (value: number) => Array.from({ length: 256 }, (_, i) => (i === value ? 8 : 0));
  assert.deepEqual(body.channels.red!.counts, expected(255));
  assert.deepEqual(body.channels.green!.counts, expected(0));
  assert.deepEqual(body.channels.blue!.counts, expected(10));
});

test('the server container draws a PNG chart of the requested 640×320 size', { skip }, async () => {
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
  const res = await post('/v1/histogram?format=png&width=640&height=320', png);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, bytes.toString('utf8', 0, 300));
  assert.equal(res.headers.get('content-type'), 'image/png');
  // The PNG signature and IHDR read by hand, then a full decode.
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [640, 320]);
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [640, 320]);
  // Not a blank canvas: axes, labels and the line make more than one colour.
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += info.channels) colours.add(data.readUIntBE(i, 3));
  assert.ok(colours.size > 2, `${colours.size} colours`);
});

test('the server container serves its web page from dist', { skip }, async () => {
  const res = await fetch(`${server!.url}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await res.text(), /<html/i);
});

test('SIGTERM: the server turns unready, keeps answering during its delay, then exits 0 within the grace period', { skip }, async () => {
  // Its own container with short settings, so the shared one stays up for the other tests.
  const delayMs = 2_000;
  const graceMs = 10_000;
  const own = await startServerContainer(e, { SHUTDOWN_DELAY_MS: String(delayMs), SHUTDOWN_GRACE_MS: String(graceMs) });
  try {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#102030' } })
      .png()
      .toBuffer();
    const started = Date.now();
    engineOk(e, ['kill', '--signal', 'TERM', own.name]);
    // tini forwards the signal to Node: readiness drops while requests are still served.
    let ready = 200;
    while (ready === 200 && Date.now() - started < delayMs) {
      const res = await fetch(`${own.url}/readyz`);
      await res.arrayBuffer();
      ready = res.status;
    }
    assert.equal(ready, 503, '/readyz after SIGTERM');
    const res = await fetch(`${own.url}/v1/histogram`, { method: 'POST', body: png, headers: { 'content-type': 'image/png' } });
    assert.equal(res.status, 200, 'a request during the shutdown delay');
    await res.arrayBuffer();
    const code = (await engineAsync(e, ['wait', own.name])).trim();
    const seconds = (Date.now() - started) / 1000;
    assert.equal(code, '0');
    assert.ok(seconds < (delayMs + graceMs) / 1000, `exited after ${seconds} s`);
    const logs = engine(e, ['logs', own.name]).stdout;
    assert.match(logs, /"msg":"draining"/);
    assert.match(logs, /"msg":"stopped"/);
  } finally {
    own.remove();
  }
});
