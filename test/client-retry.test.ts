// End to end: a server that sheds load with 503 (CONCURRENCY=1, MAX_QUEUE=0) and kept busy by
// large uploads; the real CLI with --retries gets its answer once the load stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { synthesizeImage } from '../client/generate/synthesize-image.ts';
import { startServer } from './helpers/server-process.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

test('a 503 from an overloaded server is answered by a retry after Retry-After', async (t) => {
  const server = await startServer({ env: { CONCURRENCY: '1', MAX_QUEUE: '0', MAX_WAITING: '0' } });
  t.after(() => server.stop());
  const dir = await mkdtemp(join(tmpdir(), 'client-retry-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  // 4000×3000 noise: the slowest thing to decode, ~100+ ms each on one core.
  const big = await synthesizeImage({ kind: 'noise', width: 4000, height: 3000, format: 'jpeg', seed: 1 });
  const small = join(dir, 'small.png');
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .png()
    .toFile(small);

  // Three loops of big uploads keep the single slot taken nearly all the time. They stop as
  // soon as the client reports its first retry (so it can then get through), or after 30 s.
  const loadStart = Date.now();
  const hardStop = loadStart + 30_000;
  let stopLoad = false;
  let loadRequests = 0;
  let loadRejected = 0;
  const loop = async () => {
    while (!stopLoad && Date.now() < hardStop) {
      loadRequests++;
      try {
        const response = await fetch(`${server.url}/v1/histogram?format=png`, {
          method: 'POST',
          headers: { 'content-type': 'image/jpeg' },
          body: new Uint8Array(big),
        });
        await response.arrayBuffer();
        if (response.status === 503) loadRejected++;
      } catch {
        // The server answers 503 at once and closes while the upload is still being written
        // (EPIPE/reset): refused all the same.
        loadRejected++;
      }
    }
  };
  const load = Promise.all([loop(), loop(), loop()]);
  // Start the client once the load demonstrably saturates the server (a load request refused).
  while (loadRejected === 0 && Date.now() < hardStop) await new Promise((r) => setTimeout(r, 20));
  assert.ok(loadRejected > 0, 'the load never saturated the server');
  const clientStart = Date.now();

  const client = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/main.ts', '-i', small, '-u', server.url, '--retries', '30', '-q'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => {
      stderr += c;
      if (stderr.includes('retry ')) stopLoad = true;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  stopLoad = true;
  const clientEnd = Date.now();
  await load;

  assert.equal(client.code, 0, client.stderr);
  assert.match(client.stderr, /retry 1 for .*small\.png in \d+\.\d s: 503 from server/);
  const attempts = /(\d+) attempts/.exec(client.stdout);
  assert.ok(attempts && Number(attempts[1]) >= 2, `expected at least 2 attempts in: ${client.stdout}`);
  t.diagnostic(
    `load: ${loadRequests} requests, ${loadRejected} refused; client started after ${clientStart - loadStart} ms, ran ${clientEnd - clientStart} ms; ${client.stdout.trim()}`,
  );
});
