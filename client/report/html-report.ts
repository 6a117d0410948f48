// `report --html FILE`: one self-contained page (styles, chart.js, the script and the data all
// inline; it loads nothing) with the merged figures as tables and every chart of a bench report,
// a capacity run, or two runs compared on the same axes. Responsive to a phone's width and
// laid out for print.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatVerdict } from '../bench/slo-verdict.ts';
import type { Comparison } from './compare-runs.ts';
import type { BenchView, CapacityView, SummaryRow } from './html-report-data.ts';
import { PAGE_SCRIPT } from './html-report-script.ts';
import { PAGE_STYLE } from './html-report-style.ts';

/** Everything one page shows: one run, or two with their comparison. */
export interface PageInput {
  title: string;
  runs: BenchView[] | CapacityView[];
  comparison?: Comparison;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe for HTML content and attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
/** JSON or script text made safe inside <script>: no `</script` or `<!--` can close or open anything. */
const scriptSafe = (text: string): string => text.replace(/</g, '\\u003c');

/** chart.js's UMD build, found beside the package's main file (its exports map hides dist/). */
async function chartJsSource(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('chart.js');
  const source = await readFile(join(dirname(main), 'chart.umd.js'), 'utf8');
  // The build ends with a source-map comment whose file is not in the page.
  return source.replace(/\/\/# sourceMappingURL=.*$/m, '').replace(/<\/script/gi, '<\\/script');
}

/** Figures longer than this are set as a paragraph under the grid instead of a grid cell. */
const CELL_TEXT = 48;

function summaryTable(run: BenchView | CapacityView): string {
  const cell = (r: SummaryRow) =>
    `<tr><th scope="row">${escapeHtml(r.label)}</th><td data-key="${escapeHtml(r.key)}"${r.text.length > 24 ? ' class="long"' : ''}>${escapeHtml(r.text)}</td></tr>`;
  const wide = (r: SummaryRow) => `<p class="wide-figure">${escapeHtml(r.label)}: <b data-key="${escapeHtml(r.key)}">${escapeHtml(r.text)}</b></p>`;
  const rows = run.summary.filter((r) => r.text.length <= CELL_TEXT).map(cell);
  const paragraphs = run.summary.filter((r) => r.text.length > CELL_TEXT).map(wide);
  return `<table class="summary" data-run="${escapeHtml(run.label)}"><tbody>${rows.join('')}</tbody></table>${paragraphs.join('')}`;
}

function recordTable(className: string, rows: ReadonlyArray<Record<string, string>>): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td data-col="${escapeHtml(c)}">${escapeHtml(r[c] ?? '')}</td>`).join('')}</tr>`).join('');
  return `<div class="scroll"><table class="${className}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function verdictBlock(run: BenchView): string {
  if (!run.slo) return '';
  const items = run.slo.checks
    .map(
      (c) =>
        `<li class="${c.met ? 'met' : 'missed'}" data-objective="${escapeHtml(c.objective)}"><b>${c.met ? 'met' : 'MISSED'}</b> ${escapeHtml(c.objective)}: ${escapeHtml(c.text)}</li>`,
    )
    .join('');
  return `<div class="slo ${run.slo.pass ? 'pass' : 'fail'}" title="${escapeHtml(formatVerdict(run.slo))}"><h3>Objectives: ${run.slo.pass ? 'all met' : 'missed'}</h3><ul>${items}</ul></div>`;
}

const chart = (id: string, title: string, caption: string): string =>
  `<figure class="chart"><figcaption><b>${escapeHtml(title)}</b> ${escapeHtml(caption)}</figcaption><div class="canvas-box"><canvas id="${id}" role="img" aria-label="${escapeHtml(title)}"></canvas></div></figure>`;

function runSection(run: BenchView | CapacityView): string {
  const parts = [`<section class="run"><h2>${escapeHtml(run.label)}</h2><div class="scroll">${summaryTable(run)}</div>`];
  if (run.kind === 'bench') {
    parts.push(verdictBlock(run));
    if (run.pods.length > 0) parts.push('<h3>Pods</h3>', recordTable('pods', run.pods));
  } else {
    const steps = run.steps.map((s) => ({
      step: String(s.step),
      phase: s.phase,
      'offered/s': s.offered.toFixed(1),
      '2xx/s': s.achieved.toFixed(1),
      p50: `${s.p50.toFixed(2)} ms`,
      p99: `${s.p99.toFixed(2)} ms`,
      'p99.9': `${s.p999.toFixed(2)} ms`,
      failed: `${s.failedPct.toFixed(2)} %`,
      verdict: s.verdict,
    }));
    parts.push('<h3>Steps</h3>', recordTable('steps', steps));
  }
  parts.push('</section>');
  return parts.join('');
}

function comparisonSection(c: Comparison): string {
  const value = (v: number | null) => (v === null ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 2));
  const rows = c.figures.map((f) => ({ figure: f.name, A: value(f.a), B: value(f.b), 'B/A': f.ratio === null ? '-' : f.ratio.toFixed(3) }));
  const efficiency =
    c.scalingEfficiency === null
      ? `<p>Same replica count (${c.replicas.a}) in both runs: no scaling efficiency.</p>`
      : `<p class="efficiency">Scaling efficiency: <b data-key="scalingEfficiency">${(100 * c.scalingEfficiency).toFixed(1)} %</b> = ${escapeHtml(c.rateName)} B / (A × ${c.replicas.b}/${c.replicas.a} replicas)</p>`;
  const notes = c.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
  return `<section class="compare"><h2>A: ${escapeHtml(c.labels.a)} · B: ${escapeHtml(c.labels.b)}</h2>${recordTable('figures', rows)}${efficiency}${notes}</section>`;
}

function chartsSection(kind: 'bench' | 'capacity', runs: number): string {
  const charts =
    kind === 'bench'
      ? [
          chart('chart-curve', 'Latency by percentile', '(2xx responses, merged HDR histogram; x in nines: 90 %, 99 %, 99.9 %)'),
          chart('chart-throughput', 'Throughput over time', '(per wall-clock second; the first and last seconds are partial)'),
          chart('chart-latency-time', 'p50 and p99 over time', "(each second's own histogram)"),
          // One line per replica: a replica that joined late or dropped out shows; two runs' replicas would crowd it.
          ...(runs === 1 ? [chart('chart-replicas-time', 'Responses per replica over time', '(X-Served-By, per second)')] : []),
          chart('chart-replicas', 'Responses per replica', '(X-Served-By)'),
          chart('chart-outcomes', 'Outcomes by status', '(green 2xx, orange 4xx, red 5xx, grey no response; log scale when any failed)'),
        ]
      : [
          chart('chart-capacity-latency', 'Latency against offered rate', '(dashed: objectives and the answer)'),
          chart('chart-capacity-achieved', 'Achieved against offered rate', '(green steps passed, red failed; dashed: the answer)'),
        ];
  return `<section class="charts">${charts.join('')}</section>`;
}

/**
 * The page for `input`, as one HTML string. Reads chart.js's UMD build from node_modules.
 * @throws Error when chart.js cannot be found.
 */
export async function renderHtmlReport(input: PageInput): Promise<string> {
  const kind = input.runs[0]?.kind ?? 'bench';
  const data = { kind, runs: input.runs };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="histogram-client report">
<title>${escapeHtml(input.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1><p class="meta">written ${escapeHtml(new Date().toISOString().replace('T', ' ').slice(0, 19))} UTC by histogram-client report</p></header>
<main>
${input.comparison ? comparisonSection(input.comparison) : ''}
<div class="runs">${input.runs.map(runSection).join('\n')}</div>
${chartsSection(kind, input.runs.length)}
</main>
<script type="application/json" id="report-data">${scriptSafe(JSON.stringify(data))}</script>
<script>${await chartJsSource()}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
