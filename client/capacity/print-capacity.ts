// Human-readable output of a capacity run or of merged capacity lines: one row per step in the
// order run, then the answer (what `client capacity` and `client report` print without --json).
import { ms, renderTable } from '../bench/format-table.ts';
import type { CapacityAnswer, StepSummary } from './capacity-answer.ts';

/** "2 (48–52%)": distinct replicas and the smallest and largest share of responses. */
export function replicaSpread(servedBy: Record<string, number>): string {
  const counts = Object.entries(servedBy)
    .filter(([name]) => name !== '(none)')
    .map(([, n]) => n);
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.length === 0 || total === 0) return '-';
  if (counts.length === 1) return '1';
  const share = (n: number) => Math.round((100 * n) / total);
  return `${counts.length} (${share(Math.min(...counts))}–${share(Math.max(...counts))}%)`;
}

function statusText(s: StepSummary): string {
  const other = Object.entries(s.statuses).filter(([code]) => !code.startsWith('2'));
  const none = Object.entries(s.errors);
  const parts = [...other.map(([code, n]) => `${code}×${n}`), ...none.map(([kind, n]) => `${kind}×${n}`)];
  return parts.length === 0 ? '-' : parts.join(' ');
}

/** The step table. */
export function formatStepTable(steps: readonly StepSummary[], provedBy: number | null = null): string {
  return renderTable(
    ['step', 'phase', 'offered/s', '2xx/s', 'p50', 'p90', 'p99', 'p99.9', 'p99 uncorr.', 'failed', 'not 2xx', 'replicas', 'verdict'],
    steps.map((s) => [
      String(s.step),
      s.phase,
      s.offeredRate.toFixed(1),
      s.achievedRate.toFixed(1),
      ms(s.latencyUs.p50),
      ms(s.latencyUs.p90),
      ms(s.latencyUs.p99),
      ms(s.latencyUs.p999),
      s.uncorrectedLatencyUs ? ms(s.uncorrectedLatencyUs.p99) : '-',
      `${(100 * s.failedRatio).toFixed(2)}%`,
      statusText(s),
      replicaSpread(s.servedBy),
      (s.pass ? 'pass' : `FAIL ${s.failures.join(', ')}`) + (s.step === provedBy ? '  <- answer' : ''),
    ]),
  );
}

/** The whole report: objectives, steps, answer; ends with a newline. */
export function formatCapacity(answer: CapacityAnswer): string {
  const pods = Math.max(...answer.steps.map((s) => s.pods));
  const out = [
    `capacity of ${answer.urls.join(', ')}${pods > 1 ? ` from ${pods} pods` : ''}, objectives ${answer.objectives.join(' ')} ` +
      "(latency of 2xx responses from each request's due time; failed = not 2xx or no response)",
    '',
    formatStepTable(answer.steps, answer.provedBy),
    '',
    answer.sustainedRate === null ? `No sustained rate: ${answer.note}` : `Sustained: ${answer.sustainedRate} req/s (${answer.note})`,
  ];
  const skew = Math.max(...answer.steps.map((s) => s.startSkewMs));
  if (pods > 1 && skew > 1000) out.push(`(the pods started a step up to ${skew} ms apart: give them a common --start-at)`);
  return `${out.join('\n')}\n`;
}
