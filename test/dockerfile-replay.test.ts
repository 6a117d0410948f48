// Replays each Dockerfile's runtime stage offline (its COPY sources, `npm ci --omit=dev`) and
// starts its CMD/ENTRYPOINT from there: the server must answer /healthz and histogram requests
// and the client must print its help and work, with no file missing and no dev dependency.
// The first run builds canvas from source (about a minute or more); later runs reuse the
// production install cached under NPM_CACHE_ROOT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { removeReplayFolders, replayDockerfile, type ReplayedImage } from './helpers/k8s-dockerfile-replay.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const images: Record<'server' | 'client', ReplayedImage> = {} as never;
let server: { url: string; proc: ChildProcess } | undefined; // for after()
const scratch = mkdtempSync(join(tmpdir(), 'replay-scratch-'));

/** The image's environment only: no NODE_OPTIONS (tsx), nothing from this checkout. */
function imageEnv(image: ReplayedImage, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: scratch, ...image.env, ...extra };
}

/** What `docker run IMAGE [ARGS...]` would start: ENTRYPOINT, then ARGS or else CMD. */
function nodeCommand(image: ReplayedImage, args?: string[]): [string, string[]] {
  const [bin, ...rest] = [...image.entrypoint, ...(args ?? image.cmd)];
  assert.equal(bin, 'node', `expected the image to run node, got ${bin}`);
  return [process.execPath, rest];
}

before(
  () => {
    const started = Date.now();
    images.server = replayDockerfile(repo, 'Dockerfile.server', log);
    images.client = replayDockerfile(repo, 'Dockerfile.client', log);
    log(
      `replay: both file sets ready in ${((Date.now() - started) / 1000).toFixed(1)} s; not replayed: ${[...new Set([...images.server.skipped, ...images.client.skipped])].join(' | ')}`,
    );
  },
  { timeout: 600_000 },
);

let serverStarted: Promise<{ url: string; proc: ChildProcess }> | undefined;

/** Starts the replayed server's CMD once (the server tests share it). */
function replayedServer(): Promise<{ url: string; proc: ChildProcess }> {
  serverStarted ??= new Promise((resolve, reject) => {
    const [bin, args] = nodeCommand(images.server);
    const proc = spawn(bin, args, {
      cwd: images.server.dir,
      env: imageEnv(images.server, { HOST: '127.0.0.1', PORT: '0', POD_NAME: 'replay', SHUTDOWN_DELAY_MS: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = { url: '', proc };
    let stderr = '';
    proc.stderr!.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => reject(new Error(`replayed server did not listen in 60 s\n${stderr}`)), 60_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const entry = (() => {
        try {
          return JSON.parse(line) as { msg?: string; port?: number };
        } catch {
          return {};
        }
      })();
      if (entry.msg === 'listening' && typeof entry.port === 'number') {
        clearTimeout(timer);
        server = { url: `http://127.0.0.1:${entry.port}`, proc };
        resolve(server);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replayed server exited with ${code}\n${stderr}`));
    });
  });
  return serverStarted;
}

after(async () => {
  if (server && server.proc.exitCode === null) {
    server.proc.kill('SIGTERM');
    await once(server.proc, 'exit');
  }
  removeReplayFolders();
  rmSync(scratch, { recursive: true, force: true });
});

test('both runtime stages hold production dependencies only (no package the lockfile marks dev)', () => {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const devOnly = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.dev)
    .map(([path]) => path);
  assert.ok(devOnly.length > 0, 'the lockfile marks dev-only packages');
  for (const image of [images.server, images.client]) {
    for (const path of devOnly) assert.ok(!existsSync(join(image.dir, path)), `${path} is dev-only but installed`);
    assert.ok(existsSync(join(image.dir, 'node_modules', 'sharp')), 'production dependencies are installed');
  }
});

test('the replayed server answers /healthz and becomes ready', async () => {
  const { url } = await replayedServer();
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
  const deadline = Date.now() + 30_000;
  let ready = 0;
  while (ready !== 200 && Date.now() < deadline) {
    const res = await fetch(`${url}/readyz`);
    await res.arrayBuffer();
    ready = res.status;
    if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(ready, 200);
});

test('the replayed server counts a solid 4×2 rgb(255,0,10) PNG exactly', async () => {
  const { url } = await replayedServer();
  const png = await sharp({ create: { width: 4, height: 2, channels: 3, background: { r: 255, g: 0, b: 10 } } })
    .png()
    .toBuffer();
  const res = await fetch(`${url}/v1/histogram`, { method: 'POST', body: png, headers: { 'content-type': 'image/png' } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { pixels: number; channels: Record<string, { counts: number[] }> };
  assert.equal(body.pixels, 8);
  assert.equal(body.channels.red!.counts[255], 8);
  assert.equal(body.channels.green!.counts[0], 8);
  assert.equal(body.channels.blue!.counts[10], 8);
});

test('the replayed server renders the PNG chart (canvas works from the production install)', async () => {
  const { url } = await replayedServer();
  const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
  const res = await fetch(`${url}/v1/histogram?format=png&width=400&height=200`, { method: 'POST', body: png, headers: { 'content-type': 'image/png' } });
  assert.equal(res.status, 200);
  const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 400, 200]);
});

test('the replayed server serves its web page from dist', async () => {
  const { url } = await replayedServer();
  const res = await fetch(`${url}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  await res.arrayBuffer();
});

test('the replayed client prints its help by default, naming every command', () => {
  const [bin, args] = nodeCommand(images.client);
  const run = spawnSync(bin, args, { cwd: images.client.dir, env: imageEnv(images.client), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  for (const command of ['bench', 'report', 'generate']) assert.match(run.stdout, new RegExp(`\\b${command}\\b`));
});

test('the replayed client generates an image and gets its histogram from the replayed server', async () => {
  const { url } = await replayedServer();
  const img = join(scratch, 'noise.png');
  const out = join(scratch, 'out.json');
  const [bin, generateArgs] = nodeCommand(images.client, ['generate', '--kind', 'noise', '--size', '64x32', '--format', 'png', '--out', img]);
  const generate = spawnSync(bin, generateArgs, { cwd: images.client.dir, env: imageEnv(images.client), encoding: 'utf8' });
  assert.equal(generate.status, 0, generate.stderr);
  const [, histogramArgs] = nodeCommand(images.client, ['--image', img, '--url', `${url}/v1/histogram`, '--histogram', out]);
  const histogram = spawnSync(bin, histogramArgs, { cwd: images.client.dir, env: imageEnv(images.client), encoding: 'utf8' });
  assert.equal(histogram.status, 0, histogram.stderr);
  assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { pixels: number }).pixels, 64 * 32);
});
