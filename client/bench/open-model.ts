// Open-model load at a fixed rate (wrk2 style): request i is due at start + offset + i × interval
// whatever happened before, and its latency counts from that due time, so a stalled server
// shows up in the percentiles instead of silently slowing the generator down.
import type http from 'node:http';
import type { BenchRecorder } from './bench-recorder.ts';
import type { PreparedRequest } from './prepare-requests.ts';
import type { LoadWindow } from './closed-model.ts';
import { createBenchAgent, sendRequest } from './send-request.ts';

/** The schedule of one shard: its rate and where its slots sit among the other shards'. */
export interface RateSchedule {
  /** Total requests per second over all shards. */
  totalRate: number;
  shardIndex: number;
  shardCount: number;
}

/** Due time (ns after start) of this shard's request `i`: shards interleave slot by slot. */
export function dueTimeNs(schedule: RateSchedule, i: number): bigint {
  const slot = i * schedule.shardCount + schedule.shardIndex;
  return BigInt(Math.round((slot * 1e9) / schedule.totalRate));
}

/**
 * Sends `requests` in turn on the schedule over at most `window.connections` keep-alive
 * sockets; requests that find every socket busy wait in the agent's queue, their clock running.
 * Stops sending after the duration (or `amount` requests) and waits for the ones in flight.
 */
export async function runOpenModel(
  origin: string,
  requests: readonly PreparedRequest[],
  window: LoadWindow,
  schedule: RateSchedule,
  recorder: BenchRecorder,
): Promise<{ startMs: number; endMs: number }> {
  const target = new URL(origin);
  const agent = createBenchAgent(window.connections);
  const durationNs = window.durationMs === null ? null : BigInt(window.durationMs) * 1_000_000n;
  const inFlight = new Set<Promise<void>>();
  const startMs = Date.now();
  const start = process.hrtime.bigint();
  let i = 0;

  const send = (due: bigint): void => {
    const prepared = requests[i % requests.length]!;
    const pending = fire(target, agent, prepared, window.timeoutMs, due, recorder);
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
  };

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = process.hrtime.bigint() - start;
      for (;;) {
        if (window.amount !== null && i >= window.amount) {
          resolve();
          return;
        }
        const due = dueTimeNs(schedule, i);
        if (durationNs !== null && due >= durationNs) {
          resolve();
          return;
        }
        if (due > now) {
          // Timers fire late by up to a millisecond; wake a little early and spin the rest.
          const waitMs = Number(due - now) / 1e6;
          if (waitMs > 1.5) setTimeout(tick, Math.floor(waitMs - 1));
          else setImmediate(tick);
          return;
        }
        send(start + due);
        i++;
      }
    };
    tick();
  });
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  const endMs = Date.now();
  agent.destroy();
  return { startMs, endMs };
}

/** Sends one request and records its outcome, latency counted from `due`; never rejects. */
async function fire(target: URL, agent: http.Agent, prepared: PreparedRequest, timeoutMs: number, due: bigint, recorder: BenchRecorder): Promise<void> {
  const outcome = await sendRequest(target, agent, prepared, timeoutMs, () => recorder.recordSent());
  if (outcome.kind === 'error') {
    recorder.recordError(outcome.error);
    return;
  }
  recorder.recordResponse(
    outcome.status,
    Number(outcome.endNs - due) / 1000,
    outcome.bytes,
    outcome.servedBy,
    Number(outcome.endNs - (outcome.sentNs || due)) / 1000,
  );
}
