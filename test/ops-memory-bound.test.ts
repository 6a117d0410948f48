// Memory under the worst case the settings allow stays under the pod's limit: with the
// manifests' settings (CONCURRENCY=1, MAX_QUEUE=16, the image's allocator settings, 1 GiB limit), sixteen
// 25 MiB uploads held complete in the queue while the one slot decodes the largest RGBA 16-bit
// PNG allowed, at depth 8 and at depth 16. And requests for assets that do not exist cost no memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { startServer, type ServerProcess } from './helpers/server-process.ts';
import { send, sleep, waitFor } from './helpers/ops-http.ts';
import { killAfter } from './helpers/ops-load.ts';
import { admission, parseExposition, value } from './helpers/ops-metrics.ts';
import { imageAllocatorEnv } from '../bench/server-launch.ts';

const MiB = 1024 * 1024;

function vm(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`))!;
  return (Number(/(\d+)/.exec(line)![1]) * 1024) / MiB;
}

// At depth 8 a 16-bit image is decoded to its high bytes; at depth 16 its samples take two bytes
// each and count twice against MAX_PIXELS, so the largest one allowed is half the pixels.
for (const { depth, width } of [
  { depth: 8, width: 7000 },
  { depth: 16, width: 5000 },
]) {
  test(`with the manifests' settings, 16 held 25 MiB uploads and a ${width}² RGBA16 PNG decoded at depth ${depth} peak under the 1 GiB pod limit`, {
    skip: process.platform !== 'linux' && 'reads /proc',
  }, async (t) => {
    const servers: ServerProcess[] = [];
    killAfter(t, servers);
    servers.push(await startServer({ env: { ...imageAllocatorEnv('.'), CONCURRENCY: '1', MAX_QUEUE: '16', REQUEST_TIMEOUT_MS: '120000' } }));
    const server = servers[0]!;
    const pid = server.proc.pid!;
    const base = vm(pid, 'VmRSS');
    // 16-bit RGBA, flat: a small file that decodes to the full size.
    const png = await sharp({ create: { width, height: width, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } })
      .toColourspace('rgb16')
      .png({ compressionLevel: 9 })
      .toBuffer();
    const meta = await sharp(png).metadata();
    assert.equal(meta.depth, 'ushort', 'the fixture is 16-bit');
    assert.equal(meta.channels, 4);
    assert.ok(png.length < 25 * MiB, `fixture is ${png.length} bytes`);

    const big = send(`${server.url}/v1/histogram?depth=${depth}`, { method: 'POST', body: png, headers: { 'content-type': 'image/png' }, timeoutMs: 120_000 });
    await waitFor('the PNG to hold the slot', async () => {
      const a = await admission(server.url);
      return a.inFlight + a.queued >= 1;
    });
    const upload = Buffer.alloc(25 * MiB - 1024, 0x55); // complete bodies that wait for the slot
    const held = Array.from({ length: 16 }, () =>
      send(`${server.url}/v1/histogram`, { method: 'POST', body: upload, headers: { 'content-type': 'application/octet-stream' }, timeoutMs: 120_000 }),
    );
    let peakSeen = 0;
    const sampler = setInterval(() => (peakSeen = Math.max(peakSeen, vm(pid, 'VmRSS'))), 50);
    const answers = await Promise.all([big, ...held]);
    clearInterval(sampler);
    const hwm = vm(pid, 'VmHWM');
    t.diagnostic(
      `RSS at start ${base.toFixed(0)} MiB, peak ${hwm.toFixed(0)} MiB (VmHWM; sampled ${peakSeen.toFixed(0)}); statuses ${answers.map((a) => a.status).join(',')}`,
    );
    assert.equal(answers[0]!.status, 200, answers[0]!.body.toString());
    assert.ok(
      answers.slice(1).every((a) => a.status === 415),
      'the held uploads were read whole and then refused as not images',
    );
    assert.ok(hwm < 1024, `peak ${hwm.toFixed(0)} MiB exceeds the 1 GiB pod limit`);
  });
}

test('4000 requests for unknown asset names grow the heap by at most 12 MiB', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  // Assets only: one image thread is plenty. --gc-global makes every collection a full one, so
  // garbage promoted to the old generation (more of it when a busy machine slows the requests)
  // is gone whenever the heap is sampled, and the samples below measure live objects.
  servers.push(await startServer({ env: { CONCURRENCY: '1' }, nodeArgs: ['--gc-global'] }));
  const server = servers[0]!;
  // Used heap includes garbage not yet collected: the least of a few samples a little apart
  // (young-generation collections happen in between) is the live size.
  const heap = async () => {
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 10; i++) {
      least = Math.min(least, value(parseExposition((await send(`${server.url}/metrics`)).body.toString()), 'nodejs_heap_size_used_bytes') / MiB);
      await sleep(100);
    }
    return least;
  };
  for (let i = 0; i < 200; i++) await send(`${server.url}/assets/warm-${i}.js`);
  const before = await heap();
  const filler = 'a'.repeat(4000);
  for (let i = 0; i < 4000; i++) {
    const answer = await send(`${server.url}/assets/${filler}${i}.js`);
    assert.equal(answer.status, 404);
  }
  const after = await heap();
  t.diagnostic(`heap ${before.toFixed(1)} → ${after.toFixed(1)} MiB`);
  // The access log shortens such paths: 4000 lines of 4 KB would otherwise wait in the log
  // writer's buffer (16 MiB of heap) whenever the log reader is slower than the requests.
  const logged = server.logs.map((line) => JSON.parse(line) as { msg: string; status?: number; path?: string });
  const refused = logged.filter((line) => line.msg === 'request' && line.status === 404 && line.path?.startsWith('/assets/aaaa'));
  assert.ok(refused.length > 0, 'the 404s were logged');
  assert.ok(
    refused.every((line) => line.path!.length < 300 && line.path!.endsWith('characters)')),
    refused[0]?.path?.slice(0, 300),
  );
  assert.ok(after - before <= 12, `heap grew ${(after - before).toFixed(1)} MiB`);
  // The real assets are still served.
  assert.equal((await send(`${server.url}/assets/chart.umd.min.js`)).status, 200);
});

test('120 PNG charts of distinct widths grow RSS by at most 120 MiB', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  // The server image's allocator settings: two arenas, and big blocks (canvases, pixel buffers)
  // mapped and unmapped on their own, with huge pages asked for, rather than left in the heap.
  servers.push(await startServer({ env: { ...imageAllocatorEnv('.'), CONCURRENCY: '1' } }));
  const server = servers[0]!;
  const pid = server.proc.pid!;
  const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 200, g: 30, b: 90 } } })
    .png()
    .toBuffer();
  const chart = (width: number) =>
    send(`${server.url}/v1/histogram?format=png&width=${width}&height=300`, { method: 'POST', body: png, headers: { 'content-type': 'image/png' } });
  // Warm-up at a few sizes, so the baseline includes the fonts and the first charts.
  for (let i = 0; i < 10; i++) assert.equal((await chart(400 + i)).status, 200);
  const before = vm(pid, 'VmRSS');
  for (let i = 0; i < 120; i++) {
    const answer = await chart(600 + 7 * i);
    assert.equal(answer.status, 200);
    const size = await sharp(answer.body).metadata();
    assert.equal(size.width, 600 + 7 * i);
  }
  const after = vm(pid, 'VmRSS');
  t.diagnostic(`RSS ${before.toFixed(0)} → ${after.toFixed(0)} MiB over 120 chart sizes`);
  assert.ok(after - before <= 120, `RSS grew ${(after - before).toFixed(0)} MiB`);
});
