// A Deployment's pods, as its ReplicaSet creates them, for `podman kube play`: the pod template
// as rendered, named `<deployment>-<pod-template-hash>-<suffix>` and labelled with the hash. The
// changes to the template are where its ports are reachable (each container port is published on
// 127.0.0.1 at a host port chosen at run time, as podman publishes only ports with a hostPort;
// the pod keeps its own network namespace) and its volumes' names (podOwnVolumes).
import { type Container, clone, type K8sObject, type Pod, type PodSpec, type PodTemplate } from './manifests.ts';
import { podTemplateHash, randomSuffix } from './pod-names.ts';

/** The pod template of a Deployment or a Job. @throws when the object has none. */
export function podTemplateOf(workload: K8sObject): PodTemplate {
  const template = (workload.spec as { template?: PodTemplate } | undefined)?.template;
  if (!template?.spec?.containers?.length) throw new Error(`${workload.kind} ${workload.metadata.name} has no pod template with containers`);
  return template;
}

/**
 * Gives each volume of `spec` a name of its own pod (`<pod>-<volume>`), in its mounts too:
 * podman 4.3 plays an emptyDir as a podman volume named after the volume, which every pod with
 * a volume of that name would share; in Kubernetes an emptyDir belongs to one pod.
 */
export function podOwnVolumes(spec: PodSpec, podName: string): void {
  const volumes = (spec.volumes ?? []) as { name: string }[];
  const renamed = new Map(volumes.map((v) => [v.name, `${podName}-${v.name}`]));
  for (const v of volumes) v.name = renamed.get(v.name)!;
  for (const c of [...spec.containers, ...((spec.initContainers ?? []) as Container[])]) {
    for (const m of (c.volumeMounts ?? []) as { name: string }[]) m.name = renamed.get(m.name) ?? m.name;
  }
}

/** Every container port of a pod template, in order: the ports a played pod publishes. */
export function containerPorts(template: PodTemplate): { container: string; name?: string; containerPort: number }[] {
  return template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => ({ container: c.name, name: p.name, containerPort: p.containerPort })));
}

/**
 * One pod of `deployment`, publishing its container ports (in the order of containerPorts())
 * on 127.0.0.1 at `hostPorts`.
 * @throws when the number of host ports differs from the number of container ports.
 */
export function serverPod(deployment: K8sObject, hostPorts: readonly number[]): Pod {
  const template = podTemplateOf(deployment);
  const ports = containerPorts(template);
  if (ports.length !== hostPorts.length)
    throw new Error(`expected ${ports.length} host ports for ${deployment.metadata.name} but received ${hostPorts.length}`);
  const hash = podTemplateHash(template);
  const spec = clone(template.spec);
  let next = 0;
  for (const container of spec.containers) {
    for (const port of container.ports ?? []) {
      port.hostPort = hostPorts[next++]!;
      port.hostIP = '127.0.0.1';
    }
  }
  const name = `${deployment.metadata.name}-${hash}-${randomSuffix()}`;
  podOwnVolumes(spec, name);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: deployment.metadata.namespace,
      labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
      annotations: { ...template.metadata?.annotations },
    },
    spec: { restartPolicy: 'Always', ...spec },
  };
}
