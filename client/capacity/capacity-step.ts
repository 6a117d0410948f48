// The lines a capacity run prints with --json: one per step (a bench result of that step's
// open-model load, plus where it sits in the run) and one closing answer line. `client report`
// reads the step lines back out of mixed log output and merges the pods' lines step by step.
import type { BenchResult } from '../bench/bench-result.ts';

export const STEP_KIND = 'histogram-capacity-step';
export const ANSWER_KIND = 'histogram-capacity-result';
export const STEP_VERSION = 1;

/** ramp: the rising rates; bisect: between the last passing and first failing rate; fixed: a
 * sharded run's whole schedule, run without decisions. */
export type StepPhase = 'ramp' | 'bisect' | 'fixed';

/** What a step line adds to a bench result. */
export interface StepPlacement {
  /** Shared by every pod of one run (the Job's uid, or --run-id), so report can group lines. */
  run: string;
  /** 0, 1, … in the order run. */
  step: number;
  phase: StepPhase;
  /** Total offered rate over all shards, req/s. */
  offeredRate: number;
  /** The objectives as given (`p99=250ms`, …). */
  objectives: string[];
}

/** One step of one pod. */
export interface CapacityStepLine extends Omit<BenchResult, 'kind'> {
  kind: typeof STEP_KIND;
  capacity: StepPlacement;
}

/** A step line from the bench result of that step. */
export function toStepLine(result: BenchResult, placement: StepPlacement): CapacityStepLine {
  return { ...result, kind: STEP_KIND, version: STEP_VERSION, capacity: placement };
}

/** The bench result inside a step line (what mergeResults takes). */
export function stepResult(line: CapacityStepLine): BenchResult {
  const { capacity: _placement, ...rest } = line;
  return { ...rest, kind: 'histogram-bench-result', version: 1 };
}

/** True when `value` is a step line of this version. */
export function isStepLine(value: unknown): value is CapacityStepLine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CapacityStepLine>;
  return v.kind === STEP_KIND && v.version === STEP_VERSION && typeof v.histogram === 'string' && typeof v.capacity?.step === 'number';
}

/**
 * Finds step lines in text such as `kubectl logs` output (a `[pod/name]` prefix is allowed).
 * @throws Error when a line carries the step marker but another version.
 */
export function extractStepLines(text: string): CapacityStepLine[] {
  const found: CapacityStepLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.includes(STEP_KIND)) continue;
    const brace = line.indexOf('{');
    if (brace === -1) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.slice(brace));
    } catch {
      continue;
    }
    if (isStepLine(parsed)) found.push(parsed);
    else if ((parsed as { kind?: unknown }).kind === STEP_KIND) {
      throw new Error(`Expected capacity step version ${STEP_VERSION} but received ${JSON.stringify((parsed as { version?: unknown }).version)}`);
    }
  }
  return found;
}
