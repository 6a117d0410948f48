// The manifests as Kubernetes would read them: rendered by `kubectl kustomize` (the renderer
// `kubectl apply -k` uses), parsed with the yaml package, validated and typed with
// kubernetes-models (the API's own OpenAPI schemas), for the k8s tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';

/** One object as parsed from YAML. */
export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** A kubernetes-models class, through its static type guard (`Deployment`, `Service`, …). */
export interface ModelClass<T> {
  kind: string;
  is(value: unknown): value is T;
}

// k8s/ uses `labels` and a directory as a resource; kustomize v5 (kubectl 1.27) is what the
// docs ask for, so ask for it here.
const MIN_KUSTOMIZE_MAJOR = 5;

function parseYaml(text: string, source: string): Resource[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]!.message}`);
      return doc.toJS() as Resource;
    })
    .filter((r) => r !== null);
}

/** Every YAML document of `file` as plain objects (anchors and aliases resolved). */
export function readYamlDocuments(file: string): Resource[] {
  return parseYaml(readFileSync(file, 'utf8'), file);
}

function probeKubectl(): string | undefined {
  let versions: { clientVersion?: { gitVersion?: string }; kustomizeVersion?: string };
  try {
    versions = JSON.parse(execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return `${missing ? 'kubectl is not installed' : `kubectl version failed: ${(error as Error).message.split('\n')[0]}`}; the k8s tests render the manifests with kubectl 1.27+ (bash .ci/run installs it)`;
  }
  const kustomize = versions.kustomizeVersion ?? '';
  if (Number(/^v?(\d+)\./.exec(kustomize)?.[1] ?? 0) >= MIN_KUSTOMIZE_MAJOR) return undefined;
  return `kubectl ${versions.clientVersion?.gitVersion ?? '(unknown version)'} has kustomize ${kustomize || '(none)'}; the manifests need kustomize v${MIN_KUSTOMIZE_MAJOR} or later (kubectl 1.27+; bash .ci/run installs it)`;
}

/** Why the manifests cannot be rendered on this machine, or undefined when kubectl can. */
export const kustomizeUnavailable: string | undefined = probeKubectl();

const rendered = new Map<string, Resource[]>();

/**
 * The resources `kubectl kustomize dir` renders (cached per directory; a fresh copy each call).
 * @throws Error when kubectl is unavailable (check `kustomizeUnavailable` first) or the
 *   kustomization does not render, with kubectl's own message.
 */
export function renderKustomization(dir: string): Resource[] {
  if (kustomizeUnavailable) throw new Error(kustomizeUnavailable);
  let resources = rendered.get(dir);
  if (!resources) {
    try {
      resources = parseYaml(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), `kubectl kustomize ${dir}`);
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new Error(`kubectl kustomize ${dir} failed: ${stderr || (error as Error).message}`);
    }
    rendered.set(dir, resources);
  }
  return structuredClone(resources);
}

/**
 * Validates `r` against the schema of its apiVersion and kind (kubernetes-models).
 * @throws Error when kubernetes-models has no such kind, or the schema's message when invalid.
 */
export async function validateResource(r: Resource): Promise<void> {
  const module = (await import(`kubernetes-models/${r.apiVersion}/${r.kind}`)) as Record<string, (new (data: unknown) => { validate(): void }) | undefined>;
  const Model = module[r.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${r.apiVersion} ${r.kind}`);
  new Model(r).validate();
}

/** The one `model` named `name` (any name when omitted) in `resources`; throws naming what is there. */
export function one<T>(resources: readonly Resource[], model: ModelClass<T>, name?: string): T & Resource {
  const found = resources.find((r) => model.is(r) && (name === undefined || r.metadata.name === name));
  if (!found) throw new Error(`no ${model.kind}${name ? `/${name}` : ''} among ${resources.map((r) => `${r.kind}/${r.metadata.name}`).join(', ')}`);
  return found as T & Resource;
}

/** The pod template of a Deployment or Job, or undefined for other kinds. */
export function podTemplate(r: Resource): IPodTemplateSpec | undefined {
  if (Deployment.is(r) || Job.is(r)) return r.spec?.template;
  return undefined;
}

/** Init containers, then containers, of a workload's pod template (none for other kinds). */
export function containersOf(r: Resource): IContainer[] {
  const spec = podTemplate(r)?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

/** The container named `name` of workload `r`; throws when it has none. */
export function container(r: Resource, name: string): IContainer {
  const found = containersOf(r).find((c) => c.name === name);
  if (!found) throw new Error(`${r.kind}/${r.metadata.name} has no container ${name}`);
  return found;
}

type ProbeName = 'startupProbe' | 'livenessProbe' | 'readinessProbe';

/**
 * The server container's three probes as the base renders them, each an HTTP GET. Without
 * kubectl, read from k8s/base/server.yaml, which the base's kustomization does not patch.
 * @throws Error when a probe is missing or not an httpGet probe.
 */
export function serverProbes(): Record<ProbeName, IProbe & { httpGet: NonNullable<IProbe['httpGet']> }> {
  const resources = kustomizeUnavailable ? readYamlDocuments('k8s/base/server.yaml') : renderKustomization('k8s');
  const server = container(one<IDeployment>(resources, Deployment, 'histogram-server'), 'server');
  const probe = (name: ProbeName) => {
    const p = server[name];
    if (!p?.httpGet) throw new Error(`the server container's ${name} is not an httpGet probe`);
    return { ...p, httpGet: p.httpGet };
  };
  return { startupProbe: probe('startupProbe'), livenessProbe: probe('livenessProbe'), readinessProbe: probe('readinessProbe') };
}
