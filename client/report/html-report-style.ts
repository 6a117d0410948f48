// The HTML report's style sheet, as text to inline: a grid of charts that is two columns at
// 1200 px and one on a phone, tables that scroll sideways rather than overflow, and a print
// layout (no shadows, charts kept whole on a page).
export const PAGE_STYLE = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #d8dde6; --card: #ffffff; --bg: #f4f6f9; --ok: #2ca02c; --bad: #d62728; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { padding: 20px 24px 8px; }
h1 { font-size: 1.45rem; margin: 0 0 4px; word-break: break-word; }
h2 { font-size: 1.15rem; margin: 0 0 10px; word-break: break-word; }
h3 { font-size: 1rem; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0; font-size: 0.85rem; }
main { padding: 8px 24px 24px; max-width: 1500px; margin: 0 auto; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 0 0 16px; box-shadow: 0 1px 2px rgba(0,0,0,.04); }
section.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 16px; background: none; border: 0; padding: 0; box-shadow: none; }
.runs { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 16px; margin-bottom: 16px; }
.runs section { margin: 0; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-bottom: 6px; }
figcaption b { color: var(--ink); font-size: 0.95rem; }
.canvas-box { position: relative; height: 320px; width: 100%; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.summary tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 250px), 1fr)); column-gap: 20px; }
table.summary tr { display: flex; justify-content: space-between; gap: 12px; border-bottom: 1px solid var(--line); }
table.summary th, table.summary td { border: 0; padding: 4px 0; }
table.summary th { color: var(--muted); font-weight: normal; }
table.summary td { font-weight: 600; text-align: right; white-space: nowrap; }
table.summary td.long { white-space: normal; word-break: break-word; }
table.steps td, table.pods td, table.figures td { white-space: nowrap; }
table.steps td[data-col="verdict"] { white-space: normal; min-width: 14em; }
.wide-figure { margin: 8px 0 0; color: var(--muted); }
.wide-figure b { color: var(--ink); }
.slo { border-radius: 6px; padding: 8px 12px; margin-top: 12px; }
.slo.pass { background: #eaf6ea; border: 1px solid var(--ok); }
.slo.fail { background: #fdecec; border: 1px solid var(--bad); }
.slo h3 { margin: 0 0 4px; }
.slo ul { margin: 0; padding-left: 18px; }
.slo li.missed b { color: var(--bad); }
.slo li.met b { color: var(--ok); }
.efficiency { font-size: 1.05rem; }
.note { color: var(--muted); }
@media (max-width: 600px) {
  body { font-size: 14px; }
  header { padding: 14px 12px 4px; }
  main { padding: 6px 10px 16px; }
  section { padding: 10px; }
  .canvas-box { height: 260px; }
}
@media print {
  @page { margin: 12mm; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section, figure.chart { box-shadow: none; border-color: #bbb; }
  section.charts, .runs { display: block; }
  figure.chart { margin: 0 0 10mm; }
  .canvas-box { height: 80mm; }
  .scroll { overflow: visible; }
}
`;
