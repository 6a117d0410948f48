// Human-readable tables for one bench result (what `client bench` prints without --json).
import type { BenchResult, MeasuredTotals } from './bench-result.ts';
import type { LatencySummary } from './latency-histogram.ts';
import { bytesPerSecond, countsList, ms, perSecond, renderTable, shareRows } from './format-table.ts';
import { formatTimeline } from './format-timeline.ts';

/** One latency row: label, p50, p90, p99, p99.9, max, mean. */
export function latencyRow(label: string, s: LatencySummary): string[] {
  return [label, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.p999), ms(s.max), ms(s.mean), String(s.count)];
}

export const LATENCY_HEADER = ['Latency', 'p50', 'p90', 'p99', 'p99.9', 'max', 'mean', 'samples'];

/**
 * The latency table (corrected and, for the open model, uncorrected rows labelled `label`),
 * then the status and error lines: the part a bench result and a merged report share.
 */
export function latencyAndStatusLines(totals: MeasuredTotals & { model: string }, label: string): string[] {
  return [
    renderTable(LATENCY_HEADER, [
      latencyRow(totals.model === 'open' ? `${label}, corrected` : label, totals.latencyUs),
      ...(totals.uncorrectedLatencyUs ? [latencyRow(`${label}, uncorrected`, totals.uncorrectedLatencyUs)] : []),
    ]),
    '',
    `Status codes: ${countsList(totals.statuses)}`,
    `Errors (no response): ${countsList(totals.errors)}`,
  ];
}

/** The tables for `result`, ending with a newline. */
export function formatBenchResult(result: BenchResult): string {
  const elapsed = result.endMs - result.startMs;
  const o = result.options;
  const model =
    result.model === 'open'
      ? `open model at ${o.shardRate} req/s (total ${o.rate}, shard ${result.shard.index + 1}/${result.shard.count}), latency from each request's due time`
      : 'closed model (each connection sends when its previous response arrived)';
  const out: string[] = [
    `${o.method} ${o.url}  Accept ${o.accept}  ${o.connections} connections  ${(elapsed / 1000).toFixed(2)} s measured` +
      (o.warmupMs > 0 ? ` after ${(o.warmupMs / 1000).toFixed(1)} s warm-up` : ''),
    model,
    '',
    renderTable(
      ['Requests', 'completed', '2xx', 'sent', 'req/s', '2xx/s', 'bytes/s'],
      [
        [
          '',
          String(result.requests.completed),
          String(result.requests.ok),
          String(result.requests.sent),
          perSecond(result.requests.completed, elapsed),
          perSecond(result.requests.ok, elapsed),
          bytesPerSecond(result.bytesReceived, elapsed),
        ],
      ],
    ),
    '',
    ...latencyAndStatusLines(result, '2xx'),
    '',
    renderTable(['X-Served-By', 'responses', 'share'], shareRows(result.servedBy)),
  ];
  if (result.timeline && result.timeline.length > 0) out.push('', formatTimeline(result.timeline));
  return `${out.join('\n')}\n`;
}
