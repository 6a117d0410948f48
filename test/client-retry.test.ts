// End to end: a server that sheds load with 503 (CONCURRENCY=1, MAX_QUEUE=0, served from the
// test process) while an upload in progress holds its one place; the real CLI with --retries
// gets its answer once that upload is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startInProcessServer } from './helpers/in-process-server.ts';
import { runCli } from './helpers/run-cli.ts';

test('a 503 from an overloaded server is answered by a retry after Retry-After', async (t) => {
  // No minimum upload rate: the holding upload below is slow on purpose.
  const server = await startInProcessServer({ env: { CONCURRENCY: '1', MAX_QUEUE: '0', MAX_WAITING: '0', UPLOAD_MIN_BYTES_PER_SEC: '0' } });
  t.after(() => server.stop());
  const dir = await mkdtemp(join(tmpdir(), 'client-retry-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
  const small = join(dir, 'small.png');
  await sharp(png).toFile(small);

  // An upload that sends its body a byte at a time (well within UPLOAD_IDLE_TIMEOUT_MS) holds
  // the only place until the client reports its first retry, or for 30 s at most.
  const holdStart = Date.now();
  const holder = request(`${server.url}/v1/histogram`, { method: 'POST', headers: { 'content-type': 'image/png', 'content-length': png.length } });
  const holderStatus = new Promise<number>((resolve, reject) => {
    holder.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    holder.on('error', reject);
  });
  let sent = 0;
  let release = false;
  const trickle = async () => {
    while (!release && Date.now() < holdStart + 30_000 && sent < png.length - 1) {
      holder.write(png.subarray(sent, ++sent));
      await new Promise((r) => setTimeout(r, 250));
    }
    holder.end(png.subarray(sent));
  };
  const held = trickle();
  // Start the client once the place is demonstrably taken (a request refused).
  let refused = false;
  while (!refused && Date.now() < holdStart + 30_000) {
    const res = await fetch(`${server.url}/v1/histogram`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(png) });
    await res.arrayBuffer();
    refused = res.status === 503;
    if (!refused) await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(refused, 'the trickling upload never took the place (no request was refused in 30 s)');
  const clientStart = Date.now();

  let clientStderr = '';
  const client = await runCli(['-i', small, '-u', server.url, '--retries', '30', '-q'], {
    onStderr: (chunk) => {
      clientStderr += chunk;
      if (clientStderr.includes('retry ')) release = true;
    },
  });
  release = true;
  const clientEnd = Date.now();
  await held;
  assert.equal(await holderStatus, 200, 'the upload that held the place completes');

  assert.equal(client.code, 0, client.stderr);
  assert.match(client.stderr, /retry 1 for .*small\.png in \d+\.\d s: 503 from server/);
  const attempts = /(\d+) attempts/.exec(client.stdout);
  assert.ok(attempts && Number(attempts[1]) >= 2, `expected at least 2 attempts in: ${client.stdout}`);
  t.diagnostic(`client started after ${clientStart - holdStart} ms, ran ${clientEnd - clientStart} ms; ${client.stdout.trim()}`);
});
