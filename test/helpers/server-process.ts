// Starts the real server as a child process on 127.0.0.1 and a port chosen by the OS, for
// end-to-end tests. Resolves once the server logs that it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { after } from 'node:test';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  proc: ChildProcess;
  /** Every stdout line the server printed (JSON log lines). */
  logs: string[];
  /** Sends SIGTERM (or the given signal) and waits for exit; returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Fails if the server has not logged "listening" in this time (default 30 s). */
  startTimeoutMs?: number;
  /** Wait until GET /readyz answers 200 (workers warm). Default true. */
  waitReady?: boolean;
  /** Options for node itself (V8 flags, which NODE_OPTIONS does not take), before the script. */
  nodeArgs?: string[];
}

/**
 * Starts `server/main.ts` under tsx with HOST=127.0.0.1 PORT=0 SHUTDOWN_DELAY_MS=0 plus `env`.
 * The delay is 0 unless a test sets it: it exists for an endpoints controller that no test
 * has, and at its default (3 s) every stop() would wait for it.
 */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      UV_THREADPOOL_SIZE: String(availableParallelism() + 2),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let stderr = '';
  proc.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: proc.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL'); // never leave a half-started server behind
      reject(new Error(`server did not start in time\n${stderr}\n${logs.join('\n')}`));
    }, options.startTimeoutMs ?? 30_000);
    lines.on('line', (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a JSON line: keep it in logs only
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
  });
  const exited = once(proc, 'exit');
  if (options.waitReady !== false) {
    await waitReady(`http://127.0.0.1:${port}`, options.startTimeoutMs ?? 30_000).catch((error) => {
      proc.kill('SIGKILL');
      throw error;
    });
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    logs,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`server at ${url} not ready after ${timeoutMs} ms (last /readyz: ${status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Servers shared by the tests of one file that only send them requests (no signal, no kill):
 * one per distinct `env`, started by the first test that asks for it
 * and killed after the file's last test. Call at the top level of the test file.
 */
export function sharedServers(): (env?: Record<string, string>) => Promise<ServerProcess> {
  const started = new Map<string, Promise<ServerProcess>>();
  after(async () => {
    const servers = await Promise.allSettled(started.values());
    await Promise.all(servers.map((s) => (s.status === 'fulfilled' ? s.value.stop('SIGKILL') : undefined)));
  });
  return (env = {}) => {
    const key = JSON.stringify(Object.entries(env).sort());
    const server = started.get(key) ?? startServer({ env });
    started.set(key, server);
    return server;
  };
}
