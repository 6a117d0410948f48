// The suite's conclusions from one run, pure: ratios (versus the old service, versus the
// decode-only ceiling, goodput versus the closed-loop maximum), the wrk cross-check, and each
// target's verdict, met or missed and by how much.
import type { ImageClass, OverloadCell, OverloadLoad, Producer, RateCell, SubjectId, SuiteImageInfo, SuiteRun } from './suite-types.ts';

/** Connections of the side-by-side comparison with the old service. */
export const VERSUS_CONNECTIONS = 4;
/** This server ÷ the old service, JSON req/s at VERSUS_CONNECTIONS, per class. */
export const VERSUS_TARGETS: Readonly<Record<ImageClass, number>> = { noise: 2.5, small: 1.6, hd: 1.4, large: 3.5 };
/** JSON req/s ÷ decode-only ceiling (best over the connection counts), per class. */
export const DECODE_TARGETS: Readonly<Record<ImageClass, number>> = { noise: 0.6, small: 0.6, hd: 0.8, large: 0.8 };
/** 2xx/s under each overload ÷ the closed-loop maximum for the same image. */
export const GOODPUT_TARGET = 0.9;
export const HEALTHZ_P99_TARGET_MS = 50;
export const PEAK_RSS_TARGET_MIB = 400;

/** The two servers judged against the targets: before and after. */
export const JUDGED: readonly SubjectId[] = ['baseline', 'this'];

/** The closed-model `client bench` cell for these keys, if it ran. */
export function cellOf(run: SuiteRun, image: string, producer: Producer, connections: number, accept: 'json' | 'png' = 'json'): RateCell | undefined {
  return run.cells.find(
    (c) =>
      c.image === image &&
      c.producer === producer &&
      c.connections === connections &&
      c.accept === accept &&
      (c.generator === 'client bench' || c.generator === 'decode'),
  );
}

/** Best rate over the connection counts (client bench or decode-only), or null when none ran. */
export function bestRate(run: SuiteRun, image: string, producer: Producer, accept: 'json' | 'png' = 'json'): number | null {
  const rates = run.cells
    .filter((c) => c.image === image && c.producer === producer && c.accept === accept && (c.generator === 'client bench' || c.generator === 'decode'))
    .map((c) => c.okPerSec);
  return rates.length === 0 ? null : Math.max(...rates);
}

/** a ÷ b, null when either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
}

/** The middle value (the mean of the middle two for an even count), null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A producer's JSON cells at VERSUS_CONNECTIONS for one image, by round: round 1 is the suite's
 * own cell, rounds 2, 3, … the "versus round" cells run after it.
 */
export function versusRounds(run: SuiteRun, image: string, producer: Producer): Map<number, RateCell> {
  const rounds = new Map<number, RateCell>();
  const first = cellOf(run, image, producer, VERSUS_CONNECTIONS);
  if (first) rounds.set(1, first);
  for (const c of run.cells) {
    if (c.generator === 'versus round' && c.image === image && c.producer === producer && c.connections === VERSUS_CONNECTIONS && c.accept === 'json') {
      rounds.set(c.round ?? 2, c);
    }
  }
  return rounds;
}

/** Median of a producer's C=VERSUS_CONNECTIONS JSON rates over the rounds, null when none ran. */
export function versusRate(run: SuiteRun, image: string, producer: Producer): number | null {
  return median([...versusRounds(run, image, producer).values()].map((c) => c.okPerSec));
}

/**
 * A server's JSON req/s at VERSUS_CONNECTIONS over the old service's, one ratio per round both
 * ran in (the two measured back to back), in round order.
 */
export function versusOldRatios(run: SuiteRun, image: string, subject: SubjectId): number[] {
  const old = versusRounds(run, image, 'old');
  return [...versusRounds(run, image, subject)]
    .sort(([a], [b]) => a - b)
    .map(([round, cell]) => ratio(cell.okPerSec, old.get(round)?.okPerSec))
    .filter((r): r is number => r !== null);
}

/** A server's JSON req/s at VERSUS_CONNECTIONS over the old service's, for one image: the median of the rounds' ratios. */
export function versusOld(run: SuiteRun, image: string, subject: SubjectId): number | null {
  return median(versusOldRatios(run, image, subject));
}

/** The decode-only ceiling over the old service's C=4 rate (its median over the rounds): the most a server decoding with sharp can reach. */
export function decodeOverOld(run: SuiteRun, image: string): number | null {
  return ratio(bestRate(run, image, 'decode'), versusRate(run, image, 'old'));
}

/** A server's best JSON req/s over the best decode-only rate, for one image. */
export function versusDecode(run: SuiteRun, image: string, subject: SubjectId): number | null {
  return ratio(bestRate(run, image, subject), bestRate(run, image, 'decode'));
}

/** The closed-loop maximum the goodput is measured against: the best JSON rate for the noise image. */
export function closedLoopMax(run: SuiteRun, subject: SubjectId): number | null {
  const noise = run.images.find((i) => i.klass === 'noise' && i.target);
  return noise ? bestRate(run, noise.id, subject) : null;
}

export function overloadCell(run: SuiteRun, subject: SubjectId, load: OverloadLoad): OverloadCell | undefined {
  return run.overload.find((o) => o.producer === subject && o.load === load);
}

export function goodputRatio(run: SuiteRun, subject: SubjectId, load: OverloadLoad): number | null {
  return ratio(overloadCell(run, subject, load)?.okPerSec, closedLoopMax(run, subject));
}

/** 2xx/s under the load over the same server's closed-model rate just before it. */
export function goodputAtTheTime(run: SuiteRun, subject: SubjectId, load: OverloadLoad): number | null {
  const cell = overloadCell(run, subject, load);
  return ratio(cell?.okPerSec, cell?.closedBefore);
}

/** One wrk-versus-client-bench comparison: client bench, wrk, client bench again, back to back. */
export interface CrossCheck {
  producer: Producer;
  image: string;
  connections: number;
  clientBench: RateCell;
  /** The same client bench cell run again right after wrk, when it was. */
  repeat: RateCell | null;
  wrk: RateCell;
  /** (wrk − mean of the client bench runs) ÷ that mean, in percent. */
  rateDifferencePct: number;
  /** (repeat − first) ÷ first client bench run, in percent: the run-to-run spread to judge it by. */
  repeatDifferencePct: number | null;
}

export function crossChecks(run: SuiteRun): CrossCheck[] {
  const out: CrossCheck[] = [];
  for (const wrk of run.cells.filter((c) => c.generator === 'wrk')) {
    const clientBench = cellOf(run, wrk.image, wrk.producer, wrk.connections, wrk.accept);
    if (!clientBench || clientBench.okPerSec === 0) continue;
    const repeat =
      run.cells.find(
        (c) => c.generator === 'client bench repeat' && c.image === wrk.image && c.producer === wrk.producer && c.connections === wrk.connections,
      ) ?? null;
    const mean = repeat ? (clientBench.okPerSec + repeat.okPerSec) / 2 : clientBench.okPerSec;
    out.push({
      producer: wrk.producer,
      image: wrk.image,
      connections: wrk.connections,
      clientBench,
      repeat,
      wrk,
      rateDifferencePct: (100 * (wrk.okPerSec - mean)) / mean,
      repeatDifferencePct: repeat ? (100 * (repeat.okPerSec - clientBench.okPerSec)) / clientBench.okPerSec : null,
    });
  }
  return out;
}

/** What a target asks: at least or at most `threshold`. */
export interface Goal {
  kind: 'min' | 'max';
  threshold: number;
  unit: '×' | 'ms' | 'MiB';
}

export interface Verdict {
  met: boolean | null;
  /** "met, 12 % above", "missed by 31 % (needs ≥ 2.5×)", "not measured". */
  text: string;
}

export function formatValue(value: number, unit: Goal['unit']): string {
  return unit === '×' ? `${value.toFixed(2)}×` : unit === 'ms' ? `${value.toFixed(1)} ms` : `${value.toFixed(0)} MiB`;
}

/** Met or missed, and by how much (relative for ratios, absolute for ms and MiB). */
export function judge(value: number | null, goal: Goal, problem: string | null = null): Verdict {
  if (value === null) return { met: null, text: 'not measured' };
  const need = `${goal.kind === 'min' ? '≥' : '≤'} ${formatValue(goal.threshold, goal.unit)}`;
  const also = problem === null ? '' : `; ${problem}`;
  if (goal.kind === 'min') {
    if (value >= goal.threshold && problem === null) return { met: true, text: `met, ${((value / goal.threshold - 1) * 100).toFixed(0)} % above` };
    if (value >= goal.threshold) return { met: false, text: `missed: ${problem}` };
    return { met: false, text: `missed by ${((1 - value / goal.threshold) * 100).toFixed(0)} % (needs ${need})${also}` };
  }
  if (value <= goal.threshold && problem === null) return { met: true, text: `met, ${formatValue(goal.threshold - value, goal.unit)} to spare` };
  if (value <= goal.threshold) return { met: false, text: `missed: ${problem}` };
  return { met: false, text: `missed by ${formatValue(value - goal.threshold, goal.unit)} (needs ${need})${also}` };
}

export interface TargetRow {
  name: string;
  goal: Goal;
  values: Record<SubjectId, number | null>;
  verdicts: Record<SubjectId, Verdict>;
}

function row(name: string, goal: Goal, measure: (subject: SubjectId) => { value: number | null; problem?: string | null }): TargetRow {
  const values = {} as Record<SubjectId, number | null>;
  const verdicts = {} as Record<SubjectId, Verdict>;
  for (const subject of ['baseline', 'this', 'old'] as const) {
    const { value, problem } = measure(subject);
    values[subject] = value;
    verdicts[subject] = judge(value, goal, problem ?? null);
  }
  return { name, goal, values, verdicts };
}

function targetImage(run: SuiteRun, klass: ImageClass): SuiteImageInfo | undefined {
  return run.images.find((i) => i.klass === klass && i.target);
}

/** Every target the suite measures, in the order the tables list them. */
export function targetRows(run: SuiteRun): TargetRow[] {
  const rows: TargetRow[] = [];
  const classes: ImageClass[] = ['noise', 'small', 'hd', 'large'];
  for (const klass of classes) {
    const image = targetImage(run, klass);
    if (!image) continue;
    rows.push(
      row(`JSON req/s vs the old service, ${image.label}, C=${VERSUS_CONNECTIONS}`, { kind: 'min', threshold: VERSUS_TARGETS[klass], unit: '×' }, (s) => ({
        value: s === 'old' ? null : versusOld(run, image.id, s),
      })),
    );
  }
  for (const klass of classes) {
    const image = targetImage(run, klass);
    if (!image) continue;
    rows.push(
      row(`JSON req/s ÷ decode-only ceiling, ${image.label}`, { kind: 'min', threshold: DECODE_TARGETS[klass], unit: '×' }, (s) => ({
        value: s === 'old' ? null : versusDecode(run, image.id, s),
      })),
    );
  }
  const loads: Array<[OverloadLoad, string]> = [
    ['wrk-c100', 'wrk -c100'],
    ['open-1000', 'open model 1000/s'],
  ];
  for (const [load, name] of loads) {
    rows.push(
      row(`goodput under ${name}: 2xx/s ÷ closed-loop maximum`, { kind: 'min', threshold: GOODPUT_TARGET, unit: '×' }, (s) => ({
        value: goodputRatio(run, s, load),
      })),
    );
  }
  rows.push(
    row('/healthz p99 while saturated (worst overload cell)', { kind: 'max', threshold: HEALTHZ_P99_TARGET_MS, unit: 'ms' }, (s) => {
      const probed = run.overload.filter((o) => o.producer === s && o.healthz !== null);
      if (probed.length === 0) return { value: null };
      const failed = probed.reduce((n, o) => n + o.healthz!.failed, 0);
      return { value: Math.max(...probed.map((o) => o.healthz!.p99Ms)), problem: failed > 0 ? `${failed} probes got no 2xx` : null };
    }),
  );
  rows.push(
    row('server peak RSS (VmHWM) in the overload cells', { kind: 'max', threshold: PEAK_RSS_TARGET_MIB, unit: 'MiB' }, (s) => {
      const rss = run.overload.filter((o) => o.producer === s && o.peakRssMiB !== null).map((o) => o.peakRssMiB!);
      return { value: rss.length === 0 ? null : Math.max(...rss) };
    }),
  );
  return rows;
}
