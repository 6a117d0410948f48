// Gating a run on objectives: `bench --slo` and `report --slo` judge the run (or the merged run
// of a Job's pods), print each objective as met or missed, and exit with a status of their own
// when one is missed, so a pipeline can fail a deploy without parsing JSON.
import type { MeasuredTotals } from './bench-result.ts';
import { checkObjectives, parseObjectives, type ObjectiveCheck } from '../capacity/objectives.ts';

/**
 * Exit status when the run completed but missed an objective: apart from 1 (the work failed:
 * no 2xx at all, target never ready) and 2 (wrong command line, nothing sent).
 */
export const EXIT_OBJECTIVE_MISSED = 3;

/** The verdict a result line (`slo`) and a merged report carry when objectives were given. */
export interface SloVerdict {
  /** True when every objective was met. */
  pass: boolean;
  /** The objectives as parsed, in order, `errors=1%` included when it was added. */
  checks: ObjectiveCheck[];
}

/**
 * Judges `totals` against objectives written as for `--slo` (`p99=250ms`, `errors=0.1%`;
 * `errors=1%` is added when no errors objective is given).
 * @throws Error naming a malformed objective.
 */
export function judgeObjectives(texts: readonly string[], totals: Pick<MeasuredTotals, 'requests' | 'errors' | 'latencyUs'>): SloVerdict {
  const checks = checkObjectives(parseObjectives(texts), totals);
  return { pass: checks.every((c) => c.met), checks };
}

/** The verdict in lines: a heading, then one line per objective with met or MISSED. */
export function formatVerdict(verdict: SloVerdict): string {
  const width = Math.max(...verdict.checks.map((c) => c.objective.length));
  const lines = [
    verdict.pass ? 'Objectives: all met' : `Objectives: MISSED (exit ${EXIT_OBJECTIVE_MISSED})`,
    ...verdict.checks.map((c) => `  ${c.objective.padEnd(width)}  ${c.met ? 'met   ' : 'MISSED'}  ${c.text}`),
  ];
  return `${lines.join('\n')}\n`;
}
