// The overlay that keeps the old service's name during the switch: rendered by kubectl
// kustomize, its Service server-service:8000 reaches the server pods' HTTP port, and the base's
// objects come with it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { containersOf, kustomizeUnavailable, one, podTemplate, readYamlDocuments, renderKustomization } from './helpers/k8s-render.ts';

describe('k8s/overlays/legacy-service-name', { skip: kustomizeUnavailable }, () => {
  const resources = renderKustomization('k8s/overlays/legacy-service-name');
  const legacy = one(resources, Service, 'server-service');
  const deployment = one(resources, Deployment, 'histogram-server');

  test('server-service listens on 8000, the old port, in the server namespace', () => {
    assert.deepEqual(
      legacy.spec!.ports!.map((p) => p.port),
      [8000],
    );
    assert.equal(legacy.metadata.namespace, deployment.metadata.namespace);
  });

  test('its selector picks the server pods and its target port is the container port the server listens on', () => {
    const labels = podTemplate(deployment)!.metadata!.labels!;
    for (const [name, value] of Object.entries(legacy.spec!.selector!)) assert.equal(labels[name], value, name);
    const target = legacy.spec!.ports![0]!.targetPort;
    const port = containersOf(deployment)
      .flatMap((c) => c.ports ?? [])
      .find((p) => p.name === target || p.containerPort === target);
    assert.ok(port, `no container port ${String(target)}`);
    assert.equal(port.containerPort, 8080);
  });

  test('the base comes with it, and the ServiceMonitor does not select the alias (no pod scraped twice)', () => {
    assert.ok(one(resources, Service, 'histogram-server'));
    const [monitor] = readYamlDocuments('k8s/monitoring/service-monitor.yaml') as unknown as Array<{
      spec: { selector: { matchLabels: Record<string, string> } };
    }>;
    const matches = Object.entries(monitor!.spec.selector.matchLabels).every(([name, value]) => legacy.metadata.labels?.[name] === value);
    assert.equal(matches, false);
  });
});
