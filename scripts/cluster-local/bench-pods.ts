// An Indexed Job's pods, as the Job controller creates them, for `podman kube play`: the pod
// template as rendered, one pod per completion index, named `<job>-<index>-<suffix>`, with the
// index in the `batch.kubernetes.io/job-completion-index` annotation and label, in
// JOB_COMPLETION_INDEX, and in the host name `<job>-<index>`. What changes for this machine is
// listed in `changes`: the in-cluster Ingress address becomes the local nginx (the pods share the
// host's network, where it listens on 127.0.0.1; the Job's Host header is kept), and optional
// shorter --warmup / --duration.
import { clone, type Container, type K8sObject, type Pod } from './manifests.ts';
import { randomSuffix } from './pod-names.ts';
import { podOwnVolumes, podTemplateOf } from './server-pods.ts';

const INDEX_KEY = 'batch.kubernetes.io/job-completion-index';

export interface BenchPodOptions {
  /** Pods in all (spec.completions, default the Job's own); SHARD_COUNT is set to match. */
  pods?: number;
  /** The local Ingress's port on 127.0.0.1; the Job's --url keeps its path and query. */
  ingressPort: number;
  /** Replaces the value after `--warmup` / `--duration` in the args (a bounded local run). */
  warmup?: string;
  duration?: string;
  /** ISO instant all pods start their load at (HISTOGRAM_START_AT, the client's --start-at). */
  startAt?: string;
}

export interface BenchPods {
  pods: Pod[];
  /** What differs from the rendered Job, one line each, for the run's log. */
  changes: string[];
}

/** The number of pods an Indexed Job runs. @throws when the Job is not Indexed. */
export function completionsOf(job: K8sObject): number {
  const spec = job.spec as { completionMode?: string; completions?: number; parallelism?: number };
  if (spec.completionMode !== 'Indexed') throw new Error(`Job ${job.metadata.name} is not Indexed: its pods have no completion index`);
  return spec.completions ?? spec.parallelism ?? 1;
}

/**
 * Kubernetes' expansion of `$(VAR)` in args from the container's environment (`$$` escapes a
 * `$`; an unknown reference stays as written). podman 4.3 passes args unexpanded.
 */
export function expandReferences(arg: string, env: Record<string, string>): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return '$';
    return env[name] ?? match;
  });
}

/** The environment Kubernetes would give `container` in `pod` (literal values and the fieldRefs to metadata it reads). */
function resolvedEnv(container: Container, pod: Pod): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    const path = (e.valueFrom as { fieldRef?: { fieldPath?: string } } | undefined)?.fieldRef?.fieldPath;
    if (path === 'metadata.name') env[e.name] = pod.metadata.name;
    const annotation = path && /^metadata\.annotations\['(.+)'\]$/.exec(path)?.[1];
    if (annotation) env[e.name] = pod.metadata.annotations[annotation] ?? '';
    const label = path && /^metadata\.labels\['(.+)'\]$/.exec(path)?.[1];
    if (label) env[e.name] = pod.metadata.labels[label] ?? '';
  }
  return env;
}

function setEnv(container: Container, name: string, value: string): void {
  container.env = [...(container.env ?? []).filter((e) => e.name !== name), { name, value }];
}

/**
 * The pods of Indexed Job `job` for one local run.
 * @throws when the Job is not Indexed, or its args carry no --url to point at the local Ingress.
 */
export function benchPods(job: K8sObject, o: BenchPodOptions): BenchPods {
  const template = podTemplateOf(job);
  const count = o.pods ?? completionsOf(job);
  const changes: string[] = [];
  if (o.pods !== undefined && o.pods !== completionsOf(job))
    changes.push(`completions and parallelism ${count} (SHARD_COUNT ${count}), not ${completionsOf(job)}`);
  const pods: Pod[] = [];
  for (let index = 0; index < count; index++) {
    const name = job.metadata.name;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${name}-${index}-${randomSuffix()}`,
        namespace: job.metadata.namespace,
        labels: { ...template.metadata?.labels, 'batch.kubernetes.io/job-name': name, 'job-name': name, [INDEX_KEY]: String(index) },
        annotations: { ...template.metadata?.annotations, [INDEX_KEY]: String(index) },
      },
      // The host's network: the Ingress (nginx) listens on the host's loopback only.
      spec: { ...clone(template.spec), hostname: `${name}-${index}`, hostNetwork: true },
    };
    for (const container of pod.spec.containers) {
      setEnv(container, 'JOB_COMPLETION_INDEX', String(index));
      if (o.pods !== undefined && container.env?.some((e) => e.name === 'SHARD_COUNT')) setEnv(container, 'SHARD_COUNT', String(count));
      if (o.startAt) setEnv(container, 'HISTOGRAM_START_AT', o.startAt);
      const env = resolvedEnv(container, pod);
      const args = (container.args ?? []).map((a) => expandReferences(a, env));
      const urlAt = args.indexOf('--url') + 1;
      if (urlAt === 0 || !args[urlAt]) throw new Error(`Job ${name}: container ${container.name} has no --url to point at the local Ingress`);
      // podman 4.3 ignores hostAliases in a host-network pod, so the address itself is rewritten.
      const url = new URL(args[urlAt]!);
      const inCluster = url.host;
      url.hostname = '127.0.0.1';
      url.port = String(o.ingressPort);
      args[urlAt] = url.href;
      if (index === 0) changes.push(`${container.name}: --url ${url.href}, the local Ingress, for ${inCluster} (the Job's Host header is kept)`);
      for (const [flag, value] of [
        ['--warmup', o.warmup],
        ['--duration', o.duration],
      ] as const) {
        const at = args.indexOf(flag) + 1;
        if (value !== undefined && at > 0) args[at] = value;
      }
      container.args = args;
      if (index === 0) {
        if (o.warmup !== undefined || o.duration !== undefined)
          changes.push(`${container.name}: --warmup ${o.warmup ?? 'as written'}, --duration ${o.duration ?? 'as written'}`);
        if (o.startAt) changes.push(`${container.name}: HISTOGRAM_START_AT=${o.startAt} (a common --start-at, so the pods start together)`);
        changes.push(`${container.name}: $(VAR) references in args expanded here (podman 4.3 passes them as written)`);
      }
    }
    podOwnVolumes(pod.spec, pod.metadata.name);
    pods.push(pod);
  }
  changes.push('pods share the host network namespace (hostNetwork): the Ingress listens on 127.0.0.1 only');
  return { pods, changes };
}
