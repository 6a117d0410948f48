// Every manifest under k8s/, rendered by `kubectl kustomize`, validates offline against the
// Kubernetes API schemas (kubernetes-models), and carries what the base's kustomization sets.
import { test } from 'node:test';
import { readdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { parseAllDocuments } from 'yaml';
import {
  containersOf,
  kustomizeUnavailable,
  one,
  podTemplate,
  readYamlDocuments,
  renderKustomization,
  validateResource,
  type Resource,
} from './helpers/k8s-render.ts';

// Every kustomization under k8s/: the base, each overlay, the monitoring stack.
const KUSTOMIZATIONS = ['k8s', 'k8s/monitoring', ...readdirSync('k8s/overlays').map((name) => `k8s/overlays/${name}`)];
const key = (r: Resource) => `${r.kind}/${r.metadata.namespace ?? ''}/${r.metadata.name}`;

for (const dir of KUSTOMIZATIONS) {
  test(`every resource of ${dir}, rendered, validates against the Kubernetes API schemas`, { skip: kustomizeUnavailable }, async () => {
    for (const r of renderKustomization(dir)) {
      // The monitoring stack's kinds (ServiceMonitor) are the Prometheus operator's: no schema here.
      if (r.apiVersion.startsWith('monitoring.coreos.com/')) continue;
      await assert.doesNotReject(validateResource(r), `${key(r)} is invalid`);
    }
  });
}

for (const dir of KUSTOMIZATIONS.filter((d) => d !== 'k8s/monitoring')) {
  test(`every resource of ${dir} has the base's namespace, part-of label and image tags`, { skip: kustomizeUnavailable }, () => {
    const base = readYamlDocuments('k8s/base/kustomization.yaml')[0] as unknown as {
      namespace: string;
      labels: { pairs: Record<string, string> }[];
      images: { name: string; newTag: string }[];
    };
    const labels = Object.assign({}, ...base.labels.map((l) => l.pairs)) as Record<string, string>;
    for (const r of renderKustomization(dir)) {
      if (r.kind === 'Namespace') assert.equal(r.metadata.name, base.namespace);
      else assert.equal(r.metadata.namespace, base.namespace, `${key(r)} namespace`);
      for (const [k, v] of Object.entries(labels)) {
        assert.equal(r.metadata.labels?.[k], v, `${key(r)} label ${k}`);
        const template = podTemplate(r);
        if (template) assert.equal(template.metadata?.labels?.[k], v, `${key(r)} pod template label ${k}`);
      }
      for (const c of containersOf(r)) {
        // The base's tags, or the overlay's own where it renames an image (the local overlay does).
        const own =
          (readYamlDocuments(`${dir}/kustomization.yaml`)[0] as unknown as { images?: { name: string; newName?: string; newTag?: string }[] }).images ?? [];
        const tagged = base.images.map((i) => {
          const o = own.find((x) => x.name === i.name);
          return `${o?.newName ?? i.name}:${o?.newTag ?? i.newTag}`;
        });
        assert.ok(tagged.includes(c.image!), `${key(r)} container ${c.name} runs ${c.image}, not one of ${tagged.join(', ')}`);
      }
    }
  });
}

test('the base holds the namespace, configuration, server, Ingress, autoscaler, disruption budget and both Jobs', { skip: kustomizeUnavailable }, () => {
  const kinds = renderKustomization('k8s')
    .map((r) => `${r.kind}/${r.metadata.name}`)
    .sort();
  assert.deepEqual(kinds, [
    'ConfigMap/histogram-server',
    'Deployment/histogram-server',
    'HorizontalPodAutoscaler/histogram-server',
    'Ingress/histogram-server',
    'Job/histogram-bench',
    'Job/histogram-smoke',
    'Namespace/histogram',
    'PodDisruptionBudget/histogram-server',
    'Service/histogram-server',
  ]);
});

test('a manifest with a wrong field type fails validation, so the check above has teeth', { skip: kustomizeUnavailable }, async () => {
  const broken = one<IDeployment>(renderKustomization('k8s'), Deployment);
  (broken.spec!.template.spec!.containers[0]!.ports![0]! as { containerPort: unknown }).containerPort = '8080';
  await assert.rejects(validateResource(broken), /containerPort must be integer/);
});

test('the kind cluster config labels its node for the kind flavour of ingress-nginx', () => {
  const [config] = readYamlDocuments('k8s/kind-cluster.yaml') as unknown as { kind: string; nodes: { kubeadmConfigPatches?: string[] }[] }[];
  assert.equal(config!.kind, 'Cluster');
  // The patch is itself YAML (a kubeadm InitConfiguration): read it as such.
  const patch = config!.nodes[0]!.kubeadmConfigPatches!.flatMap((text) => parseAllDocuments(text).map((doc) => doc.toJS() as unknown));
  assert.ok(
    patch.some(
      (p) =>
        (p as { nodeRegistration?: { kubeletExtraArgs?: Record<string, string> } }).nodeRegistration?.kubeletExtraArgs?.['node-labels'] ===
        'ingress-ready=true',
    ),
    JSON.stringify(patch),
  );
});
