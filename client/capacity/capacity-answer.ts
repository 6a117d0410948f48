// From step lines to the answer of a capacity run: each step's lines (one per pod) merged into
// one step (HDR histograms summed), judged against the objectives, and the highest offered rate
// that met them below the first rate that did not.
import type { LatencySummary } from '../bench/latency-histogram.ts';
import { mergeResults } from '../report/merge-results.ts';
import { evaluate, failedShare, parseObjectives } from './objectives.ts';
import { ANSWER_KIND, STEP_VERSION, stepResult, type CapacityStepLine, type StepPhase } from './capacity-step.ts';

/** One step over all pods. */
export interface StepSummary {
  step: number;
  phase: StepPhase;
  offeredRate: number;
  pods: number;
  startMs: number;
  endMs: number;
  /** Latest pod start minus earliest, ms: how far the pods were from a common start. */
  startSkewMs: number;
  requests: { sent: number; completed: number; ok: number };
  /** 2xx responses per second over the step's duration, or from first start to last response when that took longer. */
  achievedRate: number;
  latencyUs: LatencySummary;
  uncorrectedLatencyUs: LatencySummary | null;
  /** Merged encoded HDR histograms (µs), for charts and later merges. */
  histogram: string;
  uncorrectedHistogram: string | null;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** Non-2xx responses plus requests without response, over all outcomes. */
  failedRatio: number;
  servedBy: Record<string, number>;
  /** Distinct X-Served-By values ("(none)" not counted). */
  replicas: number;
  pass: boolean;
  failures: string[];
}

export interface CapacityAnswer {
  kind: typeof ANSWER_KIND;
  version: typeof STEP_VERSION;
  run: string;
  urls: string[];
  /** The objectives every step was judged against, `errors=1%` included when it was added. */
  objectives: string[];
  steps: StepSummary[];
  /** The highest offered rate that met every objective below the first failing rate. */
  sustainedRate: number | null;
  /** The step that proved it, and the lowest failing step. */
  provedBy: number | null;
  firstFailing: number | null;
  /** Why the answer is what it is, in a sentence. */
  note: string;
}

/**
 * Least share of the offered rate a passing step must achieve in 2xx/s. A target that falls
 * behind only near the end of a step (a pause, a stall) can keep its median and even its p99
 * within bounds, yet it did not sustain the rate; one that keeps up achieves about the whole
 * offered rate (its last answers land a latency after the step's end).
 */
export const KEEP_UP_SHARE = 0.9;

/** Merges the lines of one step (one per pod) and judges them. */
export function summarizeStep(lines: readonly CapacityStepLine[]): StepSummary {
  const first = lines[0]!;
  const merged = mergeResults(lines.map(stepResult));
  const objectives = parseObjectives(first.capacity.objectives);
  const verdict = evaluate(objectives, merged);
  // The schedule spans the step's duration (the last request is due one interval before its
  // end), so a server that keeps up is credited over the duration, one that falls behind over
  // the longer time it took to answer.
  const seconds = Math.max(first.options.durationMs ?? 0, merged.whole.endMs - merged.whole.startMs) / 1000;
  const achievedRate = seconds > 0 ? merged.requests.ok / seconds : 0;
  const offeredRate = first.capacity.offeredRate;
  if (merged.requests.ok > 0 && achievedRate < KEEP_UP_SHARE * offeredRate) {
    verdict.failures.push(`achieved ${achievedRate.toFixed(1)} 2xx/s < ${100 * KEEP_UP_SHARE}% of ${offeredRate} offered`);
  }
  const starts = lines.map((l) => l.startMs);
  return {
    step: first.capacity.step,
    phase: first.capacity.phase,
    offeredRate,
    pods: lines.length,
    startMs: merged.whole.startMs,
    endMs: merged.whole.endMs,
    startSkewMs: Math.max(...starts) - Math.min(...starts),
    requests: merged.requests,
    achievedRate,
    latencyUs: merged.latencyUs,
    uncorrectedLatencyUs: merged.uncorrectedLatencyUs,
    histogram: merged.histogram,
    uncorrectedHistogram: merged.uncorrectedHistogram,
    statuses: merged.statuses,
    errors: merged.errors,
    failedRatio: failedShare(merged).ratio,
    servedBy: merged.servedBy,
    replicas: Object.keys(merged.servedBy).filter((name) => name !== '(none)').length,
    pass: verdict.failures.length === 0,
    failures: verdict.failures,
  };
}

/**
 * The answer for the step lines of one run (any number of pods), steps in the order run.
 * @throws Error when given no lines, lines of several runs, or pods that disagree on a step's rate.
 */
export function capacityAnswer(lines: readonly CapacityStepLine[]): CapacityAnswer {
  if (lines.length === 0) throw new Error('Expected capacity step lines but found none');
  const runs = [...new Set(lines.map((l) => l.capacity.run))];
  if (runs.length > 1) throw new Error(`Expected the step lines of one capacity run but found ${runs.length} runs (${runs.join(', ')})`);
  const byStep = new Map<number, CapacityStepLine[]>();
  for (const line of lines) byStep.set(line.capacity.step, [...(byStep.get(line.capacity.step) ?? []), line]);
  const steps = [...byStep.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, group]) => {
      const rates = new Set(group.map((l) => l.capacity.offeredRate));
      if (rates.size > 1) throw new Error(`Expected one offered rate for step ${step} but the pods ran ${[...rates].join(', ')} req/s`);
      return summarizeStep(group);
    });
  return {
    kind: ANSWER_KIND,
    version: STEP_VERSION,
    run: runs[0]!,
    urls: [...new Set(lines.map((l) => l.options.url))],
    // As judged: with the errors objective that parseObjectives adds when none was given.
    objectives: parseObjectives(lines[0]!.capacity.objectives).map((o) => o.text),
    ...decide(steps),
    steps,
  };
}

/**
 * The highest passing rate below the lowest failing one. A passing step above a failing rate
 * (a fixed schedule run on past the knee, or noise) does not count: the rate below it failed.
 */
export function decide(steps: readonly StepSummary[]): Pick<CapacityAnswer, 'sustainedRate' | 'provedBy' | 'firstFailing' | 'note'> {
  const failing = steps.filter((s) => !s.pass).sort((a, b) => a.offeredRate - b.offeredRate)[0];
  const below = steps.filter((s) => s.pass && (!failing || s.offeredRate < failing.offeredRate)).sort((a, b) => b.offeredRate - a.offeredRate)[0];
  const rate = (r: number) => `${r} req/s`;
  if (!below) {
    return {
      sustainedRate: null,
      provedBy: null,
      firstFailing: failing?.step ?? null,
      note: failing ? `even the lowest rate tried (${rate(failing.offeredRate)}) missed the objectives: lower --start-rate` : 'no step ran',
    };
  }
  if (!failing) {
    return {
      sustainedRate: below.offeredRate,
      provedBy: below.step,
      firstFailing: null,
      note: `every step met the objectives: the capacity is at least ${rate(below.offeredRate)} (raise --max-rate to find the limit)`,
    };
  }
  return {
    sustainedRate: below.offeredRate,
    provedBy: below.step,
    firstFailing: failing.step,
    note: `${rate(below.offeredRate)} met the objectives (step ${below.step}); ${rate(failing.offeredRate)} did not (step ${failing.step}: ${failing.failures.join(', ')})`,
  };
}
