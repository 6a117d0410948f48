// The kubelet's probes for one played pod, run from the host against the pod's published port
// with the timings of its spec (initialDelaySeconds, periodSeconds, timeoutSeconds,
// failureThreshold, successThreshold and Kubernetes' defaults for each). podman 4.3 turns only
// liveness into a healthcheck, as a `curl` run inside the container (the images have no curl) on
// a systemd timer (none here), and has no notion of readiness; so the probes are run here: the
// startup probe gates the others, readiness decides whether the pod is an endpoint, and liveness
// (or the startup probe) failing its threshold restarts the container, as the kubelet does.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Container, HttpProbe, Pod } from './manifests.ts';

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

export interface ProbeEvents {
  /** Readiness changed (the endpoints follow it). */
  onReady(ready: boolean): void;
  /** A startup or liveness probe failed failureThreshold times in a row: restart the container. */
  onFailed(kind: ProbeKind, container: Container): Promise<void> | void;
  log?(line: string): void;
}

/** The URL a probe of `container` in `pod` gets, through the port the pod publishes on 127.0.0.1. @throws on a non-HTTP probe or an unpublished port. */
export function probeUrl(pod: Pod, container: Container, probe: HttpProbe): string {
  if (!probe.httpGet) throw new Error(`${pod.metadata.name}/${container.name}: only httpGet probes are played`);
  const { port, path = '/', scheme = 'HTTP' } = probe.httpGet;
  const cp = container.ports?.find((p) => (typeof port === 'string' ? p.name === port : p.containerPort === port));
  if (!cp?.hostPort) throw new Error(`${pod.metadata.name}/${container.name}: probe port ${port} is not a published container port`);
  return `${scheme.toLowerCase()}://${cp.hostIP ?? '127.0.0.1'}:${cp.hostPort}${path}`;
}

/** One HTTP probe: success is a status from 200 to 399 within the timeout, as the kubelet counts it. */
async function probeOnce(url: string, timeoutSeconds: number): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000), redirect: 'manual' });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

/** Probes every container of a played pod until stop() is called. */
export class PodProber {
  #stopped = new AbortController();
  #life = new AbortController();
  #ready = false;
  readonly #pod: Pod;
  readonly #events: ProbeEvents;

  constructor(pod: Pod, events: ProbeEvents) {
    this.#pod = pod;
    this.#events = events;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Starts the probe loops (the pod's first container with probes; the server pod has one). */
  start(): void {
    const container = this.#pod.spec.containers.find((c) => c.readinessProbe || c.livenessProbe || c.startupProbe);
    if (!container) {
      this.#setReady(true);
      return;
    }
    void this.#run(container);
  }

  /**
   * The container died (podman restarts it): not ready at once, as the kubelet marks a container
   * that is not running, and the probes start over with the startup probe.
   */
  containerRestarted(): void {
    this.#setReady(false);
    this.#life.abort();
  }

  /** Stops probing; the pod is no longer ready (it is being deleted: the caller updates the endpoints). */
  stop(): void {
    this.#stopped.abort();
    this.#ready = false;
  }

  #setReady(ready: boolean): void {
    if (ready === this.#ready) return;
    this.#ready = ready;
    this.#events.onReady(ready);
  }

  async #sleep(seconds: number, signal: AbortSignal): Promise<boolean> {
    try {
      await sleep(seconds * 1000, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  }

  async #run(container: Container): Promise<void> {
    while (!this.#stopped.signal.aborted) {
      // One life of the container: its probes stop together when it is restarted.
      const restart = new AbortController();
      this.#life = restart;
      const signal = AbortSignal.any([this.#stopped.signal, restart.signal]);
      if (container.startupProbe && !(await this.#loop('startup', container, container.startupProbe, signal))) {
        if (signal.aborted) return;
        await this.#events.onFailed('startup', container);
        continue;
      }
      const readiness = container.readinessProbe ? this.#loop('readiness', container, container.readinessProbe, signal) : undefined;
      if (!readiness) this.#setReady(true);
      const liveness = container.livenessProbe ? this.#loop('liveness', container, container.livenessProbe, signal) : readiness;
      const alive = await liveness;
      restart.abort();
      if (this.#stopped.signal.aborted) return;
      if (!alive) {
        this.#setReady(false);
        await this.#events.onFailed('liveness', container);
      }
    }
  }

  /**
   * One probe's loop. Startup: resolves true at its first success. Liveness: resolves false after
   * failureThreshold failures in a row. Readiness: sets the pod's readiness, never resolves by itself.
   * All resolve (true) when `signal` aborts.
   */
  async #loop(kind: ProbeKind, container: Container, probe: HttpProbe, signal: AbortSignal): Promise<boolean> {
    const url = probeUrl(this.#pod, container, probe);
    const period = probe.periodSeconds ?? 10;
    const timeout = probe.timeoutSeconds ?? 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    const successThreshold = probe.successThreshold ?? 1;
    let failures = 0;
    let successes = 0;
    if (!(await this.#sleep(probe.initialDelaySeconds ?? 0, signal))) return true;
    for (;;) {
      const ok = await probeOnce(url, timeout);
      if (signal.aborted) return true;
      failures = ok ? 0 : failures + 1;
      successes = ok ? successes + 1 : 0;
      if (kind === 'startup' && ok) return true;
      if (kind === 'readiness') {
        if (successes >= successThreshold) this.#setReady(true);
        if (failures >= failureThreshold) this.#setReady(false);
      } else if (failures >= failureThreshold) {
        this.#events.log?.(`${this.#pod.metadata.name}: ${kind} probe ${url} failed ${failures} times: restarting ${container.name}`);
        return false;
      }
      if (!(await this.#sleep(period, signal))) return true;
    }
  }
}
