// The bench Job played: its pods (bench-pods.ts) started together with `podman kube play`, waited
// for up to the Job's activeDeadlineSeconds, their output collected as `kubectl logs` would give
// it, and merged by the client image's `report`.
import { join } from 'node:path';
import { stringify } from 'yaml';
import { benchPods, type BenchPodOptions } from './bench-pods.ts';
import type { K8sObject, Pod } from './manifests.ts';
import { kubePlay, type Podman, podman, podmanAsync, podmanOk, removePod } from './podman.ts';
import { podTemplateOf } from './server-pods.ts';

/** The bench pods played and not yet removed, for a cleanup on SIGINT or SIGTERM. */
export const benchPodsInPlay = new Set<Pod>();

export interface BenchJobResult {
  /** Every pod's output, concatenated (what `kubectl logs -l job-name=...` prints). */
  logs: string;
  /** Names of the pods that did not exit 0. */
  failed: string[];
  /** What differs from the rendered Job. */
  changes: string[];
}

/**
 * Plays every pod of Indexed Job `job` and waits for all (each at most the Job's
 * activeDeadlineSeconds, default 600, after which it is stopped and counts as failed).
 * @throws when a pod cannot be played.
 */
export async function runBenchJob(p: Podman, job: K8sObject, workDir: string, o: BenchPodOptions): Promise<BenchJobResult> {
  const { pods, changes } = benchPods(job, o);
  const deadline = ((job.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds ?? 600) * 1000;
  const names = pods.map((pod) => pod.metadata.name);
  try {
    for (const pod of pods) {
      benchPodsInPlay.add(pod);
      kubePlay(p, join(workDir, `${pod.metadata.name}.yaml`), stringify(pod));
    }
    const containers = pods.map((pod) => `${pod.metadata.name}-${pod.spec.containers[0]!.name}`);
    const codes = await Promise.all(
      containers.map((c) =>
        podmanAsync(p, ['wait', c], deadline).then(
          (out) => out.trim(),
          () => 'deadline',
        ),
      ),
    );
    let logs = '';
    const failed: string[] = [];
    containers.forEach((c, i) => {
      const run = podman(p, ['logs', c]);
      logs += run.stdout + run.stderr;
      if (codes[i] !== '0') failed.push(`${names[i]} (exit ${codes[i]}):\n${(run.stdout + run.stderr).split('\n').slice(-15).join('\n')}`);
    });
    return { logs, failed, changes };
  } finally {
    for (const pod of pods) {
      removePod(p, pod);
      benchPodsInPlay.delete(pod);
    }
  }
}

/** The image the Job's pods run (the client, whose `report` merges their lines). */
export function jobImage(job: K8sObject): string {
  return podTemplateOf(job).spec.containers[0]!.image;
}

/** `podman run` flags for a one-off client command: no network, read-only, the image's user. */
function clientFlags(p: Podman): string[] {
  return ['--rm', '--network', 'none', '--read-only', '--tmpfs', '/tmp:rw,size=64m,mode=1777', '--cap-drop', 'ALL', ...p.ulimits];
}

/** The client image's `report -` over `logs`; returns its output. @throws when report fails. */
export function mergeReport(p: Podman, image: string, logs: string): string {
  return podmanOk(p, ['run', '-i', ...clientFlags(p), image, 'report', '-'], logs);
}

/** The client image's `report --compare A B` over two saved logs in `dir`. @throws when report fails. */
export function compareReport(p: Podman, image: string, dir: string, a: string, b: string): string {
  return podmanOk(p, ['run', ...clientFlags(p), '-v', `${dir}:/results:ro`, image, 'report', '--compare', `/results/${a}`, `/results/${b}`]);
}
