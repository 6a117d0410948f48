// Reads what Debian's wrk (4.x) prints with --latency, plus the "wrk-statuses" JSON line that
// bench/multipart.lua adds with STATUSES=1, and turns it into the suite's figures.

/** wrk's summary. Latencies in ms; null where wrk did not print them. */
export interface WrkSummary {
  requests: number;
  durationS: number;
  requestsPerSec: number;
  /** "Non-2xx or 3xx responses" (0 when wrk printed no such line). */
  non2xx3xx: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  latencyMs: { avg: number; max: number; p50: number; p75: number; p90: number; p99: number } | null;
  /** From the STATUSES=1 line: responses by status, 2xx latencies timed by request id (µs), and 2xx left untimed. */
  statuses: Record<string, number> | null;
  okLatencyUs: number[] | null;
  untimedOk: number | null;
}

const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "32.62ms", "2.22s", "870.00us", "1.00m" → milliseconds. @throws Error on another shape. */
export function parseWrkTime(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`Expected a wrk time such as 32.62ms but received "${text}"`);
  return Number(match[1]) * TIME_UNITS[match[2]!]!;
}

/** "1.2k" → 1200 (wrk's Req/Sec and count formatting). */
function parseMetric(text: string): number {
  const match = /^([\d.]+)([kMG]?)$/.exec(text.trim());
  if (!match) throw new Error(`Expected a wrk number such as 101.55 or 1.08k but received "${text}"`);
  return Number(match[1]) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9 } as const)[match[2] as '' | 'k' | 'M' | 'G'];
}

/**
 * Parses wrk's output. @throws Error when the "N requests in T" line is missing (wrk failed),
 * naming the first lines it saw.
 */
export function parseWrkOutput(text: string): WrkSummary {
  const total = /^\s*(\d+) requests in ([\d.]+(?:us|ms|s|m|h)),/m.exec(text);
  if (!total) throw new Error(`Expected wrk's "N requests in T" line but received:\n${text.split('\n').slice(0, 8).join('\n')}`);
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const non2xx = /^\s*Non-2xx or 3xx responses: (\d+)/m.exec(text);
  const socket = /^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/m.exec(text);
  const threadLatency = /^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+%/m.exec(text);
  const percentile = (p: number) => {
    const match = new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(text);
    return match ? parseWrkTime(match[1]!) : null;
  };
  const [p50, p75, p90, p99] = [percentile(50), percentile(75), percentile(90), percentile(99)];
  const latencyMs =
    threadLatency && p50 !== null && p75 !== null && p90 !== null && p99 !== null
      ? { avg: parseWrkTime(threadLatency[1]!), max: parseWrkTime(threadLatency[3]!), p50, p75, p90, p99 }
      : null;
  const statusLine = /^wrk-statuses (\{.*\})\s*$/m.exec(text);
  const extra = statusLine ? (JSON.parse(statusLine[1]!) as { statuses: Record<string, number>; okLatencyUs: number[]; untimedOk: number }) : null;
  return {
    requests: Number(total[1]),
    durationS: parseWrkTime(total[2]!) / 1000,
    requestsPerSec: rps ? parseMetric(rps[1]!) : Number(total[1]) / (parseWrkTime(total[2]!) / 1000),
    non2xx3xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket
      ? { connect: Number(socket[1]), read: Number(socket[2]), write: Number(socket[3]), timeout: Number(socket[4]) }
      : { connect: 0, read: 0, write: 0, timeout: 0 },
    latencyMs,
    statuses: extra?.statuses ?? null,
    okLatencyUs: extra?.okLatencyUs ?? null,
    untimedOk: extra?.untimedOk ?? null,
  };
}

/** Nearest-rank percentile of `values` (need not be sorted); null when empty. */
export function percentileOf(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** What the suite takes from one wrk run. */
export interface WrkFigures {
  ok: number;
  okPerSec: number;
  responses: number;
  /** Non-2xx statuses (by status where STATUSES=1 counted them, else "non-2xx") and socket errors. */
  failures: Record<string, number>;
  p50Ms: number | null;
  p99Ms: number | null;
  /** How the 2xx latencies were obtained, or why they are missing. */
  latencyNote: string;
}

/** Fewest tagged 2xx worth quoting percentiles from. */
export const MIN_TIMED = 20;

/**
 * Counts and 2xx latencies from a summary: 2xx timed by request id where enough were tagged
 * (at least MIN_TIMED, or all of them);
 * else wrk's own percentiles when every response was a 2xx (then they are the 2xx's); else none.
 */
export function wrkFigures(s: WrkSummary): WrkFigures {
  const failures: Record<string, number> = {};
  let ok: number;
  if (s.statuses) {
    ok = 0;
    for (const [status, n] of Object.entries(s.statuses)) {
      if (/^2\d\d$/.test(status)) ok += n;
      else failures[status] = n;
    }
  } else {
    ok = s.requests - s.non2xx3xx;
    if (s.non2xx3xx > 0) failures['non-2xx'] = s.non2xx3xx;
  }
  for (const [kind, n] of Object.entries(s.socketErrors)) if (n > 0) failures[`socket ${kind}`] = n;
  const timed = s.okLatencyUs ?? [];
  let p50Ms: number | null = null;
  let p99Ms: number | null = null;
  let latencyNote: string;
  if (timed.length > 0 && (timed.length >= MIN_TIMED || timed.length === ok)) {
    p50Ms = percentileOf(timed, 50)! / 1000;
    p99Ms = percentileOf(timed, 99)! / 1000;
    latencyNote = timed.length === ok ? 'every 2xx timed by its request id' : `${timed.length} of ${ok} 2xx timed by their request id`;
  } else if (ok === s.requests && s.latencyMs) {
    p50Ms = s.latencyMs.p50;
    p99Ms = s.latencyMs.p99;
    latencyNote = "wrk's own percentiles (every response was a 2xx)";
  } else if (ok === 0) {
    latencyNote = 'no 2xx';
  } else {
    latencyNote = `only ${timed.length} of ${ok} 2xx timed (the server did not echo X-Request-Id), and wrk's own percentiles mix in the other statuses`;
  }
  return { ok, okPerSec: s.durationS > 0 ? ok / s.durationS : 0, responses: s.requests, failures, p50Ms, p99Ms, latencyNote };
}
