// Liveness under saturation: /healthz must stay fast while every worker decodes large JPEGs,
// or Kubernetes would kill busy pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer, type ServerProcess } from './helpers/server-process.ts';
import { photoLikeJpeg } from './helpers/ops-images.ts';
import { send, sleep, waitFor } from './helpers/ops-http.ts';
import { countByStatus, killAfter, startLoad } from './helpers/ops-load.ts';
import { parseExposition, value } from './helpers/ops-metrics.ts';

// The one timed bound the issue asks for: each liveness answer under 100 ms.
const HEALTHZ_LIMIT_MS = 100;
const CLIENTS = 16;
const PROBES = 100;

test('while 16 clients upload 4000×3000 JPEGs, 100 sequential /healthz requests each answer 200 in under 100 ms', async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  const jpeg = await photoLikeJpeg(4000, 3000);
  servers.push(await startServer({ env: { SHUTDOWN_DELAY_MS: '0' } }));
  const server = servers[0]!;

  // Bounded: at most 40 s and 12 uploads per client (192 × ~12 MP), stopped once probing ends.
  const load = startLoad({ url: `${server.url}/v1/histogram`, body: jpeg, loops: CLIENTS, maxDurationMs: 40_000, maxPerLoop: 12 });
  t.after(() => load.stop());
  // Probe only once the pipeline is saturated: uploads are completing, so every worker is busy
  // and the other clients' bodies are arriving or queued.
  await waitFor('the first uploads to complete', () => load.outcomes.length >= 4, 30_000);

  // Scraping resets prom-client's event-loop delay histogram: the next scrape covers probing only.
  await send(`${server.url}/metrics`);
  // This process's own loop delay over the same window: if it stalls too, the machine was busy.
  const ownDelay = monitorEventLoopDelay({ resolution: 10 });
  ownDelay.enable();
  const completedBeforeProbing = load.outcomes.length;
  const probes: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    // A fresh connection per probe, as the kubelet's HTTP probe makes.
    const answer = await send(`${server.url}/healthz`, { timeoutMs: 5_000 });
    assert.equal(answer.status, 200);
    probes.push(answer.ms);
    await sleep(20); // spread the probes over the load (~3 s) instead of a 0.3 s burst
  }
  const completedByEndOfProbing = load.outcomes.length;
  const outcomes = await load.stop();
  // The server's own view of its event loop (prom-client's monitorEventLoopDelay since start):
  // tells a blocked loop apart from a machine that was simply busy when a probe was slow.
  const metrics = parseExposition((await send(`${server.url}/metrics`)).body.toString());
  ownDelay.disable();
  const lag = `event-loop delay while probing: server max ${(value(metrics, 'nodejs_eventloop_lag_max_seconds') * 1000).toFixed(1)} ms, p99 ${(value(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000).toFixed(1)} ms; test process max ${(ownDelay.max / 1e6).toFixed(1)} ms`;

  const sorted = [...probes].sort((a, b) => a - b);
  t.diagnostic(
    `healthz ms: p50 ${sorted[49]!.toFixed(1)}, p99 ${sorted[98]!.toFixed(1)}, max ${sorted[99]!.toFixed(1)}; uploads answered ${outcomes.length} (${completedByEndOfProbing - completedBeforeProbing} while probing), ${JSON.stringify(countByStatus(outcomes))}, jpeg ${jpeg.length} bytes; ${lag}`,
  );
  const slow = probes.map((ms, i) => ({ i, ms })).filter(({ ms }) => ms >= HEALTHZ_LIMIT_MS);
  assert.deepEqual(slow, [], `probes at or over ${HEALTHZ_LIMIT_MS} ms (${lag})`);
  // The load was real: uploads kept completing while probing, and none failed.
  assert.ok(completedByEndOfProbing - completedBeforeProbing >= 2, `only ${completedByEndOfProbing - completedBeforeProbing} uploads completed while probing`);
  assert.deepEqual(countByStatus(outcomes), { 200: outcomes.length });
});
