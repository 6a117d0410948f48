// Every manifest under k8s/, rendered by `kubectl kustomize`, validates offline against the
// Kubernetes API schemas (kubernetes-models), and carries what the base's kustomization sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containersOf, kustomizeUnavailable, podTemplate, readYamlDocuments, renderKustomization, type Resource } from './helpers/k8s-render.ts';

const KUSTOMIZATIONS = ['k8s', 'k8s/overlays/bench-x8'];

interface Model {
  validate(): void;
}

/** The kubernetes-models class for `apiVersion`/`kind`, e.g. kubernetes-models/apps/v1/Deployment. */
async function modelFor(r: Resource): Promise<new (data: unknown) => Model> {
  const module = (await import(`kubernetes-models/${r.apiVersion}/${r.kind}`)) as Record<string, new (data: unknown) => Model>;
  const model = module[r.kind];
  assert.ok(model, `kubernetes-models has no ${r.apiVersion} ${r.kind}`);
  return model;
}

const key = (r: Resource) => `${r.kind}/${r.metadata.namespace ?? ''}/${r.metadata.name}`;

for (const dir of KUSTOMIZATIONS) {
  test(`every resource of ${dir}, rendered, validates against the Kubernetes API schemas`, { skip: kustomizeUnavailable }, async () => {
    const resources = renderKustomization(dir);
    assert.ok(resources.length >= 9, `expected the whole base, got ${resources.length} resources`);
    for (const r of resources) {
      const Model = await modelFor(r);
      assert.doesNotThrow(() => new Model(r).validate(), `${key(r)} is invalid`);
    }
  });

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
        if (template) assert.equal((template.metadata as { labels?: Record<string, string> }).labels?.[k], v, `${key(r)} pod template label ${k}`);
      }
      for (const container of containersOf(r)) {
        const image = base.images.find((i) => container.image.startsWith(`${i.name}:`) || container.image === i.name);
        assert.ok(image, `${key(r)} container ${container.name} runs ${container.image}, which the kustomization does not tag`);
        assert.equal(container.image, `${image.name}:${image.newTag}`, `${key(r)} container ${container.name}`);
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
  const [deployment] = renderKustomization('k8s').filter((r) => r.kind === 'Deployment');
  const broken = structuredClone(deployment!) as Resource & { spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } } };
  broken.spec.template.spec.containers[0]!.ports[0]!.containerPort = '8080';
  const Model = await modelFor(broken);
  assert.throws(() => new Model(broken).validate(), /containerPort must be integer/);
});

test('the kind cluster config labels its node for the kind flavour of ingress-nginx', () => {
  const [config] = readYamlDocuments('k8s/kind-cluster.yaml') as unknown as { kind: string; nodes: { kubeadmConfigPatches?: string[] }[] }[];
  assert.equal(config!.kind, 'Cluster');
  assert.match(config!.nodes[0]!.kubeadmConfigPatches!.join('\n'), /node-labels: "ingress-ready=true"/);
});
