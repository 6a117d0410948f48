// Service-level objectives for `client capacity`, `bench` and `report`: `--slo p99=250ms --slo
// errors=0.1%`, parsed once and checked against what a step, a run or a merged run measured.
import { parseDuration } from '../bench/parse-duration.ts';
import type { MeasuredTotals } from '../bench/bench-result.ts';
import type { LatencySummary } from '../bench/latency-histogram.ts';

/** Percentiles an objective may name, and where each sits in a LatencySummary. */
const PERCENTILES = { p50: 'p50', p90: 'p90', p99: 'p99', 'p99.9': 'p999' } as const satisfies Record<string, keyof LatencySummary>;
export type PercentileName = keyof typeof PERCENTILES;

/** A latency bound on the corrected latency of 2xx responses, or a bound on the failed share. */
export type Objective = { kind: 'latency'; percentile: PercentileName; maxUs: number; text: string } | { kind: 'errors'; maxRatio: number; text: string };

/** Used when no --slo names the failed share: a run shedding load must not pass on fast 503s. */
export const DEFAULT_ERRORS_OBJECTIVE = 'errors=1%';
/** The objectives when no --slo is given. */
export const DEFAULT_OBJECTIVES = ['p99=250ms', 'errors=0.1%'];

/**
 * Parses `p50|p90|p99|p99.9=DURATION` and `errors=PERCENT%|FRACTION`. Without an errors
 * objective, `errors=1%` is added.
 * @throws Error naming the objective and the accepted forms.
 */
export function parseObjectives(texts: readonly string[]): Objective[] {
  const objectives = texts.map(parseObjective);
  if (!objectives.some((o) => o.kind === 'errors')) objectives.push(parseObjective(DEFAULT_ERRORS_OBJECTIVE));
  return objectives;
}

function parseObjective(text: string): Objective {
  const match = /^\s*([\w.]+)\s*=\s*(.+?)\s*$/.exec(text);
  const name = match?.[1]?.toLowerCase();
  const value = match?.[2] ?? '';
  if (name && name in PERCENTILES) {
    const maxUs = parseDuration(value, 'slo') * 1000;
    if (maxUs <= 0) throw new Error(`Expected a latency > 0 for --slo ${name} but received "${value}"`);
    return { kind: 'latency', percentile: name as PercentileName, maxUs, text: `${name}=${value}` };
  }
  if (name === 'errors') {
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(value);
    const ratio = percent ? Number(percent[1]) / 100 : /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!(ratio >= 0 && ratio <= 1)) throw new Error(`Expected a share such as 0.1% or 0.001 for --slo errors but received "${value}"`);
    return { kind: 'errors', maxRatio: ratio, text: `errors=${value}` };
  }
  throw new Error(`Expected an objective such as p99=250ms or errors=0.1% (p50, p90, p99, p99.9, errors) for --slo but received "${text}"`);
}

/** Requests that had an outcome, and those that failed: non-2xx responses plus no response. */
export function failedShare(t: Pick<MeasuredTotals, 'requests' | 'errors'>): { outcomes: number; failed: number; ratio: number } {
  const noResponse = Object.values(t.errors).reduce((a, b) => a + b, 0);
  const failed = t.requests.completed - t.requests.ok + noResponse;
  const outcomes = t.requests.completed + noResponse;
  return { outcomes, failed, ratio: outcomes > 0 ? failed / outcomes : 0 };
}

/** One objective held against what was measured. */
export interface ObjectiveCheck {
  /** The objective as parsed (`p99=250ms`, `errors=1%`). */
  objective: string;
  met: boolean;
  /** What was measured: µs for a latency objective, a share 0..1 for errors; null without 2xx. */
  measured: number | null;
  /** The bound, in the same unit. */
  limit: number;
  /** The measurement in words: "p99 12.3 ms", "errors 0.00%", "no 2xx response". */
  text: string;
}

const percentText = (ratio: number) => `${Number((100 * ratio).toPrecision(6))}%`;

/**
 * Each objective against `t`. A latency objective is missed when there was no 2xx response to
 * measure (a run that served nothing meets no latency bound).
 */
export function checkObjectives(objectives: readonly Objective[], t: Pick<MeasuredTotals, 'requests' | 'errors' | 'latencyUs'>): ObjectiveCheck[] {
  return objectives.map((o) => {
    if (o.kind === 'latency') {
      if (t.requests.ok === 0) return { objective: o.text, met: false, measured: null, limit: o.maxUs, text: 'no 2xx response' };
      const us = t.latencyUs[PERCENTILES[o.percentile]];
      return { objective: o.text, met: us <= o.maxUs, measured: us, limit: o.maxUs, text: `${o.percentile} ${(us / 1000).toFixed(1)} ms` };
    }
    const share = failedShare(t);
    return { objective: o.text, met: share.ratio <= o.maxRatio, measured: share.ratio, limit: o.maxRatio, text: `errors ${(100 * share.ratio).toFixed(2)}%` };
  });
}

/** The verdict on one step: pass, or the objectives it missed in words ("p99 312.4 ms > 250ms"). */
export function evaluate(
  objectives: readonly Objective[],
  t: Pick<MeasuredTotals, 'requests' | 'errors' | 'latencyUs'>,
): { pass: boolean; failures: string[] } {
  const failures: string[] = [];
  if (t.requests.ok === 0) failures.push('no 2xx response');
  for (const [k, check] of checkObjectives(objectives, t).entries()) {
    const o = objectives[k]!;
    if (check.met || check.measured === null) continue;
    failures.push(`${check.text} > ${o.kind === 'latency' ? o.text.split('=')[1] : percentText(o.maxRatio)}`);
  }
  return { pass: failures.length === 0, failures };
}
