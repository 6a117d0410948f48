// The Deployment's probes ask the real server for routes it serves, on the port it listens on:
// each probe path answers 200 on a server started with the ConfigMap's settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { kustomizeUnavailable, one, renderKustomization, serverProbes } from './helpers/k8s-render.ts';
import { startServer } from './helpers/server-process.ts';
import { waitFor } from './helpers/ops-http.ts';

test('every probe of the server container is an HTTP GET that answers 200 on the real server', { skip: kustomizeUnavailable }, async (t) => {
  const config = one<IConfigMap>(renderKustomization('k8s'), ConfigMap, 'histogram-server').data!;
  // The ConfigMap's settings, except where the test must listen: 127.0.0.1 on a free port.
  const proc = await startServer({ env: { ...config, HOST: '127.0.0.1', PORT: '0', CONCURRENCY: '1', POD_NAME: 'probe-test' }, waitReady: false });
  // Killed: a SIGTERM would wait out the ConfigMap's SHUTDOWN_DELAY_MS, which is not under test.
  t.after(() => proc.stop('SIGKILL'));
  for (const [name, probe] of Object.entries(serverProbes())) {
    assert.equal(probe.httpGet.scheme ?? 'HTTP', 'HTTP', name);
    // As the kubelet does: probe until 200 (/readyz is 503 until the server has warmed up),
    // without the Ingress Host and without following redirects. The bound is the startup
    // probe's own budget, periodSeconds × failureThreshold.
    const budgetMs = (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) * 1000;
    const status = await waitFor(
      `${name} ${probe.httpGet.path} to answer 200`,
      async () => {
        const res = await fetch(`${proc.url}${probe.httpGet.path}`, { redirect: 'manual' });
        await res.arrayBuffer();
        return res.status === 200 ? res.status : 0;
      },
      Math.max(budgetMs, 60_000),
      200,
    );
    assert.equal(status, 200, name);
  }
});
