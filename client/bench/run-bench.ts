// The programmatic bench: `runBench(options)` prepares the requests, waits for the target and
// the start instant, warms up, measures with the closed or open model, and returns the result.
// It prints nothing except progress lines through `options.log`.
import type { BenchOptions } from './bench-options.ts';
import { BenchRecorder } from './bench-recorder.ts';
import type { BenchResult, LoadModel } from './bench-result.ts';
import { buildResult } from './build-result.ts';
import { runClosedModel, type LoadWindow } from './closed-model.ts';
import { runOpenModel } from './open-model.ts';
import { prepareGet, prepareUploads, type PreparedRequest } from './prepare-requests.ts';
import { waitUntilInstant, waitUntilReady } from './wait-for-start.ts';

export type { BenchOptions } from './bench-options.ts';

/**
 * Runs one bench. @throws Error on invalid options, an unreachable /readyz with --until-ready,
 * or a bad --start-at; request failures during the run are counted, not thrown.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const url = new URL(options.url);
  if (url.protocol !== 'http:') throw new Error(`Expected an http:// URL but received "${options.url}" (TLS is left to the Ingress)`);
  if (options.durationMs === null && options.amount === null) throw new Error('Expected --duration or --amount');
  const requests: PreparedRequest[] =
    options.images.length > 0 ? await prepareUploads(url, options.images, options.accept, options.headers) : prepareGet(url, options.headers);
  const model: LoadModel = options.rate === null ? 'closed' : 'open';

  if (options.untilReadyMs !== null) await waitUntilReady(url, options.headers, options.untilReadyMs, log);
  if (options.startAt !== null) await waitUntilInstant(options.startAt, log);

  const window: LoadWindow = { connections: options.connections, durationMs: options.durationMs, amount: options.amount, timeoutMs: options.timeoutMs };
  const runWindow = (w: LoadWindow, recorder: BenchRecorder) =>
    options.rate === null
      ? runClosedModel(url.origin, requests, w, recorder)
      : runOpenModel(url.origin, requests, w, { totalRate: options.rate, shardIndex: options.shard.index, shardCount: options.shard.count }, recorder);

  if (options.warmupMs > 0) {
    log(`warming up for ${options.warmupMs} ms`);
    const warm = new BenchRecorder();
    await runWindow({ ...window, durationMs: options.warmupMs, amount: null }, warm);
    log(`warm-up done: ${warm.completed} responses`);
  }
  log(`measuring (${model} model, ${describeWindow(options)})`);
  const recorder = new BenchRecorder();
  const { startMs, endMs } = await runWindow(window, recorder);
  log(`done: ${recorder.completed} responses in ${endMs - startMs} ms`);
  return buildResult(options, model, requests[0]?.method ?? 'POST', recorder, startMs, endMs);
}

function describeWindow(o: BenchOptions): string {
  const load = o.rate === null ? `${o.connections} connections` : `${o.rate} req/s total, ${o.connections} connections`;
  return `${load}, ${o.durationMs !== null ? `${o.durationMs} ms` : `${o.amount} requests`}`;
}
