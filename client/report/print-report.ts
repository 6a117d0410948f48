// Human-readable tables for a merged report (what `client report` prints without --json).
import type { MergedReport, WindowRates } from './merge-results.ts';
import { bytesPerSecond, ms, renderTable, shareRows } from '../bench/format-table.ts';
import { latencyAndStatusLines } from '../bench/print-bench.ts';
import { formatTimeline } from '../bench/format-timeline.ts';

function windowRow(label: string, w: WindowRates): string[] {
  return [
    label,
    new Date(w.startMs).toISOString(),
    new Date(w.endMs).toISOString(),
    w.seconds.toFixed(2),
    String(w.completed),
    w.reqPerSec.toFixed(1),
    w.okPerSec.toFixed(1),
  ];
}

/** The tables for `report`, ending with a newline. */
export function formatReport(report: MergedReport): string {
  const out: string[] = [
    `${report.pods} bench ${report.pods === 1 ? 'result' : 'results'}, ${report.model} model, ${report.urls.join(', ')}`,
    '',
    renderTable(
      ['Window', 'from', 'to', 'seconds', 'responses', 'req/s', '2xx/s'],
      [...(report.allRunning ? [windowRow('all pods running', report.allRunning)] : []), windowRow('whole run', report.whole)],
    ),
  ];
  if (!report.allRunning) out.push('(the pods never measured together for a whole second: no all-pods rate)');
  out.push(
    '',
    `Requests: ${report.requests.completed} responses, ${report.requests.ok} 2xx, ${report.requests.sent} sent; ` +
      `${bytesPerSecond(report.bytesReceived, report.whole.endMs - report.whole.startMs)} received over the whole run`,
    '',
    ...latencyAndStatusLines(report, 'merged'),
    '',
    renderTable(
      ['Pod (host)', 'shard', 'start skew', 'seconds', 'responses', 'req/s', 'errors', 'p50', 'p99', 'max'],
      report.podRows.map((p) => [
        p.host,
        p.shard,
        `${p.startSkewMs} ms`,
        (p.elapsedMs / 1000).toFixed(2),
        String(p.completed),
        p.reqPerSec.toFixed(1),
        String(p.errors),
        ms(p.latencyUs.p50),
        ms(p.latencyUs.p99),
        ms(p.latencyUs.max),
      ]),
    ),
    '',
    renderTable(['X-Served-By', 'responses', 'share'], shareRows(report.servedBy)),
  );
  if (report.timeline && report.timeline.length > 0) out.push('', formatTimeline(report.timeline));
  return `${out.join('\n')}\n`;
}
