// Probes under saturation: while every image thread decodes large JPEGs, the kubelet's liveness
// and readiness probes must still be answered 200 within the timeouts the Deployment gives
// them, or Kubernetes would restart (or stop routing to) busy pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer, type ServerProcess } from './helpers/server-process.ts';
import { photoLikeJpeg } from './helpers/ops-images.ts';
import { send, sleep, waitFor } from './helpers/ops-http.ts';
import { countByStatus, killAfter, startLoad } from './helpers/ops-load.ts';
import { parseExposition, value } from './helpers/ops-metrics.ts';
import { serverProbes } from './helpers/k8s-render.ts';

const CLIENTS = 16;
const PROBES = 100;

/** The value at quantile `q` (0..1) of `values`, nearest rank. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

test('while 16 clients upload 4000×3000 JPEGs, 100 liveness and readiness probes each answer 200 within the timeout the Deployment gives them', async (t) => {
  // What the kubelet would judge: each probe's own timeoutSeconds (1 s when unset).
  const probes = serverProbes();
  const limits = { liveness: (probes.livenessProbe.timeoutSeconds ?? 1) * 1000, readiness: (probes.readinessProbe.timeoutSeconds ?? 1) * 1000 };
  const paths = { liveness: probes.livenessProbe.httpGet.path, readiness: probes.readinessProbe.httpGet.path };

  const servers: ServerProcess[] = [];
  killAfter(t, servers);
  const jpeg = await photoLikeJpeg(4000, 3000);
  servers.push(await startServer({ env: { SHUTDOWN_DELAY_MS: '0' } }));
  const server = servers[0]!;

  // Bounded: at most 60 s and 12 uploads per client (192 × ~12 MP), stopped once probing ends.
  const load = startLoad({ url: `${server.url}/v1/histogram`, body: jpeg, loops: CLIENTS, maxDurationMs: 60_000, maxPerLoop: 12 });
  t.after(() => load.stop());
  // Probe only once the pipeline is saturated: uploads are completing, so every worker is busy
  // and the other clients' bodies are arriving or queued.
  await waitFor('the first uploads to complete', () => load.outcomes.length >= 4, 60_000);

  // Scraping resets prom-client's event-loop delay histogram: the next scrape covers probing only.
  await send(`${server.url}/metrics`);
  // This process's own loop delay over the same window: if it stalls too, the machine was busy.
  const ownDelay = monitorEventLoopDelay({ resolution: 10 });
  ownDelay.enable();
  const completedBeforeProbing = load.outcomes.length;
  const answers: { kind: keyof typeof limits; status: number; ms: number }[] = [];
  for (let i = 0; i < PROBES; i++) {
    for (const kind of ['liveness', 'readiness'] as const) {
      // A fresh connection per probe, as the kubelet's HTTP probe makes; no Host, no redirects.
      const answer = await send(`${server.url}${paths[kind]}`, { timeoutMs: 30_000 });
      answers.push({ kind, status: answer.status, ms: answer.ms });
    }
    await sleep(20); // spread the probes over the load instead of a burst
  }
  const during = load.outcomes.slice(completedBeforeProbing);
  const outcomes = await load.stop();
  // The server's own view of its event loop (prom-client's monitorEventLoopDelay since the last
  // scrape): tells a blocked loop apart from a machine that was simply busy when a probe was slow.
  const metrics = parseExposition((await send(`${server.url}/metrics`)).body.toString());
  ownDelay.disable();

  const liveness = answers.filter((a) => a.kind === 'liveness').map((a) => a.ms);
  // The server's own time counting the pixels of each image answered while probing.
  const counting = during.flatMap((o) => (o.timingsMs?.histogram === undefined ? [] : [o.timingsMs.histogram]));
  const ms = (x: number) => x.toFixed(1);
  const lag = () =>
    `event-loop delay while probing: server max ${ms(value(metrics, 'nodejs_eventloop_lag_max_seconds') * 1000)} ms, p99 ${ms(value(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000)} ms; test process max ${ms(ownDelay.max / 1e6)} ms`;
  t.diagnostic(
    `liveness ms: p50 ${ms(quantile(liveness, 0.5))}, p90 ${ms(quantile(liveness, 0.9))}, p99 ${ms(quantile(liveness, 0.99))}, max ${ms(Math.max(...liveness))}; ` +
      `readiness max ${ms(Math.max(...answers.filter((a) => a.kind === 'readiness').map((a) => a.ms)))}; ` +
      `counting ms per image while probing: median ${counting.length ? ms(quantile(counting, 0.5)) : '-'} of ${counting.length}; ` +
      `uploads answered ${outcomes.length} (${during.length} while probing), ${JSON.stringify(countByStatus(outcomes))}; ` +
      lag(),
  );

  const late = answers.filter((a) => a.status !== 200 || a.ms >= limits[a.kind]);
  assert.deepEqual(late, [], `probes not answered 200 within their timeouts (${JSON.stringify(limits)} ms; ${lag()})`);
  // The load was real: uploads kept completing while probing, and none failed.
  assert.ok(during.length >= 2, `only ${during.length} uploads completed while probing`);
  assert.deepEqual(countByStatus(outcomes), { 200: outcomes.length });

  // The event loop is not blocked by counting, judged against the server's own time for that
  // work in this same run, so a slow or busy machine moves both sides alike. Were the pixels
  // counted on the event loop, it would be busy counting about half the time under this load
  // (two images at once, each counted for a good part of its time), and a probe arriving then
  // would wait for the rest of a count: the slowest tenth of probes would wait most of one
  // count (p90 ≈ 0.8 × the count's time). Off the loop, a probe waits only for the loop's own
  // short tasks (parsing bodies, writing answers).
  const countMs = quantile(counting, 0.5);
  assert.ok(
    quantile(liveness, 0.9) < countMs / 3,
    `liveness p90 ${ms(quantile(liveness, 0.9))} ms is not well below the ${ms(countMs)} ms the server took to count an image: is counting blocking the event loop? (${lag()})`,
  );
});
