// k8s/monitoring: the ServiceMonitor scrapes the server's Service, and every metric the Grafana
// dashboard queries is one the real server exposes on /metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { kustomizeUnavailable, one, renderKustomization, type ModelClass } from './helpers/k8s-render.ts';
import { startInProcessServer } from './helpers/in-process-server.ts';

const dashboard = JSON.parse(readFileSync('k8s/monitoring/grafana-dashboard.json', 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };

/** The Prometheus operator's ServiceMonitor, as far as this test reads it (no schema in kubernetes-models). */
interface ServiceMonitor {
  kind: 'ServiceMonitor';
  metadata: { namespace?: string };
  spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] };
}
const ServiceMonitorKind: ModelClass<ServiceMonitor> = {
  kind: 'ServiceMonitor',
  is: (r): r is ServiceMonitor =>
    (r as { apiVersion?: string; kind?: string }).apiVersion === 'monitoring.coreos.com/v1' && (r as { kind?: string }).kind === 'ServiceMonitor',
};

test('the ServiceMonitor selects the server Service and scrapes /metrics on one of its ports', { skip: kustomizeUnavailable }, () => {
  const monitor = one(renderKustomization('k8s/monitoring'), ServiceMonitorKind);
  const service = one<IService>(renderKustomization('k8s'), Service, 'histogram-server');
  for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) assert.equal(service.metadata!.labels?.[k], v, k);
  for (const endpoint of monitor.spec.endpoints) {
    assert.ok(
      service.spec!.ports!.some((p) => p.name === endpoint.port),
      `Service has no port ${endpoint.port}`,
    );
    assert.equal(endpoint.path, '/metrics');
  }
  assert.equal(monitor.metadata.namespace, service.metadata!.namespace);
});

test('every metric the dashboard queries is exposed by the server', async (t) => {
  // The app served from this process: the same /metrics as the server process, Node's
  // default process metrics included.
  const server = await startInProcessServer();
  t.after(() => server.stop());
  const text = await (await fetch(`${server.url}/metrics`)).text();
  // Families from `# TYPE name kind`; histograms also answer to _bucket, _sum and _count.
  const exposed = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    exposed.add(m[1]!);
    if (m[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exposed.add(m[1]! + suffix);
  }
  const queried = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((x) => [...x.expr.matchAll(/([a-zA-Z_:][\w:]*)\s*[{[]/g)].map((m) => m[1]!))));
  assert.ok(queried.size >= 8, `expected the dashboard to query several metrics, found ${[...queried].join(', ')}`);
  for (const name of queried) assert.ok(exposed.has(name), `${name} is not on /metrics`);
});
