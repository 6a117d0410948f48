// Child processes of the benchmark suite: the server, the HTTP-floor server and decode-only
// runs, each pinned with taskset to the CPUs the load generator does not use.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** How processes are placed on CPUs: `taskset -c <cpus>` prefixes, or none. */
export interface Placement {
  generatorCpus: string | null;
  serverCpus: string | null;
  /** CPUs the server may use (its CONCURRENCY). */
  serverCpuCount: number;
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  url: string;
  command: string;
  stop(): Promise<void>;
}

/** `[command, args]` with the taskset prefix when pinning. */
export function pinned(cpus: string | null, command: string, args: string[]): [string, string[]] {
  return cpus === null ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs);
  }
  return newest;
}

/** `node dist/server/main.js` when a build newer than server/ exists, else the sources via tsx. */
export function serverCommand(): string[] {
  const built = join(ROOT, 'dist/server/main.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(ROOT, 'server'))) return ['dist/server/main.js'];
  return ['--import', 'tsx', 'server/main.ts'];
}

/** Starts a Node script that logs {"msg":"listening","port":N}; resolves once it listens. */
export async function startListening(cpus: string | null, nodeArgs: string[], env: Record<string, string>): Promise<Child> {
  const [command, args] = pinned(cpus, process.execPath, nodeArgs);
  const proc = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: proc.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${nodeArgs.join(' ')} did not listen within 60 s\n${stderr}`)), 60_000);
    let listening = false;
    // Keep reading after "listening": the server's stdout is a pipe, and a full pipe would block
    // its (synchronous) log writes. Only the lines before it are parsed.
    lines.on('line', (line) => {
      if (listening) return;
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          listening = true;
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not JSON: ignore
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${nodeArgs.join(' ')} exited with ${code}\n${stderr}`));
    });
  });
  const exited = once(proc, 'exit');
  return {
    proc,
    pid: proc.pid!,
    url: `http://127.0.0.1:${port}`,
    command: `${cpus === null ? '' : `taskset -c ${cpus} `}node ${nodeArgs.join(' ')}`,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
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

/** Runs bench/decode-ceiling.ts pinned like the server; resolves with decodes per second. */
export async function runDecodeCeiling(cpus: string | null, file: string, concurrency: number, durationMs: number, warmupMs: number): Promise<number> {
  const [command, args] = pinned(cpus, process.execPath, ['--import', 'tsx', 'bench/decode-ceiling.ts', file, String(concurrency), String(durationMs), String(warmupMs)]);
  const proc = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  proc.stdout!.on('data', (chunk) => (stdout += chunk));
  const [code] = await once(proc, 'exit');
  if (code !== 0) throw new Error(`decode-ceiling exited with ${code}`);
  return (JSON.parse(stdout.trim()) as { perSecond: number }).perSecond;
}
