// The machine-readable result of one `client bench` run: the one JSON line a pod prints and
// `client report` reads back out of mixed log output.
import type { LatencySummary } from './latency-histogram.ts';
import type { TimelineSecond } from './timeline.ts';
import type { SloVerdict } from './slo-verdict.ts';

/** Marker field value that tells result lines apart from any other JSON log line. */
export const RESULT_KIND = 'histogram-bench-result';
/** Bumped when a field changes meaning; `client report` refuses versions it does not know. */
export const RESULT_VERSION = 1;

/** closed: C connections each sending as soon as the previous response arrived.
 * open: requests due at a fixed rate, latency counted from when each was due (wrk2 style). */
export type LoadModel = 'closed' | 'open';

/** The options a run used, as recorded in its result (header values redacted). */
export interface RecordedOptions {
  url: string;
  connections: number;
  durationMs: number | null;
  amount: number | null;
  /** Total requests per second over all shards (open model), else null. */
  rate: number | null;
  /** This shard's part of `rate`. */
  shardRate: number | null;
  warmupMs: number;
  accept: string;
  method: string;
  headerNames: string[];
  images: Array<{ name: string; bytes: number }>;
  timeoutMs: number;
}

/** What one pod measured, and equally what a report merges from several: counts and latency. */
export interface MeasuredTotals {
  /** Requests written, responses received (any status), and 2xx responses. */
  requests: { sent: number; completed: number; ok: number };
  bytesReceived: number;
  /** Latency of 2xx responses in µs; open model: counted from each request's due time. */
  latencyUs: LatencySummary;
  /** Encoded HDR histogram (µs) behind `latencyUs`. */
  histogram: string;
  /** Open model only: latency from the actual send, as if coordinated omission did not matter. */
  uncorrectedLatencyUs: LatencySummary | null;
  uncorrectedHistogram: string | null;
  /** [wall-clock epoch second, responses, 2xx responses] for every second with a response. */
  perSecond: Array<[number, number, number]>;
  /** Responses by HTTP status code. */
  statuses: Record<string, number>;
  /** Requests that got no response, by kind: "timeout", or the socket error code (ECONNRESET …). */
  errors: Record<string, number>;
  /** Responses by X-Served-By value ("(none)" when the header was missing). */
  servedBy: Record<string, number>;
  /**
   * Every wall-clock second of the measured window with its own counts, latency histogram and
   * X-Served-By spread. Absent from lines written by clients older than the timeline.
   */
  timeline?: TimelineSecond[];
}

export interface BenchResult extends MeasuredTotals {
  kind: typeof RESULT_KIND;
  version: typeof RESULT_VERSION;
  model: LoadModel;
  host: string;
  shard: { index: number; count: number };
  /** Epoch milliseconds and ISO time of the measured window (after warm-up). */
  startMs: number;
  endMs: number;
  start: string;
  end: string;
  options: RecordedOptions;
  /** With `--slo`: each objective met or missed over this run. */
  slo?: SloVerdict;
}

/** The one line `--json` prints. */
export function toResultLine(result: BenchResult): string {
  return JSON.stringify(result);
}

/** True when `value` looks like a result line this version understands. */
export function isBenchResult(value: unknown): value is BenchResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<BenchResult>;
  return v.kind === RESULT_KIND && v.version === RESULT_VERSION && typeof v.histogram === 'string';
}

/**
 * Finds result lines in text such as `kubectl logs` output: each line is tried as JSON from its
 * first `{` (so a `[pod/name]` prefix is allowed); other lines are skipped.
 * @throws Error when a line carries the marker but another version.
 */
export function extractResults(text: string): BenchResult[] {
  const found: BenchResult[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.includes(RESULT_KIND)) continue;
    const brace = line.indexOf('{');
    if (brace === -1) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.slice(brace));
    } catch {
      continue; // a log line that merely mentions the marker
    }
    if (isBenchResult(parsed)) found.push(parsed);
    else if ((parsed as { kind?: unknown }).kind === RESULT_KIND) {
      throw new Error(`Expected result version ${RESULT_VERSION} but received ${JSON.stringify((parsed as { version?: unknown }).version)}`);
    }
  }
  return found;
}
