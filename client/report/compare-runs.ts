// Two runs side by side (`report --compare A B`): the figures of each, their ratio B/A, and for
// a change of replicas the scaling efficiency rate_B / (rate_A × replicas_B / replicas_A).
import type { CapacityAnswer } from '../capacity/capacity-answer.ts';
import { failedShare } from '../capacity/objectives.ts';
import type { MergedReport } from './merge-results.ts';

export const COMPARE_KIND = 'histogram-compare';

/** One side: a merged bench report or a capacity answer. */
export type RunSide = { kind: 'bench'; report: MergedReport } | { kind: 'capacity'; answer: CapacityAnswer };

export interface Figure {
  name: string;
  a: number | null;
  b: number | null;
  /** b / a, null when either is missing or a is 0. */
  ratio: number | null;
}

export interface Comparison {
  kind: typeof COMPARE_KIND;
  version: 1;
  runKind: 'bench' | 'capacity';
  labels: { a: string; b: string };
  /** The rate the efficiency is computed from: 2xx/s (bench) or the sustained rate (capacity). */
  rateName: string;
  replicas: { a: number; b: number; source: { a: 'X-Served-By' | 'option'; b: 'X-Served-By' | 'option' } };
  figures: Figure[];
  /** rate_B / (rate_A × replicas_B / replicas_A); null when the replicas are equal or a rate is missing. */
  scalingEfficiency: number | null;
  /** Caveats (open-model bench runs only hold their offered rate, …). */
  notes: string[];
}

/** Distinct X-Served-By values, "(none)" not counted. */
export function distinctReplicas(servedBy: Record<string, number>): number {
  return Object.keys(servedBy).filter((name) => name !== '(none)').length;
}

interface SideFigures {
  rate: number | null;
  replicas: number;
  values: Record<string, number | null>;
}

function benchFigures(r: MergedReport): SideFigures {
  const rate = (r.allRunning ?? r.whole).okPerSec;
  const ms = (us: number) => (r.latencyUs.count > 0 ? us / 1000 : null);
  return {
    rate,
    replicas: distinctReplicas(r.servedBy),
    values: {
      '2xx/s': rate,
      'responses/s': (r.allRunning ?? r.whole).reqPerSec,
      '2xx': r.requests.ok,
      'p50 ms': ms(r.latencyUs.p50),
      'p90 ms': ms(r.latencyUs.p90),
      'p99 ms': ms(r.latencyUs.p99),
      'p99.9 ms': ms(r.latencyUs.p999),
      'max ms': ms(r.latencyUs.max),
      'failed %': 100 * failedShare(r).ratio,
    },
  };
}

function capacityFigures(a: CapacityAnswer): SideFigures {
  const proof = a.steps.find((s) => s.step === a.provedBy);
  const ms = (us: number | undefined) => (us === undefined ? null : us / 1000);
  return {
    rate: a.sustainedRate,
    replicas: proof ? proof.replicas : Math.max(0, ...a.steps.map((s) => s.replicas)),
    values: {
      'sustained req/s': a.sustainedRate,
      '2xx/s at answer': proof?.achievedRate ?? null,
      'p50 ms at answer': ms(proof?.latencyUs.p50),
      'p90 ms at answer': ms(proof?.latencyUs.p90),
      'p99 ms at answer': ms(proof?.latencyUs.p99),
      'p99.9 ms at answer': ms(proof?.latencyUs.p999),
      'failed % at answer': proof ? 100 * proof.failedRatio : null,
      steps: a.steps.length,
    },
  };
}

/**
 * Compares `a` with `b`. Replicas come from the distinct X-Served-By values unless given.
 * @throws Error when the two are not the same kind of run, or a replica count is not >= 1.
 */
export function compareRuns(a: RunSide, b: RunSide, labels: { a: string; b: string }, replicas: { a?: number; b?: number } = {}): Comparison {
  if (a.kind !== b.kind)
    throw new Error(`Expected two bench runs or two capacity runs but received a ${a.kind} run (${labels.a}) and a ${b.kind} run (${labels.b})`);
  const fa = a.kind === 'bench' ? benchFigures(a.report) : capacityFigures(a.answer);
  const fb = b.kind === 'bench' ? benchFigures(b.report) : capacityFigures(b.answer);
  const ra = replicas.a ?? fa.replicas;
  const rb = replicas.b ?? fb.replicas;
  for (const [side, n] of [
    ['a', ra],
    ['b', rb],
  ] as const) {
    if (!(Number.isInteger(n) && n >= 1)) {
      throw new Error(`Expected a replica count >= 1 for run ${side.toUpperCase()} but its responses carry ${n} X-Served-By values: give --replicas-${side}`);
    }
  }
  const figures: Figure[] = Object.keys(fa.values).map((name) => {
    const va = fa.values[name] ?? null;
    const vb = fb.values[name] ?? null;
    return { name, a: va, b: vb, ratio: va !== null && vb !== null && va !== 0 ? vb / va : null };
  });
  figures.push({ name: 'replicas', a: ra, b: rb, ratio: rb / ra });
  const notes: string[] = [];
  if (a.kind === 'bench' && b.kind === 'bench' && (a.report.model === 'open' || b.report.model === 'open')) {
    notes.push(
      'an open-model bench sends at its asked rate, so its 2xx/s shows the rate asked for, not what the replicas sustain: compare closed-model benches or capacity runs for scaling',
    );
  }
  const scalingEfficiency = ra !== rb && fa.rate !== null && fb.rate !== null && fa.rate > 0 ? fb.rate / (fa.rate * (rb / ra)) : null;
  return {
    kind: COMPARE_KIND,
    version: 1,
    runKind: a.kind,
    labels,
    rateName: a.kind === 'bench' ? '2xx/s' : 'sustained req/s',
    replicas: { a: ra, b: rb, source: { a: replicas.a === undefined ? 'X-Served-By' : 'option', b: replicas.b === undefined ? 'X-Served-By' : 'option' } },
    figures,
    scalingEfficiency,
    notes,
  };
}
