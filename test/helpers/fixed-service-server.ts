// A ground-truth target for tests that judge rates: a real HTTP server in a child process that
// serves each request after a fixed service time, at most `concurrency` at once, queueing the
// rest in arrival order. Its capacity is concurrency × 1000 / serviceMs req/s exactly, and no
// machine can beat it (each slot holds every request for at least serviceMs by the monotonic
// clock); it spends microseconds of CPU per request, so a busy machine barely slows it.
// Run as a script (`--serve`), the module is that child; imported, it starts and stops one.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface FixedServiceOptions {
  /** Time each request holds a slot, ms (default 20). */
  serviceMs?: number;
  /** Requests served at once (default 2). */
  concurrency?: number;
}

/** What the server counted since it started. */
export interface FixedServiceStats {
  /** Requests other than GET /stats, /healthz and /readyz whose body had fully arrived. */
  arrived: number;
  /** Those answered 200 after their service time. */
  served: number;
  /** Most requests waiting for a slot at one time. */
  maxQueued: number;
}

export interface FixedServiceServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  serviceMs: number;
  concurrency: number;
  /** The exact capacity: concurrency × 1000 / serviceMs, req/s. */
  capacity: number;
  stats(): Promise<FixedServiceStats>;
  /** Kills the child and waits for it to exit. */
  stop(): Promise<void>;
}

const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
const SERVED_BY = 'fixed-service';

/**
 * Starts the server in a child process on 127.0.0.1 and a port chosen by the OS; resolves once
 * it listens. Defaults: 20 ms, 2 at once (100 req/s).
 * @throws Error when the child exits or prints nothing within 30 s.
 */
export async function startFixedServiceServer(options: FixedServiceOptions = {}): Promise<FixedServiceServer> {
  const serviceMs = options.serviceMs ?? 20;
  const concurrency = options.concurrency ?? 2;
  if (!(serviceMs > 0) || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`Expected serviceMs > 0 and an integer concurrency >= 1 but received ${serviceMs} and ${concurrency}`);
  }
  // stdin stays open: the child exits when it closes, so a test process that dies leaves no server.
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', String(serviceMs), String(concurrency)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the fixed-service server did not listen within 30 s'));
    }, 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fixed-service server exited with ${code} before listening`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    serviceMs,
    concurrency,
    capacity: (concurrency * 1000) / serviceMs,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as FixedServiceStats,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The child: serves until its stdin closes. */
function serve(serviceMs: number, concurrency: number): void {
  const stats: FixedServiceStats = { arrived: 0, served: 0, maxQueued: 0 };
  const queue: ServerResponse[] = [];
  let busy = 0;
  const serviceNs = BigInt(Math.round(serviceMs * 1e6));

  const startNext = (): void => {
    while (busy < concurrency && queue.length > 0) {
      const res = queue.shift()!;
      busy++;
      const started = process.hrtime.bigint();
      // A timer may fire up to a millisecond early by the monotonic clock (libuv rounds its
      // loop time to whole ms): wait again for what is left, so no request is served faster.
      const finish = (): void => {
        const left = serviceNs - (process.hrtime.bigint() - started);
        if (left > 0n) {
          setTimeout(finish, Math.ceil(Number(left) / 1e6));
          return;
        }
        stats.served++;
        res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': SERVED_BY }).end(JSON.stringify({ served: stats.served }));
        busy--;
        startNext();
      };
      setTimeout(finish, serviceMs);
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && (path === '/stats' || path === '/healthz' || path === '/readyz')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(path === '/stats' ? stats : { ok: true }));
      return;
    }
    // Served once the whole body has arrived, as a real server would count it.
    req.resume();
    req.once('end', () => {
      stats.arrived++;
      queue.push(res);
      stats.maxQueued = Math.max(stats.maxQueued, queue.length);
      startNext();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  process.stdin.resume();
  process.stdin.once('close', () => process.exit(0));
}

if (process.argv[1] === self && process.argv[2] === '--serve') serve(Number(process.argv[3]), Number(process.argv[4]));
