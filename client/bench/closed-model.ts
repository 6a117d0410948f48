// Closed-model load: C connections, each sending its next request as soon as the previous
// response arrived. Requests go over node:http keep-alive sockets (the same client the open
// model uses), so every part of the loop is public API: TCP_NODELAY is an Agent option, and at
// the deadline each connection simply sends nothing more and finishes the request it has in
// flight, so the requests counted are exactly those the server answered.
import type { BenchRecorder } from './bench-recorder.ts';
import type { PreparedRequest } from './prepare-requests.ts';
import { createBenchAgent, sendRequest } from './send-request.ts';

/** How long and how hard one window of load runs. */
export interface LoadWindow {
  connections: number;
  /** Stop sending after this long (null: run until `amount`). */
  durationMs: number | null;
  /** Total requests in this window (null: run for `durationMs`). */
  amount: number | null;
  timeoutMs: number;
}

/**
 * Runs closed-model load against `origin` and records every outcome into `recorder`; the
 * latency of a response counts from when its request got a socket. With a duration, sending
 * stops at the deadline and the requests in flight are awaited (each at most the timeout).
 * Requests take `requests` in turn across all connections. Resolves with the measured window in
 * epoch milliseconds; never rejects for request failures (they are recorded as errors).
 */
export async function runClosedModel(
  origin: string,
  requests: readonly PreparedRequest[],
  window: LoadWindow,
  recorder: BenchRecorder,
): Promise<{ startMs: number; endMs: number }> {
  const target = new URL(origin);
  const connections = window.amount === null ? window.connections : Math.min(window.connections, window.amount);
  const agent = createBenchAgent(connections);
  const startMs = Date.now();
  const deadline = window.durationMs === null ? null : process.hrtime.bigint() + BigInt(Math.round(window.durationMs * 1e6));
  let started = 0;

  const connection = async (): Promise<void> => {
    for (;;) {
      if (window.amount !== null && started >= window.amount) return;
      if (deadline !== null && process.hrtime.bigint() >= deadline) return;
      const prepared = requests[started++ % requests.length]!;
      const outcome = await sendRequest(target, agent, prepared, window.timeoutMs, () => recorder.recordSent());
      if (outcome.kind === 'error') recorder.recordError(outcome.error);
      else recorder.recordResponse(outcome.status, Number(outcome.endNs - outcome.sentNs) / 1000, outcome.bytes, outcome.servedBy);
    }
  };

  await Promise.all(Array.from({ length: connections }, connection));
  const endMs = Date.now();
  agent.destroy();
  return { startMs, endMs };
}
