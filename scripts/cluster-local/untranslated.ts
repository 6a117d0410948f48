// What the local run leaves out of the rendered manifests or plays differently, one line each,
// printed when it starts: objects that are not played, and the fields of the played ones that
// podman or this translation does not honour. Read from the rendered objects, so a field added to
// k8s/ shows up here.
import { untranslatedAnnotations } from './ingress-config.ts';
import type { K8sObject } from './manifests.ts';
import { podTemplateOf } from './server-pods.ts';

// Why each kind that is not played is left out.
const NOT_PLAYED: Record<string, string> = {
  Namespace: 'podman has no namespaces: the pods share its one space',
  HorizontalPodAutoscaler: 'no metrics-server: the replica counts come from --replicas',
  PodDisruptionBudget: 'nothing evicts pods here (a deletion is replaced at once, one at a time)',
};

function has(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function podFields(owner: string, workload: K8sObject): string[] {
  const spec = podTemplateOf(workload).spec;
  const out: string[] = [];
  if (has(spec.topologySpreadConstraints) || has(spec.affinity)) out.push(`${owner}: topologySpreadConstraints/affinity: one node`);
  const sc = spec.securityContext as { fsGroup?: number; seccompProfile?: unknown } | undefined;
  if (sc?.seccompProfile) out.push(`${owner}: seccompProfile: podman's default seccomp profile applies (RuntimeDefault is the runtime's default too)`);
  if (sc?.fsGroup !== undefined) out.push(`${owner}: fsGroup: not applied to emptyDir volumes`);
  if (spec.automountServiceAccountToken === false || spec.enableServiceLinks === false)
    out.push(`${owner}: no service account token and no service links here anyway`);
  for (const v of (spec.volumes as { name: string; emptyDir?: { sizeLimit?: string } }[] | undefined) ?? []) {
    if (v.emptyDir?.sizeLimit) out.push(`${owner}: emptyDir ${v.name} sizeLimit ${v.emptyDir.sizeLimit}: a podman volume without a size limit`);
  }
  for (const c of spec.containers) {
    if (c.resources?.requests?.cpu)
      out.push(`${owner}/${c.name}: requests.cpu ${c.resources.requests.cpu}: no scheduler (the limit is enforced as a CFS quota)`);
    if (c.resources?.requests?.memory) out.push(`${owner}/${c.name}: requests.memory ${c.resources.requests.memory}: a soft reservation, no scheduling`);
    if (c.lifecycle?.preStop) out.push(`${owner}/${c.name}: lifecycle.preStop: not run by podman 4.3`);
    if (c.startupProbe || c.livenessProbe || c.readinessProbe)
      out.push(`${owner}/${c.name}: probes run from the host by this script (podman 4.3 would run liveness as curl inside the image, on a systemd timer)`);
  }
  return out;
}

/**
 * Lines saying what of `objects` is not played or played differently, given the objects that
 * are played (`played`: the Deployment, its Service, the Ingress, the bench Job, the ConfigMaps).
 */
export function untranslated(objects: readonly K8sObject[], played: readonly K8sObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (played.includes(o)) continue;
    const reason = NOT_PLAYED[o.kind] ?? (o.kind === 'Job' ? 'only the bench Job is played' : 'not played');
    out.push(`${o.kind} ${o.metadata.name}: ${reason}`);
  }
  for (const o of played) {
    const spec = (o.spec ?? {}) as Record<string, unknown>;
    const id = `${o.kind} ${o.metadata.name}`;
    if (o.kind === 'Deployment') {
      if (has(spec.replicas)) out.push(`${id}: replicas ${spec.replicas}: the counts come from --replicas`);
      out.push(`${id}: strategy: a replaced pod's successor is played as it leaves (maxSurge 1); no rollout of a changed template`);
      if (has(spec.revisionHistoryLimit)) out.push(`${id}: revisionHistoryLimit: no ReplicaSets here`);
      out.push(...podFields(id, o));
    }
    if (o.kind === 'Job') {
      if (has(spec.backoffLimit)) out.push(`${id}: backoffLimit ${spec.backoffLimit}: a failed pod is never retried here`);
      if (has(spec.activeDeadlineSeconds))
        out.push(`${id}: activeDeadlineSeconds ${spec.activeDeadlineSeconds}: enforced by this script (pods stopped after it)`);
      out.push(...podFields(id, o));
    }
    if (o.kind === 'Service') out.push(`${id}: no cluster IP or kube-proxy: nginx's upstream is the ready pods' published ports`);
    if (o.kind === 'Ingress') {
      const cls = (spec as { ingressClassName?: string }).ingressClassName;
      if (cls) out.push(`${id}: ingressClassName ${cls}: Debian's nginx on 127.0.0.1 plays the controller`);
      for (const a of untranslatedAnnotations(o)) out.push(`${id}: annotation ${a}: not translated`);
    }
  }
  return out;
}
