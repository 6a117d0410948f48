// Every manifest under k8s/ validates offline against the Kubernetes API schemas
// (kubernetes-models), and the test renderer agrees with `kubectl kustomize` where kubectl is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { readYamlDocuments, renderKustomization, type Resource } from './helpers/k8s-render.ts';

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

function kubectlKustomize(dir: string): Resource[] | undefined {
  try {
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return parseAllDocuments(out).map((d) => d.toJS() as Resource);
  } catch {
    return undefined;
  }
}

const key = (r: Resource) => `${r.kind}/${r.metadata.namespace ?? ''}/${r.metadata.name}`;

for (const dir of KUSTOMIZATIONS) {
  test(`every resource of ${dir}, rendered, validates against the Kubernetes API schemas`, async () => {
    const resources = renderKustomization(dir);
    assert.ok(resources.length >= 9, `expected the whole base, got ${resources.length} resources`);
    for (const r of resources) {
      const Model = await modelFor(r);
      assert.doesNotThrow(() => new Model(r).validate(), `${key(r)} is invalid`);
    }
  });

  test(`the test renderer's output for ${dir} equals kubectl kustomize's`, (t) => {
    const theirs = kubectlKustomize(dir);
    if (!theirs) {
      t.skip('kubectl with kustomize is not installed: the renderer is checked by its own tests only');
      return;
    }
    const mine = new Map(renderKustomization(dir).map((r) => [key(r), r]));
    assert.deepEqual([...mine.keys()].sort(), theirs.map(key).sort());
    for (const r of theirs) assert.deepEqual(mine.get(key(r)), r, `${key(r)} differs`);
  });
}

test('the base holds each kind DESIGN.md asks for', () => {
  const kinds = renderKustomization('k8s').map((r) => `${r.kind}/${r.metadata.name}`).sort();
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

test('a manifest with a wrong field type fails validation, so the check above has teeth', async () => {
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
