// The server side of the rendered manifests on one machine: the Deployment's pods played with
// `podman kube play` (each in its own network namespace, its port published on 127.0.0.1), the
// kubelet's probes run against them, and nginx configured from the Ingress and the Service with
// the ready pods as endpoints, rewritten and reloaded whenever readiness changes. Deleting a pod
// does what `kubectl delete pod` does: out of the endpoints at once, SIGTERM, SIGKILL after
// terminationGracePeriodSeconds, and the ReplicaSet's successor started.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { freePort } from './free-port.ts';
import { nginxConfig } from './ingress-config.ts';
import { type K8sObject, type Pod, selects } from './manifests.ts';
import { NginxProcess } from './nginx-process.ts';
import { PodProber } from './pod-prober.ts';
import { kubePlay, type Podman, podman, podmanAsync, removePod } from './podman.ts';
import { containerPorts, podTemplateOf, serverPod } from './server-pods.ts';
import { writeFileSync } from 'node:fs';

interface PlayedPod {
  pod: Pod;
  prober: PodProber;
  terminating: boolean;
}

export interface LocalClusterOptions {
  objects: readonly K8sObject[];
  podman: Podman;
  /** Folder for the played YAML, nginx's configuration, pid and logs. */
  workDir: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** The Ingress, its backend Service and the Deployment that Service selects. @throws when one is missing. */
export function servedWorkload(objects: readonly K8sObject[]): { ingress: K8sObject; service: K8sObject; deployment: K8sObject } {
  const ingress = objects.find((o) => o.kind === 'Ingress');
  if (!ingress) throw new Error('the rendered manifests have no Ingress');
  const rules = (ingress.spec as { rules?: { http?: { paths: { backend: { service?: { name: string } } }[] } }[] }).rules ?? [];
  const serviceName = rules.flatMap((r) => r.http?.paths ?? []).find((p) => p.backend.service)?.backend.service?.name;
  const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === serviceName);
  if (!service) throw new Error(`the Ingress's backend Service ${serviceName} is not in the rendered manifests`);
  const selector = (service.spec as { selector?: Record<string, string> }).selector;
  const deployment = objects.find((o) => o.kind === 'Deployment' && selects(selector, podTemplateOf(o).metadata?.labels));
  if (!deployment) throw new Error(`no Deployment's pods match Service ${service.metadata.name}'s selector`);
  return { ingress, service, deployment };
}

export class LocalCluster {
  readonly ingress: K8sObject;
  readonly service: K8sObject;
  readonly deployment: K8sObject;
  /** Where nginx listens on 127.0.0.1 (set by start()). */
  port = 0;
  readonly #o: LocalClusterOptions;
  readonly #pods = new Map<string, PlayedPod>();
  readonly #nginx: NginxProcess;
  readonly #log: (line: string) => void;
  #events: ChildProcess | undefined;

  constructor(o: LocalClusterOptions) {
    this.#o = o;
    this.#log = o.log ?? ((line) => process.stderr.write(`${line}\n`));
    ({ ingress: this.ingress, service: this.service, deployment: this.deployment } = servedWorkload(o.objects));
    this.#nginx = new NginxProcess(o.workDir);
  }

  /** The Ingress host of the first rule (what clients send as Host). */
  get host(): string {
    return (this.ingress.spec as { rules?: { host?: string }[] }).rules?.[0]?.host ?? 'localhost';
  }

  /** Pod name → ready, for the pods not being deleted. */
  endpoints(): { name: string; ready: boolean }[] {
    return [...this.#pods.values()].filter((p) => !p.terminating).map((p) => ({ name: p.pod.metadata.name, ready: p.prober.ready }));
  }

  /** The pod as played (its spec with the published host ports). @throws for an unknown name. */
  pod(name: string): Pod {
    const played = this.#pods.get(name);
    if (!played) throw new Error(`no played pod ${name}`);
    return played.pod;
  }

  /** Starts nginx on a free port, with no endpoints yet (every request 503), and follows podman's container deaths. */
  async start(): Promise<void> {
    this.port = await freePort();
    this.#writeConfig();
    await this.#nginx.start();
    this.#watchDeaths();
  }

  // A container that dies (killed over its memory limit, crashed) is restarted by podman under
  // restartPolicy Always; the kubelet would take its pod out of the endpoints at once, so the
  // prober is told rather than left to notice through failed readiness probes.
  #watchDeaths(): void {
    const [bin, ...global] = this.#o.podman.command;
    const events = spawn(bin!, [...global, 'events', '--filter', 'event=died', '--format', '{{.Name}} {{.ContainerExitCode}}'], {
      env: this.#o.podman.env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.#events = events;
    createInterface({ input: events.stdout! }).on('line', (line) => {
      const [container, code] = line.split(' ');
      for (const [name, played] of this.#pods) {
        if (played.terminating || !played.pod.spec.containers.some((c) => `${name}-${c.name}` === container)) continue;
        this.#log(`   ${name}: container ${container} died (exit ${code}): out of the endpoints until its probes pass again`);
        played.prober.containerRestarted();
      }
    });
  }

  #terminationGrace(): number {
    return podTemplateOf(this.deployment).spec.terminationGracePeriodSeconds ?? 30;
  }

  #writeConfig(): void {
    const pods = [...this.#pods.values()].map((p) => ({ pod: p.pod, ready: p.prober.ready && !p.terminating }));
    const text = nginxConfig({ ingress: this.ingress, services: [this.service], pods, port: this.port, workDir: this.#o.workDir });
    writeFileSync(join(this.#o.workDir, 'nginx.conf'), text);
  }

  #endpointsChanged(): void {
    this.#writeConfig();
    this.#nginx.reload();
  }

  /** Plays one more pod of the Deployment; resolves with its name (not waiting for readiness). */
  async addPod(): Promise<string> {
    const ports = await Promise.all(containerPorts(podTemplateOf(this.deployment)).map(() => freePort()));
    const pod = serverPod(this.deployment, ports);
    const name = pod.metadata.name;
    // The ConfigMaps travel with the pod: podman resolves envFrom/configMapKeyRef from the same file.
    const docs = [...this.#o.objects.filter((o) => o.kind === 'ConfigMap'), pod].map((d) => stringify(d)).join('---\n');
    kubePlay(this.#o.podman, join(this.#o.workDir, `${name}.yaml`), docs);
    const prober = new PodProber(pod, {
      onReady: (ready) => {
        this.#log(`   ${name} ${ready ? 'ready' : 'not ready'}: ${ready ? 'added to' : 'removed from'} the endpoints`);
        this.#endpointsChanged();
      },
      onFailed: async (kind, container) => {
        this.#log(`   ${name}: ${kind} probe failed: restarting container ${container.name}, as the kubelet does`);
        await podmanAsync(this.#o.podman, ['restart', '-t', String(this.#terminationGrace()), `${name}-${container.name}`]).catch((e: Error) =>
          this.#log(e.message),
        );
      },
      log: this.#log,
    });
    this.#pods.set(name, { pod, prober, terminating: false });
    prober.start();
    this.#log(`   ${name} played (port ${ports.join(', ')} on 127.0.0.1)`);
    return name;
  }

  /** Plays pods until `replicas` are up and waits for all to be ready. @throws after `timeoutMs` (default 120 s). */
  async scaleTo(replicas: number, timeoutMs = 120_000): Promise<void> {
    while (this.endpoints().length < replicas) await this.addPod();
    await this.waitReady(replicas, timeoutMs);
  }

  /** Waits until `count` pods are ready. @throws after `timeoutMs`, with the pods' logs. */
  async waitReady(count: number, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.endpoints().filter((e) => e.ready).length < count) {
      if (Date.now() > deadline) {
        const logs = this.endpoints().map((e) => `${e.name}:\n${podman(this.#o.podman, ['pod', 'logs', '--tail', '20', e.name]).stdout}`);
        throw new Error(`${count} pod(s) of ${this.deployment.metadata.name} were not ready in ${timeoutMs} ms\n${logs.join('\n')}`);
      }
      await sleep(200);
    }
    // Let nginx's new workers replace the old ones before traffic relies on the new list.
    await sleep(500);
  }

  /**
   * `kubectl delete pod NAME` with the Deployment's ReplicaSet behind it: the pod leaves the
   * endpoints at once, gets SIGTERM and, after terminationGracePeriodSeconds, SIGKILL; a
   * successor is played at the same moment. Resolves with the successor's name once it is ready
   * and the old pod is gone.
   */
  async replacePod(name: string): Promise<string> {
    const played = this.#pods.get(name);
    if (!played) throw new Error(`no played pod ${name}`);
    played.terminating = true;
    played.prober.stop();
    this.#log(`   ${name} terminating: removed from the endpoints, SIGTERM, ${this.#terminationGrace()} s grace`);
    this.#endpointsChanged();
    const ready = this.endpoints().filter((e) => e.ready).length;
    const stopped = podmanAsync(this.#o.podman, ['pod', 'stop', '-t', String(this.#terminationGrace()), name], (this.#terminationGrace() + 30) * 1000);
    const successor = await this.addPod();
    await this.waitReady(ready + 1);
    await stopped;
    removePod(this.#o.podman, played.pod);
    this.#pods.delete(name);
    return successor;
  }

  /** Removes every played pod at once (SIGKILL) and stops nginx. Safe to call twice. */
  async stop(): Promise<void> {
    const played = [...this.#pods.values()];
    this.#pods.clear();
    for (const p of played) {
      p.prober.stop();
      removePod(this.#o.podman, p.pod);
    }
    this.#events?.kill();
    await this.#nginx.stop();
  }
}
