// The container engine for the container tests: which one to use, with the flags this machine
// needs, both taken from scripts/container-lib.sh so the tests run containers exactly as the
// scripts do; the images built once (scripts/build-images.sh); and a server container on
// loopback for the tests to talk to.
import { execFile, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/free-port.ts';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const SERVER_IMAGE = process.env.SERVER_IMAGE ?? 'histogram-server:dev';
export const CLIENT_IMAGE = process.env.CLIENT_IMAGE ?? 'histogram-client:dev';

export interface Engine {
  name: 'docker' | 'podman';
  /** The command and its global flags, e.g. podman --runtime runc --cgroup-manager cgroupfs. */
  command: string[];
  /** --ulimit flags for `run` (podman only). */
  ulimits: string[];
}

/** The engine scripts/container-lib.sh picks, or the reason there is none (for `skip`). */
export function detectEngine(): Engine | { skip: string } {
  const probe = spawnSync(
    'bash',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${...} expansions
    ['-c', 'source scripts/container-lib.sh && detect_engine && set_ulimit_args && echo "$ENGINE" && printf "%s\\n" "${ENGINE_CMD[@]}" -- "${ULIMIT_ARGS[@]}"'],
    { cwd: repo, encoding: 'utf8' },
  );
  if (probe.status !== 0) return { skip: probe.stderr.trim() || `no container engine (exit ${probe.status})` };
  const [name, ...rest] = probe.stdout.trim().split('\n');
  const split = rest.indexOf('--');
  return { name: name as Engine['name'], command: rest.slice(0, split), ulimits: rest.slice(split + 1) };
}

/**
 * For a test file: the engine and `skip: false`, or, where none works, `skip` with the reason
 * (`e` is then never used: every test is skipped).
 */
export function engineOrSkip(): { e: Engine; skip: string | false } {
  const detected = detectEngine();
  return 'skip' in detected ? { e: { name: 'podman', command: [], ulimits: [] }, skip: detected.skip } : { e: detected, skip: false };
}

/** Runs the engine synchronously with `args`; stdout, stderr and the exit status. */
export function engine(e: Engine, args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  const [bin, ...global] = e.command;
  const run = spawnSync(bin!, [...global, ...args], { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Like engine(), but throws with the engine's stderr unless it exits 0; returns stdout. */
export function engineOk(e: Engine, args: string[], input?: string | Buffer): string {
  const run = engine(e, args, input);
  if (run.status !== 0) throw new Error(`${e.name} ${args.join(' ')} exited with ${run.status}:\n${run.stderr}${run.stdout}`);
  return run.stdout;
}

/**
 * Runs the engine without blocking the event loop (for `wait`): a test blocked in spawnSync
 * would leave its kept-alive connections unanswered, and a draining server waits for them.
 * @throws when the engine exits non-zero; resolves to stdout.
 */
export function engineAsync(e: Engine, args: string[], timeoutMs = 120_000): Promise<string> {
  const [bin, ...global] = e.command;
  return new Promise((resolve, reject) => {
    execFile(bin!, [...global, ...args], { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${e.name} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * `run` flags of a hardened pod: host network (everything on 127.0.0.1), read-only root with
 * only /tmp writable, all capabilities dropped, the ulimits of this machine. No --user: the
 * image's own USER is what is under test.
 */
export function podFlags(e: Engine): string[] {
  return [
    '--network',
    'host',
    '--read-only',
    '--tmpfs',
    '/tmp:rw,size=256m,mode=1777',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    ...e.ulimits,
  ];
}

/**
 * Builds both images with scripts/build-images.sh, once per run: the suite's runner builds them
 * first and sets HISTOGRAM_IMAGES_BUILT=1, so a test file run on its own builds them itself.
 * @throws when the build fails (its output is on stderr).
 */
export function ensureImages(): void {
  if (process.env.HISTOGRAM_IMAGES_BUILT === '1') return;
  const build = spawnSync('bash', ['scripts/build-images.sh'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'], timeout: 1_800_000 });
  if (build.status !== 0) throw new Error(`scripts/build-images.sh exited with ${build.status}`);
  process.env.HISTOGRAM_IMAGES_BUILT = '1';
}

export interface ServerContainer {
  name: string;
  url: string;
  /** Removes the container whatever its state. */
  remove(): void;
}

/**
 * Starts the server image detached on 127.0.0.1 and a free port, as the Deployment runs it
 * (CPU limit 1, memory 1 GiB, read-only); resolves once /readyz answers 200.
 * @throws when it is not ready within `timeoutMs` (default 60 s), with its logs.
 */
export async function startServerContainer(e: Engine, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServerContainer> {
  const port = await freePort();
  const name = `histogram-test-${process.pid}-${port}`;
  const envFlags = Object.entries({ HOST: '127.0.0.1', PORT: String(port), POD_NAME: name, CONCURRENCY: '1', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  engineOk(e, ['run', '-d', '--name', name, ...podFlags(e), '--cpus', '1', '--memory', '1g', ...envFlags, SERVER_IMAGE]);
  const server = {
    name,
    url: `http://127.0.0.1:${port}`,
    remove: () => {
      // SIGKILL first: `rm -f` alone would wait out the server's shutdown delay.
      engine(e, ['kill', name]);
      engine(e, ['rm', '-f', name]);
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${server.url}/readyz`).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status;
      },
      () => 0,
    );
    if (status === 200) return server;
    if (Date.now() > deadline) {
      const logs = engine(e, ['logs', name]);
      server.remove();
      throw new Error(`the server container was not ready in ${timeoutMs} ms:\n${logs.stdout}${logs.stderr}`);
    }
    await sleep(200);
  }
}
