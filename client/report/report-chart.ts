// PNG charts for benchmark reports: latency percentile distributions (x in "nines", as
// HdrHistogram's plotter draws them) and bar charts such as requests per replica.
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartConfiguration } from 'chart.js';
import type { Histogram } from 'hdr-histogram-js';
import sharp from 'sharp';
import { decodeHistogram, percentileCurve } from '../bench/latency-histogram.ts';
import type { MergedReport } from './merge-results.ts';
import type { BenchResult } from '../bench/bench-result.ts';

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const WIDTH = 1000;
const HEIGHT = 500;

/** Renders one chart.js configuration to PNG bytes on a white background. */
export async function renderChart(config: ChartConfiguration, width = WIDTH, height = HEIGHT): Promise<Buffer> {
  const canvas = new ChartJSNodeCanvas({ width, height, backgroundColour: 'white' });
  return canvas.renderToBuffer({ ...config, options: { ...config.options, animation: false, responsive: false } } as ChartConfiguration);
}

function ninesLabel(nines: number): string {
  if (nines === 0) return '0%';
  return `${Number((100 * (1 - 10 ** -nines)).toFixed(nines + 1))}%`;
}

/** Latency (ms) against percentile for each named histogram; the first is drawn thickest. */
export function percentileChart(title: string, series: ReadonlyArray<{ label: string; histogram: Histogram }>): ChartConfiguration {
  return {
    type: 'line',
    data: {
      datasets: series.map(({ label, histogram }, k) => ({
        label,
        data: percentileCurve(histogram).map((p) => ({ x: p.nines, y: p.valueUs / 1000 })),
        borderColor: COLOURS[k % COLOURS.length],
        backgroundColor: COLOURS[k % COLOURS.length],
        borderWidth: k === 0 ? 3 : 1.5,
        pointRadius: 0,
        stepped: 'after' as const,
      })),
    },
    options: {
      parsing: false,
      plugins: { title: { display: true, text: title }, legend: { position: 'top' } },
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: 'percentile' }, ticks: { stepSize: 1, callback: (v) => ninesLabel(Number(v)) } },
        y: { type: 'linear', min: 0, title: { display: true, text: 'latency (ms)' } },
      },
    },
  };
}

/** A bar chart of labelled counts (e.g. responses per X-Served-By value). */
export function barChart(title: string, axis: string, bars: ReadonlyArray<{ label: string; values: number[] }>, categories: string[]): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: categories,
      datasets: bars.map(({ label, values }, k) => ({ label, data: values, backgroundColor: COLOURS[k % COLOURS.length] })),
    },
    options: {
      plugins: { title: { display: true, text: title }, legend: { display: bars.length > 1 } },
      scales: { y: { beginAtZero: true, title: { display: true, text: axis } } },
    },
  };
}

/** Stacks PNGs of equal width vertically. */
export async function stackPngs(pngs: readonly Buffer[], width = WIDTH, height = HEIGHT): Promise<Buffer> {
  return sharp({ create: { width, height: height * pngs.length, channels: 3, background: '#ffffff' } })
    .composite(pngs.map((input, k) => ({ input, top: k * height, left: 0 })))
    .png()
    .toBuffer();
}

/** The report chart: merged and per-pod percentile curves above requests per replica. */
export async function renderReportChart(report: MergedReport, results: readonly BenchResult[]): Promise<Buffer> {
  const series = [{ label: `merged (${report.pods} ${report.pods === 1 ? 'pod' : 'pods'})`, histogram: decodeHistogram(report.histogram) }];
  if (results.length > 1 && results.length <= COLOURS.length - 1) {
    for (const r of results) series.push({ label: `${r.host} #${r.shard.index}`, histogram: decodeHistogram(r.histogram) });
  }
  const corrected = report.model === 'open' ? ', corrected for coordinated omission' : '';
  const replicas = Object.entries(report.servedBy).sort(([, a], [, b]) => b - a);
  return stackPngs([
    await renderChart(percentileChart(`Latency of 2xx responses by percentile${corrected}`, series)),
    await renderChart(
      barChart(
        'Responses per replica (X-Served-By)',
        'responses',
        [{ label: 'responses', values: replicas.map(([, n]) => n) }],
        replicas.map(([name]) => name),
      ),
    ),
  ]);
}
