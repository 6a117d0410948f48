// Child processes of the benchmark suite: servers (this checkout's, a baseline checkout's, the
// old Python service), the HTTP-floor server and decode-only runs, each pinned with taskset to
// the CPUs the load generator does not use.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What to start: `command args` in `cwd`, pinned to `cpus` (null: not pinned). */
export interface ChildSpec {
  name: string;
  cpus: string | null;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  url: string;
  /** The admin listener (probes, metrics) when the server announced one, else null. */
  adminUrl: string | null;
  /** How it was started, as a command line. */
  command: string;
  /** The fields of its "listening" line (versions, settings). */
  info: Record<string, unknown>;
  /** SIGTERM, then SIGKILL after 30 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL at once (ends a load that would otherwise drain for minutes). */
  kill(): Promise<void>;
}

/** `[command, args]` with the taskset prefix when pinning. */
export function pinned(cpus: string | null, command: string, args: string[]): [string, string[]] {
  return cpus === null ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];
}

/**
 * The node arguments that start `root`'s server as `npm start` does: its built `dist/`, rebuilt
 * first by the checkout's own `scripts/build-if-stale.mjs` when a source changed since the last
 * build, so the suite never measures stale code, nor TypeScript run through a loader.
 * @throws {Error} when the build fails.
 */
export function serverArgs(root: string): string[] {
  const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error(`${root}: the build before the benchmark failed (exit ${build.status})`);
  return ['dist/server/main.js'];
}

/** A port a "listening" log line announces, and whether it is the admin listener. */
export interface Announcement {
  port: number;
  admin: boolean;
}

/**
 * The listeners one JSON log line announces: `{"msg":"listening","port":N}` is the API; a line
 * whose msg, `listener` or `name` says "admin" is the admin listener, and an `adminPort` field
 * announces one beside the API port.
 */
export function announcements(entry: Record<string, unknown>): Announcement[] {
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  if (!/listening/i.test(msg)) return [];
  const out: Announcement[] = [];
  const isAdmin = [msg, entry.listener, entry.name].some((v) => typeof v === 'string' && /admin/i.test(v));
  if (typeof entry.port === 'number') out.push({ port: entry.port, admin: isAdmin });
  if (typeof entry.adminPort === 'number') out.push({ port: entry.adminPort, admin: true });
  return out;
}

/**
 * Starts a process that prints a JSON "listening" line on stdout; resolves once the API port
 * is known (and, for 300 ms more, an admin listener may still be announced).
 * @throws Error when it exits first or does not listen within 60 s, with its stderr.
 */
export async function startListening(spec: ChildSpec): Promise<Child> {
  const [command, args] = pinned(spec.cpus, spec.command, spec.args);
  const proc = spawn(command, args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  // Keep reading both pipes for the process's whole life: a full pipe would block its
  // (synchronous) log writes and stall the server being measured.
  proc.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  const lines = createInterface({ input: proc.stdout! });
  let api: number | null = null;
  let admin: number | null = null;
  let info: Record<string, unknown> = {};
  let reading = true;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.name} did not listen within 60 s\n${stderr}`)), 60_000);
    lines.on('line', (line) => {
      if (!reading || !line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        for (const a of announcements(entry)) {
          if (a.admin) admin = a.port;
          else if (api === null) {
            api = a.port;
            info = entry;
            clearTimeout(timer);
            setTimeout(resolve, 300);
          }
        }
      } catch {
        // not JSON: ignore
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name} exited with ${code ?? signal} before listening\n${stderr}`));
    });
  });
  reading = false;
  const exited = once(proc, 'exit');
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  return {
    name: spec.name,
    proc,
    pid: proc.pid!,
    url: `http://127.0.0.1:${api}`,
    adminUrl: admin === null ? null : `http://127.0.0.1:${admin}`,
    command: `${spec.cpus === null ? '' : `taskset -c ${spec.cpus} `}${spec.command === process.execPath ? 'node' : spec.command} ${spec.args.join(' ')}`,
    info,
    async stop() {
      if (!alive()) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!alive()) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** One GET; resolves with the status, or null when nothing answered within 2 s. */
export function getStatus(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2_000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** Polls `url` until it answers 200. @throws Error after `timeoutMs`, naming the last status. */
export async function waitFor200(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: number | null = null;
  while (Date.now() < deadline) {
    last = await getStatus(url);
    if (last === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Expected 200 from ${url} within ${timeoutMs} ms but the last answer was ${last ?? 'none'}`);
}

/** Peak resident set size (VmHWM) of a live process in MiB, from /proc; null where unavailable. */
export function peakRssMiB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Runs bench/decode-ceiling.ts pinned like the servers; resolves with its count and rate. */
export async function runDecodeCeiling(
  cpus: string | null,
  file: string,
  concurrency: number,
  durationMs: number,
  warmupMs: number,
): Promise<{ decodes: number; elapsedMs: number; perSecond: number }> {
  const [command, args] = pinned(cpus, process.execPath, [
    '--import',
    'tsx',
    'bench/decode-ceiling.ts',
    file,
    String(concurrency),
    String(durationMs),
    String(warmupMs),
  ]);
  const proc = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  proc.stdout!.on('data', (chunk) => (stdout += chunk));
  const [code] = await once(proc, 'exit');
  if (code !== 0) throw new Error(`decode-ceiling exited with ${code}`);
  return JSON.parse(stdout.trim()) as { decodes: number; elapsedMs: number; perSecond: number };
}

/** Per-CPU [busy, total] jiffies from /proc/stat's "cpuN" lines. */
export function cpuTimes(stat: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const line of stat.split('\n')) {
    const match = /^cpu\d+\s+(.*)$/.exec(line);
    if (!match) continue;
    const fields = match[1]!.trim().split(/\s+/).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user … steal, without guest (already in user)
    out.push([total - idle, total]);
  }
  return out;
}

/** Busy percentage of each CPU over the next `ms`, or null where /proc/stat is unreadable. */
export async function sampleCpuBusy(ms = 1000): Promise<number[] | null> {
  try {
    const before = cpuTimes(readFileSync('/proc/stat', 'utf8'));
    await new Promise((r) => setTimeout(r, ms));
    const after = cpuTimes(readFileSync('/proc/stat', 'utf8'));
    return after.map(([busy, total], k) => {
      const [busy0, total0] = before[k] ?? [0, 0];
      return total > total0 ? (100 * (busy - busy0)) / (total - total0) : 0;
    });
  } catch {
    return null;
  }
}
