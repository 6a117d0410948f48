// The Deployment's probes ask the real server for routes it serves: each probe path answers
// 200 on a server started with the ConfigMap's settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containersOf, findResource, kustomizeUnavailable, renderKustomization } from './helpers/k8s-render.ts';
import { startServer } from './helpers/server-process.ts';

test('every probe path of the server container answers 200 on the real server', { skip: kustomizeUnavailable }, async (t) => {
  const resources = renderKustomization('k8s');
  const server = containersOf(findResource(resources, 'Deployment', 'histogram-server')).find((c) => c.name === 'server')!;
  const config = findResource<{ data: Record<string, string> }>(resources, 'ConfigMap', 'histogram-server').data;
  // The ConfigMap's settings, except where the test must listen: 127.0.0.1 on a free port.
  const proc = await startServer({ env: { ...config, HOST: '127.0.0.1', PORT: '0', CONCURRENCY: '1', POD_NAME: 'probe-test' } });
  // Killed: a SIGTERM would wait out the ConfigMap's SHUTDOWN_DELAY_MS, which is not under test.
  t.after(() => proc.stop('SIGKILL'));
  const probes = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;
  for (const name of probes) {
    const probe = server[name] as { httpGet?: { path: string; scheme?: string } } | undefined;
    assert.ok(probe?.httpGet, `${name} must be an httpGet probe`);
    assert.equal(probe.httpGet.scheme ?? 'HTTP', 'HTTP');
    assert.equal(await pollStatus(`${proc.url}${probe.httpGet.path}`, 30_000), 200, `${name} ${probe.httpGet.path}`);
  }
});

/**
 * GETs `url` until it answers 200 or `budgetMs` passes, as the kubelet keeps probing (/readyz
 * is 503 until the server has warmed up); returns the last status.
 */
async function pollStatus(url: string, budgetMs: number): Promise<number> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    // The prober sends no Ingress Host and follows no redirects: neither do we.
    const res = await fetch(url, { redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status === 200 || Date.now() > deadline) return res.status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
