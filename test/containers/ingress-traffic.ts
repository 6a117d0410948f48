// Bounded traffic through the local Ingress for the cluster-local tests: PNG uploads sent with the
// Ingress host in the Host header (fetch cannot set Host, so node:http), a few at a time, counted
// by status and by the X-Served-By pod name. A request that fails before any answer on a reused
// kept-alive connection is sent once more on a new one (Node's documented pattern for
// `request.reusedSocket`): nginx closes its idle client connections when it reloads, and a request
// written at that instant never reached it. Such retries are counted apart, never hidden.
import { Agent, request } from 'node:http';

const TIMEOUT = 'timed out after 30 s';

export interface Answer {
  status: number;
  servedBy: string | undefined;
  /** Set when no answer came (connection refused or reset, timeout). */
  error?: string;
  /** Sent again after a reused connection closed before any answer. */
  retried?: boolean;
}

/** One request through nginx on 127.0.0.1:`port` with `Host: host`; never throws. */
export async function sendThroughIngress(port: number, host: string, path: string, body?: Buffer, agent?: Agent): Promise<Answer> {
  const first = await sendOnce(port, host, path, body, agent);
  if (!first.reused || first.answer.status !== 0) return first.answer;
  // A new connection of its own (no agent): never a reused one that the same reload closes.
  return { ...(await sendOnce(port, host, path, body, false)).answer, retried: true };
}

function sendOnce(
  port: number,
  host: string,
  path: string,
  body: Buffer | undefined,
  agent: Agent | false | undefined,
): Promise<{ answer: Answer; reused: boolean }> {
  return new Promise((resolveOnce) => {
    let answered = false;
    const resolve = (answer: Answer) => resolveOnce({ answer, reused: req.reusedSocket && !answered && answer.error !== TIMEOUT });
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: body ? 'POST' : 'GET',
        agent,
        timeout: 30_000,
        headers: { host, ...(body ? { 'content-type': 'image/png' } : {}) },
      },
      (res) => {
        answered = true;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, servedBy: res.headers['x-served-by'] as string | undefined }));
        res.on('error', (e) => resolve({ status: 0, servedBy: undefined, error: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(TIMEOUT)));
    req.on('error', (e) => resolve({ status: 0, servedBy: undefined, error: e.message }));
    req.end(body);
  });
}

export interface Traffic {
  answers: Answer[];
  /** True once every worker has stopped (stop() called, or `maxRequests` sent). */
  readonly done: boolean;
  /** Stops sending; resolves once the requests in flight have answered. */
  stop(): Promise<Answer[]>;
}

/**
 * Sends `body` to `path` with `concurrency` requests in flight until stop() or `maxRequests`
 * (the bound: default 2000), over kept-alive connections.
 */
export function startTraffic(port: number, host: string, path: string, body: Buffer, concurrency = 2, maxRequests = 2000): Traffic {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const answers: Answer[] = [];
  let stopped = false;
  let sent = 0;
  const worker = async () => {
    while (!stopped && sent < maxRequests) {
      sent++;
      answers.push(await sendThroughIngress(port, host, path, body, agent));
    }
  };
  let done = false;
  const workers = Array.from({ length: concurrency }, worker);
  void Promise.all(workers).then(() => {
    done = true;
  });
  return {
    answers,
    get done() {
      return done;
    },
    stop: async () => {
      stopped = true;
      await Promise.all(workers);
      agent.destroy();
      return answers;
    },
  };
}
