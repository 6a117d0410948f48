// Renders a kustomization offline as `kubectl kustomize` would, for the features k8s/ uses
// (resources, namespace, labels, images, strategic-merge patches); anything else throws, so
// the k8s tests never silently check less than what kubectl would apply.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One Kubernetes object as parsed from YAML. */
export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

type Json = Record<string, unknown>;

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);
// Kinds kustomize leaves without a namespace (the ones a base like this could hold).
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass', 'CustomResourceDefinition']);
// Pod templates that `labels: includeTemplates` and `images` reach (kustomize's fieldspecs).
const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Reads every YAML document of `file` as plain objects (anchors and aliases resolved). */
export function readYamlDocuments(file: string): Resource[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS() as Resource;
  }).filter((r) => r !== null);
}

/**
 * Renders the kustomization in `dir` (recursing into directory resources).
 * @throws {Error} when the kustomization uses a field this renderer does not implement.
 */
export function renderKustomization(dir: string): Resource[] {
  const k = readYamlDocuments(join(dir, 'kustomization.yaml'))[0] as unknown as Json;
  for (const key of Object.keys(k)) {
    if (!SUPPORTED.has(key)) throw new Error(`${dir}/kustomization.yaml: field "${key}" is not supported by the test renderer`);
  }
  const resources: Resource[] = [];
  for (const entry of (k.resources as string[] | undefined) ?? []) {
    const path = join(dir, entry);
    resources.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readYamlDocuments(path)));
  }
  for (const patch of (k.patches as { path?: string; target?: unknown; patch?: unknown }[] | undefined) ?? []) {
    if (!patch.path || patch.target || patch.patch) throw new Error('only `patches: - path: FILE` (strategic merge) is supported');
    for (const doc of readYamlDocuments(join(dir, patch.path))) {
      const target = resources.find((r) => r.kind === doc.kind && r.metadata.name === doc.metadata.name);
      if (!target) throw new Error(`patch ${patch.path} targets ${doc.kind}/${doc.metadata.name}, which is not in the resources`);
      strategicMerge(target, doc as unknown as Json);
    }
  }
  for (const set of (k.labels as { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[] | undefined) ?? []) {
    if (set.includeSelectors) throw new Error('labels with includeSelectors are not supported');
    for (const r of resources) {
      r.metadata.labels = { ...r.metadata.labels, ...set.pairs };
      const template = set.includeTemplates ? podTemplate(r) : undefined;
      if (template) {
        const meta = ((template.metadata ??= {}) as { labels?: Record<string, string> });
        meta.labels = { ...meta.labels, ...set.pairs };
      }
    }
  }
  if (typeof k.namespace === 'string') {
    for (const r of resources) {
      if (r.kind === 'Namespace') r.metadata.name = k.namespace;
      else if (!CLUSTER_SCOPED.has(r.kind)) r.metadata.namespace = k.namespace;
    }
  }
  for (const image of (k.images as { name: string; newName?: string; newTag?: string }[] | undefined) ?? []) {
    for (const container of resources.flatMap(containersOf)) {
      const [name, tag] = splitImage(container.image);
      if (name !== image.name) continue;
      container.image = `${image.newName ?? name}${image.newTag ? `:${image.newTag}` : tag ? `:${tag}` : ''}`;
    }
  }
  return resources;
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

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

// Strategic merge as far as k8s/ needs it: maps merge key by key, lists of named objects
// (containers, env, volumes, ports) merge by name, other lists are replaced.
function strategicMerge(target: Json, patch: Json): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith('$setElementOrder')) throw new Error(`patch directive ${key} is not supported`);
    const current = target[key];
    if (Array.isArray(value) && Array.isArray(current) && value.every(isNamed) && current.every(isNamed)) {
      for (const item of value) {
        const match = current.find((c) => c.name === item.name);
        if (match) strategicMerge(match, item);
        else current.push(item);
      }
    } else if (isObject(value) && isObject(current)) {
      strategicMerge(current, value);
    } else {
      target[key] = value;
    }
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNamed(value: unknown): value is Json & { name: string } {
  return isObject(value) && typeof value.name === 'string';
}
