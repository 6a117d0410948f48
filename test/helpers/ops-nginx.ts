// A real nginx (Debian's package) as a test child process on loopback: its configuration, pid,
// logs and temp files all in a temporary directory, balancing over the given upstream ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { send, waitFor } from './ops-http.ts';

export const NGINX_BINARY = '/usr/sbin/nginx';

export interface NginxOptions {
  /** Port nginx listens on (127.0.0.1). */
  port: number;
  /** Upstream server ports on 127.0.0.1. */
  upstreams: number[];
  /** client_max_body_size in bytes. */
  maxBodyBytes: number;
}

export interface Nginx {
  url: string;
  dir: string;
  proc: ChildProcess;
  /** The error log so far (connect() failures show when nginx moved to the next upstream). */
  errorLog(): string;
  /** The access log so far (one line per request: status, upstream addresses and statuses). */
  accessLog(): string;
  /**
   * Rewrites the upstream list and reloads nginx (SIGHUP), as ingress-nginx does when a pod
   * leaves or joins the Service's endpoints; resolves once a new worker runs the new list.
   */
  setUpstreams(ports: number[]): Promise<void>;
  /** Stops nginx (SIGTERM to the master, which stops its worker), then removes the directory. */
  stop(): Promise<void>;
}

/** nginx.conf for `options`, every path inside `dir`. */
export function nginxConfig(dir: string, options: NginxOptions): string {
  const servers = options.upstreams
    // max_fails=1 (the default) keeps nginx's passive health check; fail_timeout=1s (default
    // 10s) lets a restarted server back into rotation within the test's time.
    .map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=1s;`)
    .join('\n');
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections 256; }
http {
  log_format upstreams '$status $request_time "$request" upstream=$upstream_addr status=$upstream_status';
  access_log ${dir}/access.log upstreams;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream histogram {
${servers}
  }
  server {
    listen 127.0.0.1:${options.port};
    client_max_body_size ${options.maxBodyBytes};
    location / {
      proxy_pass http://histogram;
      # A refused connection (a draining server has closed its listener) or a timeout moves
      # the request to the other server. nginx buffers the whole request body first (the
      # default proxy_request_buffering on), so the retry can resend it.
      proxy_next_upstream error timeout;
      # Deliberately the defaults: HTTP/1.0 to the upstream and no upstream keepalive, so
      # every request opens a new connection. A draining server then only ever sees
      # connections it accepted before closing its listener, and never gets a request on an
      # idle kept-alive connection at the moment it closes it: that race would turn into a
      # 502 (or the server's own 503), because nginx does not retry a POST once it has been
      # sent (non_idempotent is not in proxy_next_upstream).
    }
  }
}
`;
}

/** Starts nginx in the foreground (master + one worker) and waits until it proxies /healthz. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'histogram-nginx-'));
  // Started as root, nginx runs its worker as `nobody`: it must reach the temp paths in here.
  chmodSync(dir, 0o755);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, options));
  // -e: the error log before the configuration is read (else /var/log/nginx/error.log).
  const proc = spawn(NGINX_BINARY, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log'), '-g', 'daemon off; master_process on;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = once(proc, 'exit');
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const workers = childPids(proc.pid!);
      proc.kill('SIGTERM'); // fast shutdown: the master stops its worker and exits
      const timer = setTimeout(() => {
        for (const pid of [proc.pid!, ...workers]) killQuietly(pid);
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'nginx to proxy /healthz',
      async () => {
        if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}: ${stderr}${read('error.log')}`);
        return (
          (await send(`${url}/healthz`, { timeoutMs: 2_000 }).then(
            (a) => a.status,
            () => 0,
          )) === 200
        );
      },
      10_000,
      50,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const workersStarted = () => (read('error.log').match(/start worker process/g) ?? []).length;
  const setUpstreams = async (ports: number[]) => {
    const before = workersStarted();
    writeFileSync(conf, nginxConfig(dir, { ...options, upstreams: ports }));
    proc.kill('SIGHUP');
    await waitFor('nginx to reload its configuration', () => workersStarted() > before, 5_000, 10);
  };
  return { url, dir, proc, errorLog: () => read('error.log'), accessLog: () => read('access.log'), setUpstreams, stop };
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
