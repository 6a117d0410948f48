// Bounded upload loads for the operations tests: N client loops posting an image until a stop
// signal, a deadline or a per-loop count, recording every outcome (never throwing).
import { Agent } from 'node:http';
import type { TestContext } from 'node:test';
import { send } from './ops-http.ts';
import type { ServerProcess } from './server-process.ts';

export interface LoadOutcome {
  loop: number;
  /** HTTP status, or 0 when the request failed without an answer. */
  status: number;
  servedBy: string | undefined;
  error?: string;
  /** performance.now() when the answer (or failure) arrived. */
  at: number;
  /** The server's own `timingsMs` of a 200 JSON answer (how long its work took). */
  timingsMs?: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  body: Buffer;
  loops: number;
  /** Stop starting requests after this long (ms). */
  maxDurationMs: number;
  /** Stop each loop after this many requests. */
  maxPerLoop: number;
  /** Keep-alive connections to the target (one agent per loop); default true. */
  keepAlive?: boolean;
  headers?: Record<string, string>;
}

export interface Load {
  outcomes: LoadOutcome[];
  /** Asks the loops to stop after their current request; resolves when they all have. */
  stop(): Promise<LoadOutcome[]>;
  done: Promise<LoadOutcome[]>;
}

/** Starts `loops` upload loops against `url`; each sends `body` again as soon as it is answered. */
export function startLoad(options: LoadOptions): Load {
  const outcomes: LoadOutcome[] = [];
  const deadline = performance.now() + options.maxDurationMs;
  let stopped = false;
  const loop = async (index: number) => {
    const agent = options.keepAlive === false ? false : new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let n = 0; n < options.maxPerLoop && !stopped && performance.now() < deadline; n++) {
        try {
          const answer = await send(options.url, { method: 'POST', body: options.body, agent, headers: { 'content-type': 'image/jpeg', ...options.headers } });
          const servedBy = answer.headers['x-served-by'];
          const outcome: LoadOutcome = {
            loop: index,
            status: answer.status,
            servedBy: typeof servedBy === 'string' ? servedBy : undefined,
            at: performance.now(),
          };
          if (answer.status !== 200) outcome.error = answer.body.toString('utf8').slice(0, 300);
          else if (String(answer.headers['content-type']).startsWith('application/json')) {
            outcome.timingsMs = (JSON.parse(answer.body.toString('utf8')) as { timingsMs?: Record<string, number> }).timingsMs;
          }
          outcomes.push(outcome);
        } catch (error) {
          outcomes.push({ loop: index, status: 0, servedBy: undefined, error: String(error), at: performance.now() });
        }
      }
    } finally {
      if (agent) agent.destroy();
    }
  };
  const done = Promise.all(Array.from({ length: options.loops }, (_, i) => loop(i))).then(() => outcomes);
  return {
    outcomes,
    done,
    stop() {
      stopped = true;
      return done;
    },
  };
}

/** Counts outcomes by status, e.g. { '200': 41, '503': 2 }. */
export function countByStatus(outcomes: readonly { status: number }[]): Record<string, number> {
  return tally(outcomes.map(({ status }) => status));
}

/** How often each value occurs, e.g. { '200': 41, EPIPE: 2 }. */
export function tally(values: readonly (string | number)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Registers a teardown that SIGKILLs every server in `servers` still running (also on failure). */
export function killAfter(t: TestContext, servers: ServerProcess[]): void {
  t.after(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  });
}
