// The outputs of an older server's answer (a luma histogram only), made by the client itself:
// the JSON and CSV text, and the PNG chart drawn with chart.js on node-canvas, as the server
// draws its own. The bins span the image's own luma min..max, which the answer does not give, so
// the x axis counts bins, never pixel values.
import type { ChartConfiguration } from 'chart.js';
import type { LegacyHistogram } from './histogram-json.ts';

/** Chart settings the client honours itself (the server's defaults). */
export interface LegacyChartOptions {
  /** Pixels (default 800). */
  width?: number;
  /** Pixels (default 400). */
  height?: number;
  /** y axis (default linear). */
  scale?: 'linear' | 'log';
  /** Default line. */
  type?: 'line' | 'bar';
}

/** Luma's colour in the server's charts. */
const LUMA_COLOUR = 'rgb(60, 60, 60)';

/**
 * The JSON file for an older server's answer: its `histogram` as it came, with the fields of
 * this service's answer that describe it (`bins`, `pixels`, `range: "data"`, `luma: "rec601"`).
 */
export function legacyJson(legacy: LegacyHistogram): string {
  const body = { bins: legacy.histogram.length, pixels: legacy.pixels, range: 'data', luma: 'rec601', histogram: legacy.histogram };
  return `${JSON.stringify(body)}\n`;
}

/** The CSV file: `bin,luma`, one row per bin (bin numbers, since the bins' values are not known). */
export function legacyCsv(legacy: LegacyHistogram): string {
  return `bin,luma\n${legacy.histogram.map((count, bin) => `${bin},${count}`).join('\n')}\n`;
}

/** chart.js configuration of the luma histogram, x over bin numbers (pure). */
export function legacyChartConfig(legacy: LegacyHistogram, title: string, o: LegacyChartOptions = {}): ChartConfiguration<'line' | 'bar'> {
  const bins = legacy.histogram.length;
  const log = o.scale === 'log';
  const bar = o.type === 'bar';
  return {
    type: bar ? 'bar' : 'line',
    data: {
      datasets: [
        {
          label: 'luma',
          data: legacy.histogram.map((count, bin) => ({ x: bin, y: log && count === 0 ? Number.NaN : count })),
          borderColor: LUMA_COLOUR,
          backgroundColor: bar ? 'rgba(60, 60, 60, 0.45)' : LUMA_COLOUR,
          borderWidth: bar ? 0 : 1.5,
          pointRadius: 0,
          barPercentage: 1,
          categoryPercentage: 1,
        },
      ],
    },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      devicePixelRatio: 1,
      plugins: { legend: { display: true, position: 'top' }, title: { display: true, text: title }, tooltip: { enabled: false } },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: bins - 1,
          title: { display: true, text: `bin (${bins} bins over the image's own luma min..max, as the older server counts)` },
        },
        y: {
          type: log ? 'logarithmic' : 'linear',
          beginAtZero: !log,
          title: { display: true, text: log ? 'pixels (log scale)' : 'pixels' },
        },
      },
    },
  };
}

/**
 * Draws the luma histogram as a PNG on a white background.
 * @throws Error from canvas when it cannot draw (no cairo).
 */
export async function legacyChartPng(legacy: LegacyHistogram, title: string, o: LegacyChartOptions = {}): Promise<Buffer> {
  // Loaded on first use: only an older server's answer needs the client to draw.
  const { ChartJSNodeCanvas } = await import('chartjs-node-canvas');
  const width = o.width ?? 800;
  const height = o.height ?? 400;
  const canvas = new ChartJSNodeCanvas({ width, height, backgroundColour: 'white' });
  return canvas.renderToBuffer(legacyChartConfig(legacy, title, o) as ChartConfiguration);
}
