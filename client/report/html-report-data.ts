// What the HTML report shows, computed in Node from a merged bench report or a capacity answer:
// summary rows (the figures the page prints), and the series its charts draw (percentile curve
// from the merged HDR histogram, the per-second timeline, replicas, outcomes, capacity steps).
// Pure data in, data out: the page itself (html-report.ts) only lays it out.
import type { CapacityAnswer } from '../capacity/capacity-answer.ts';
import { failedShare, parseObjectives } from '../capacity/objectives.ts';
import { decodeHistogram, percentileCurve, type LatencySummary } from '../bench/latency-histogram.ts';
import type { SloVerdict } from '../bench/slo-verdict.ts';
import type { MergedReport } from './merge-results.ts';

/** One figure of a summary table: `key` names it for tests and tools, `text` is what is shown. */
export interface SummaryRow {
  key: string;
  label: string;
  value: number | string | null;
  text: string;
}

export interface BenchView {
  kind: 'bench';
  label: string;
  model: string;
  summary: SummaryRow[];
  /** Latency (ms) against percentile, x in "nines" (1 = p90, 2 = p99, 3 = p99.9). */
  curve: Array<{ x: number; y: number }>;
  /** One point per second; t = seconds since the run's first second. Latency null without 2xx. */
  timeline: Array<{
    t: number;
    responses: number;
    ok: number;
    failed: number;
    p50: number | null;
    p99: number | null;
    coveredMs: number;
    /** Responses by X-Served-By value in that second. */
    servedBy: Record<string, number>;
  }>;
  replicas: Array<{ name: string; count: number }>;
  /** Responses by status and requests without response by kind; class picks the colour. */
  outcomes: Array<{ name: string; count: number; class: 'ok' | 'client' | 'server' | 'none' }>;
  pods: Array<Record<string, string>>;
  slo: SloVerdict | null;
}

export interface CapacityView {
  kind: 'capacity';
  label: string;
  summary: SummaryRow[];
  objectives: Array<{ percentile: string; ms: number }>;
  steps: Array<{
    step: number;
    phase: string;
    offered: number;
    achieved: number;
    p50: number;
    p90: number;
    p99: number;
    p999: number;
    failedPct: number;
    pass: boolean;
    verdict: string;
  }>;
  sustainedRate: number | null;
  firstFailingRate: number | null;
}

const ms = (us: number) => us / 1000;
const fixed = (v: number, digits: number) => v.toFixed(digits);
const row = (key: string, label: string, value: number | string | null, text: string): SummaryRow => ({ key, label, value, text });
const latencyRows = (l: LatencySummary, prefix = 'latencyUs', label = ''): SummaryRow[] =>
  (['p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const).map((p) =>
    row(`${prefix}.${p}`, `${label}${p === 'p999' ? 'p99.9' : p} latency`, ms(l[p]), `${fixed(ms(l[p]), 2)} ms`),
  );

/** The view of a merged bench report. */
export function benchView(report: MergedReport, label: string): BenchView {
  const window = report.allRunning ?? report.whole;
  const share = failedShare(report);
  const first = report.timeline?.[0]?.second ?? 0;
  const summary: SummaryRow[] = [
    row('pods', 'pods', report.pods, String(report.pods)),
    row('model', 'load model', report.model, report.model),
    row('urls', 'target', report.urls.join(' '), report.urls.join(', ')),
    row('start', 'started', new Date(report.whole.startMs).toISOString(), new Date(report.whole.startMs).toISOString().replace('T', ' ').slice(0, 19)),
    row('whole.seconds', 'measured seconds', report.whole.seconds, fixed(report.whole.seconds, 2)),
    row('requests.sent', 'requests sent', report.requests.sent, String(report.requests.sent)),
    row('requests.completed', 'responses', report.requests.completed, String(report.requests.completed)),
    row('requests.ok', '2xx responses', report.requests.ok, String(report.requests.ok)),
    row('failedPercent', 'failed (not 2xx or no response)', 100 * share.ratio, `${fixed(100 * share.ratio, 2)} %`),
    row('okPerSec', report.allRunning ? '2xx/s, all pods running' : '2xx/s, whole run', window.okPerSec, fixed(window.okPerSec, 1)),
    row('reqPerSec', report.allRunning ? 'responses/s, all pods running' : 'responses/s, whole run', window.reqPerSec, fixed(window.reqPerSec, 1)),
    ...latencyRows(report.latencyUs),
    ...(report.uncorrectedLatencyUs
      ? [
          row(
            'uncorrectedLatencyUs.p99',
            'p99 latency, uncorrected',
            ms(report.uncorrectedLatencyUs.p99),
            `${fixed(ms(report.uncorrectedLatencyUs.p99), 2)} ms`,
          ),
        ]
      : []),
    row(
      'replicas',
      'replicas (X-Served-By)',
      Object.keys(report.servedBy).filter((n) => n !== '(none)').length,
      String(Object.keys(report.servedBy).filter((n) => n !== '(none)').length),
    ),
  ];
  const outcomes: BenchView['outcomes'] = [
    ...Object.entries(report.statuses).map(([code, count]) => ({
      name: `HTTP ${code}`,
      count,
      class: code.startsWith('2') ? ('ok' as const) : code.startsWith('4') ? ('client' as const) : ('server' as const),
    })),
    ...Object.entries(report.errors).map(([kind, count]) => ({ name: kind, count, class: 'none' as const })),
  ];
  return {
    kind: 'bench',
    label,
    model: report.model,
    summary,
    curve: percentileCurve(decodeHistogram(report.histogram)).map((p) => ({ x: Number(p.nines.toFixed(3)), y: ms(p.valueUs) })),
    timeline: (report.timeline ?? []).map((s) => ({
      t: s.second - first,
      responses: s.responses,
      ok: s.ok,
      failed: s.non2xx + s.timeouts + s.errors,
      p50: s.ok > 0 ? ms(s.latencyUs.p50) : null,
      p99: s.ok > 0 ? ms(s.latencyUs.p99) : null,
      coveredMs: s.coveredMs,
      servedBy: s.servedBy,
    })),
    replicas: Object.entries(report.servedBy)
      .sort(([, a], [, b]) => b - a)
      .map(([name, count]) => ({ name, count })),
    outcomes,
    pods: report.podRows.map((p) => ({
      pod: p.host,
      shard: p.shard,
      'start skew': `${p.startSkewMs} ms`,
      seconds: fixed(p.elapsedMs / 1000, 2),
      responses: String(p.completed),
      'req/s': fixed(p.reqPerSec, 1),
      errors: String(p.errors),
      p50: `${fixed(ms(p.latencyUs.p50), 2)} ms`,
      p99: `${fixed(ms(p.latencyUs.p99), 2)} ms`,
    })),
    slo: report.slo ?? null,
  };
}

/** The view of a capacity answer (one pod's run, or the merged steps of a sharded one). */
export function capacityView(answer: CapacityAnswer, label: string): CapacityView {
  const byStep = new Map(answer.steps.map((s) => [s.step, s]));
  const proof = answer.provedBy === null ? undefined : byStep.get(answer.provedBy);
  const failing = answer.firstFailing === null ? undefined : byStep.get(answer.firstFailing);
  return {
    kind: 'capacity',
    label,
    summary: [
      row('urls', 'target', answer.urls.join(' '), answer.urls.join(', ')),
      row('objectives', 'objectives', answer.objectives.join(' '), answer.objectives.join(' ')),
      row('steps', 'steps', answer.steps.length, String(answer.steps.length)),
      row('sustainedRate', 'sustained rate (req/s)', answer.sustainedRate, answer.sustainedRate === null ? 'none' : String(answer.sustainedRate)),
      row('provedBy', 'proved by step', answer.provedBy, answer.provedBy === null ? '-' : String(answer.provedBy)),
      ...(proof ? latencyRows(proof.latencyUs, 'answer.latencyUs', 'at the answer: ').filter((r) => !r.key.endsWith('mean')) : []),
      row('note', 'why', answer.note, answer.note),
    ],
    objectives: parseObjectives(answer.objectives).flatMap((o) => (o.kind === 'latency' ? [{ percentile: o.percentile, ms: ms(o.maxUs) }] : [])),
    steps: answer.steps.map((s) => ({
      step: s.step,
      phase: s.phase,
      offered: s.offeredRate,
      achieved: Number(s.achievedRate.toFixed(2)),
      p50: ms(s.latencyUs.p50),
      p90: ms(s.latencyUs.p90),
      p99: ms(s.latencyUs.p99),
      p999: ms(s.latencyUs.p999),
      failedPct: 100 * s.failedRatio,
      pass: s.pass,
      verdict: s.pass ? (s.step === answer.provedBy ? 'pass (answer)' : 'pass') : `FAIL ${s.failures.join(', ')}`,
    })),
    sustainedRate: answer.sustainedRate,
    firstFailingRate: failing?.offeredRate ?? null,
  };
}
