// Renders a kustomization with `kubectl kustomize`, the renderer `kubectl apply -k` itself uses,
// and finds resources, pod templates and containers in the result for the k8s tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** One Kubernetes object as parsed from YAML. */
export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

type Json = Record<string, unknown>;

// Where each workload kind keeps its pod template.
const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

// k8s/ uses `labels` and a directory as a resource, which kubectl's built-in kustomize has
// understood since kustomize v4; v5 (kubectl 1.27) is what the docs ask for, so ask for it here.
const MIN_KUSTOMIZE_MAJOR = 5;

function parseYaml(text: string, source: string): Resource[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]!.message}`);
      return doc.toJS() as Resource;
    })
    .filter((r) => r !== null);
}

/** Reads every YAML document of `file` as plain objects (anchors and aliases resolved). */
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
  const major = Number(/^v?(\d+)\./.exec(kustomize)?.[1] ?? 0);
  if (major >= MIN_KUSTOMIZE_MAJOR) return undefined;
  const has = kustomize ? `has kustomize ${kustomize}` : 'reports no kustomize version';
  return `kubectl ${versions.clientVersion?.gitVersion ?? '(unknown version)'} ${has}; the manifests need kustomize v${MIN_KUSTOMIZE_MAJOR} or later (kubectl 1.27+; bash .ci/run installs it)`;
}

/** Why the manifests cannot be rendered on this machine, or undefined when kubectl can. */
export const kustomizeUnavailable: string | undefined = probeKubectl();

const rendered = new Map<string, Resource[]>();

/**
 * The resources `kubectl kustomize dir` renders (cached per directory; a fresh copy each call).
 * @throws {Error} when kubectl is unavailable (check `kustomizeUnavailable` first) or the
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

/** The pod template (`{metadata, spec}`) of a workload, or undefined for other kinds. */
export function podTemplate(r: Resource): Json | undefined {
  const path = TEMPLATE_PATHS[r.kind];
  if (!path) return undefined;
  let node: unknown = r;
  for (const key of path) node = (node as Json | undefined)?.[key];
  return node as Json | undefined;
}

/** A container as far as these tests read it. */
export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: Json }[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  [field: string]: unknown;
}

/** Init containers and containers of a workload's pod template. */
export function containersOf(r: Resource): Container[] {
  const spec = podTemplate(r)?.spec as { containers?: Container[]; initContainers?: Container[] } | undefined;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

/** Finds `kind`/`name` in `resources` or throws naming what is there. */
export function findResource<T = Resource>(resources: Resource[], kind: string, name?: string): T & Resource {
  const found = resources.find((r) => r.kind === kind && (name === undefined || r.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? `/${name}` : ''} among ${resources.map((r) => `${r.kind}/${r.metadata.name}`).join(', ')}`);
  return found as T & Resource;
}
