// podman for the local cluster: the command and flags scripts/container-lib.sh gives this machine,
// and the host set-up `podman kube play` needs, done here rather than by hand: a containers.conf
// whose default_ulimits stay within the host's hard limits (kube play has no --ulimit, and runc
// refuses a container whose limits exceed them), pointed at by CONTAINERS_CONF; and catatonit,
// the init process of podman's own pause image, which every played pod's infra container runs.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pod } from './manifests.ts';

export const repo = fileURLToPath(new URL('../..', import.meta.url));

export interface Podman {
  /** podman and its global flags (--runtime runc --cgroup-manager cgroupfs). */
  command: string[];
  /** Environment for every podman call: CONTAINERS_CONF set. */
  env: NodeJS.ProcessEnv;
  /** --ulimit flags for `podman run`, the same limits as containers.conf's default_ulimits. */
  ulimits: string[];
}

/** Why podman cannot play pods here, or undefined when it can. */
export function podmanUnavailable(): string | undefined {
  const probe = spawnSync('bash', ['-c', 'source scripts/container-lib.sh && HISTOGRAM_ENGINE=podman detect_engine'], { cwd: repo, encoding: 'utf8' });
  if (probe.status !== 0) return `${probe.stderr.trim() || 'podman does not work'} (the local cluster plays pods with podman kube play)`;
  if (!['/usr/bin/catatonit', '/usr/libexec/podman/catatonit'].some(existsSync))
    return 'catatonit is not installed (apt-get install catatonit): podman kube play runs it in every pod';
  return undefined;
}

/**
 * podman with this machine's flags and a containers.conf written into `confDir` (default
 * $HISTOGRAM_IMAGE_CACHE or ~/.cache/histogram-images); rewriting it is harmless, so every run does.
 * @throws when podman or catatonit is missing (the message says which).
 */
export function preparePodman(
  confDir = process.env.HISTOGRAM_IMAGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'histogram-images'),
): Podman {
  const why = podmanUnavailable();
  if (why) throw new Error(why);
  const script =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${...} expansions
    'source scripts/container-lib.sh && HISTOGRAM_ENGINE=podman detect_engine && set_ulimit_args && printf "%s\\n" "${ENGINE_CMD[@]}" -- "${ULIMIT_ARGS[@]}"';
  const probe = spawnSync('bash', ['-c', script], { cwd: repo, encoding: 'utf8' });
  const lines = probe.stdout.trim().split('\n');
  const split = lines.indexOf('--');
  const command = lines.slice(0, split);
  const ulimits = lines.slice(split + 1);
  const limits = ulimits.filter((_, i) => i % 2 === 1);
  mkdirSync(confDir, { recursive: true });
  const conf = join(confDir, 'containers.conf');
  const text = `# Written by scripts/cluster-local/podman.ts for podman kube play: limits within this host's hard limits.\n[containers]\ndefault_ulimits = [${limits.map((l) => JSON.stringify(l)).join(', ')}]\n`;
  if (!existsSync(conf) || readFileSync(conf, 'utf8') !== text) writeFileSync(conf, text);
  return { command, ulimits, env: { ...process.env, CONTAINERS_CONF: conf } };
}

/** Runs podman synchronously; stdout, stderr and the exit status. */
export function podman(p: Podman, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const [bin, ...global] = p.command;
  const run = spawnSync(bin!, [...global, ...args], { env: p.env, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? run.error?.message ?? '' };
}

/** Like podman(), but throws with podman's stderr unless it exits 0; returns stdout. */
export function podmanOk(p: Podman, args: string[], input?: string): string {
  const run = podman(p, args, input);
  if (run.status !== 0) throw new Error(`podman ${args.join(' ')} exited with ${run.status}:\n${run.stderr}${run.stdout}`);
  return run.stdout;
}

/** podman without blocking the event loop (pod stops wait out a grace period). @throws unless it exits 0. */
export function podmanAsync(p: Podman, args: string[], timeoutMs = 120_000): Promise<string> {
  const [bin, ...global] = p.command;
  return new Promise((resolve, reject) => {
    execFile(bin!, [...global, ...args], { env: p.env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`podman ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Writes `yaml` to `file` and plays it (`podman kube play`); returns podman's output. @throws when the play fails. */
export function kubePlay(p: Podman, file: string, yaml: string, extra: string[] = []): string {
  writeFileSync(file, yaml);
  return podmanOk(p, ['kube', 'play', ...extra, file]);
}

/** Removes a played pod at once (SIGKILL) and the volumes it was played with (podman keeps them otherwise). */
export function removePod(p: Podman, pod: Pod): void {
  podman(p, ['pod', 'rm', '-f', '-t', '0', pod.metadata.name]);
  const volumes = ((pod.spec.volumes ?? []) as { name: string }[]).map((v) => v.name);
  if (volumes.length > 0) podman(p, ['volume', 'rm', '-f', ...volumes]);
}
