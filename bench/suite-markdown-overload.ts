// The overload and targets parts of the suite's RESULTS.md section: goodput, refusals, 2xx
// latency, /healthz and peak RSS per load and server, then every target met or missed.
import { closedLoopMax, formatValue, goodputAtTheTime, goodputRatio, targetRows, VERSUS_CONNECTIONS, type TargetRow } from './suite-summary.ts';
import { failures, formatRate, mib, ms, table, times } from './suite-markdown-format.ts';
import type { OverloadCell, OverloadLoad, Producer, SubjectInfo, SuiteRun } from './suite-types.ts';

/** The "Overload and goodput" subsection. */
export function overloadSection(run: SuiteRun, labelOf: (p: Producer) => string, imageLabel: (id: string) => string): string[] {
  const e = run.env;
  const lines: string[] = [];
  lines.push('### Overload and goodput', '');
  if (run.overload.length === 0) {
    lines.push('Not measured in this run (BENCH_OVERLOAD_DURATION=0).', '');
  } else {
    lines.push(
      "The old project's own load was `wrk2 -t12 -c100 -d30s -R1000 -s multipart.lua`. Debian has no wrk2, so two loads stand in for it, " +
        `each for ${e.overloadDurationMs / 1000} s uploading the ${imageLabel(run.overload[0]!.image)} to a freshly started server (after a ${Math.max(e.warmupMs, e.serverWarmupMs ?? 0) / 1000} s warm-up at C=${VERSUS_CONNECTIONS}):`,
      "- **wrk -c100**: Debian's wrk, 100 connections, each re-sending as soon as its answer arrives (closed model: a refused request comes straight back).",
      "- **open 1000/s**: `client bench --rate 1000 -c 100` (open model, wrk2's -R: 1000 requests due per second whatever happens, latency counted from each request's due time). " +
        'Requests still unanswered 5 s after the window are abandoned (the server is stopped), and counted.',
      '',
      "2xx/s is counted over the load window and divided by the closed-loop maximum: the same server's best JSON rate for the same image in the cells above (the targets' measure). " +
        `"C=${VERSUS_CONNECTIONS} just before" is a closed-model run of the same server right before the load (${e.durationMs / 1000} s): its capacity at that moment, ` +
        'so "÷ that" shows what the overload itself costs, apart from how the machine drifted since the cells above. ' +
        '`/healthz` is probed alongside at 20/s (open model, one connection, on the admin listener where the server announces one).',
      '',
    );
    const header = [
      'load',
      'server',
      '2xx/s',
      'closed-loop max',
      '÷ max',
      `C=${VERSUS_CONNECTIONS} just before`,
      '÷ that',
      '503s',
      'other failures',
      'p50 of 2xx',
      'p99 of 2xx',
      '/healthz p99 (max)',
      'peak RSS',
    ];
    lines.push(
      ...table(
        header,
        header.map((_, k) => (k < 2 ? 'l' : 'r')),
        run.overload.map((o) => overloadRow(run, o, labelOf(o.producer))),
      ),
      '',
    );
    const notes = run.overload.flatMap((o) => [
      ...(o.latencyNote ? [`${loadName(o.load)}, ${labelOf(o.producer)}: 2xx latency ${o.latencyNote}.`] : []),
      ...(o.healthzNote ? [`${loadName(o.load)}, ${labelOf(o.producer)}: ${o.healthzNote}.`] : []),
    ]);
    if (notes.length > 0) lines.push(...notes.map((n) => `- ${n}`), '');
    lines.push('Commands:', ...[...new Set(run.overload.map((o) => `- ${loadName(o.load)}: \`${o.command}\``))], '');
  }

  return lines;
}

/** The "Targets" subsection: before and after for each target, and the verdict on the last server. */
export function targetsSection(run: SuiteRun, servers: readonly SubjectInfo[]): string[] {
  const lines: string[] = [];
  lines.push('### Targets', '');
  const rows = targetRows(run);
  const targetHeader = ['target', 'goal', ...servers.map((s) => s.label), `verdict for ${servers.at(-1)?.label ?? 'this branch'}`];
  lines.push(
    ...table(
      targetHeader,
      targetHeader.map((_, k) => (k === 0 || k === targetHeader.length - 1 ? 'l' : 'r')),
      rows.map((r) => targetRow(r, servers)),
    ),
    '',
  );
  lines.push(
    "Counting speed and the chart's time are measured by `npm run bench:micro` (its own section of this file). " +
      'Plots: [suite-throughput.png](suite-throughput.png), [suite-overload.png](suite-overload.png).',
  );
  return lines;
}

function loadName(load: OverloadLoad): string {
  return load === 'wrk-c100' ? 'wrk -c100' : 'open 1000/s';
}

function overloadRow(run: SuiteRun, o: OverloadCell, label: string): string[] {
  const max = closedLoopMax(run, o.producer);
  const health = o.healthz === null ? '—' : `${ms(o.healthz.p99Ms)} (${ms(o.healthz.maxMs)}) ms${o.healthz.failed > 0 ? `, ${o.healthz.failed} failed` : ''}`;
  return [
    loadName(o.load),
    label,
    formatRate(o.okPerSec),
    formatRate(max),
    times(goodputRatio(run, o.producer, o.load)),
    formatRate(o.closedBefore),
    times(goodputAtTheTime(run, o.producer, o.load)),
    String(o.status503),
    failures(o.otherFailures),
    o.p50Ms === null ? '—' : `${ms(o.p50Ms)} ms`,
    o.p99Ms === null ? '—' : `${ms(o.p99Ms)} ms`,
    health,
    mib(o.peakRssMiB),
  ];
}

function targetRow(r: TargetRow, servers: readonly SubjectInfo[]): string[] {
  const goal = `${r.goal.kind === 'min' ? '≥' : '≤'} ${formatValue(r.goal.threshold, r.goal.unit)}`;
  const values = servers.map((s) => {
    const v = r.values[s.id];
    const verdict = r.verdicts[s.id];
    return v === null ? '—' : `${formatValue(v, r.goal.unit)}${verdict.met === false ? ' ✗' : verdict.met ? ' ✓' : ''}`;
  });
  const last = servers.at(-1);
  const verdict = last ? r.verdicts[last.id] : null;
  return [r.name, goal, ...values, verdict ? (verdict.met === false ? `**${verdict.text}**` : verdict.text) : '—'];
}
