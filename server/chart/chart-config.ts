// The chart's configuration, pure: histogram counts in, chart.js configuration out. Rendering
// (the only place that touches a canvas) is in render-chart.ts.
import type { ChartConfiguration, Scale } from 'chart.js';
import type { RangeKind } from '../api/query-limits.ts';

export type ChartType = 'line' | 'bar';
export type ChartScale = 'linear' | 'log';

export interface ChartOptions {
  width: number;
  height: number;
  type: ChartType;
  scale: ChartScale;
  /** How the bins span values (default full: the depth's whole scale, bins of whole values). */
  range?: RangeKind;
}

/** One line or bar set: channel name, counts per bin, and the bins' outer edges (default [0, 256]). */
export type ChartSeries = readonly [string, readonly number[], (readonly [number, number])?];

/** The x axis every dataset carries, so a chart object reused for another config reads its own. */
interface XAxis {
  min: number;
  max: number;
  ticks: number[];
}

const X_TICKS = [0, 32, 64, 96, 128, 160, 192, 224, 255];
const LINE_WIDTH = 1.5;

/** The colour each channel is drawn in. */
export const CHANNEL_COLOURS: Readonly<Record<string, string>> = {
  red: 'rgb(214, 39, 40)',
  green: 'rgb(44, 160, 44)',
  blue: 'rgb(31, 119, 180)',
  alpha: 'rgb(148, 103, 189)',
  luma: 'rgb(60, 60, 60)',
};

/**
 * chart.js configuration for `series` (channel name → counts per bin → bin edges). The x axis
 * is linear over pixel values (0..255, 0..65535 at depth 16, or the bins' edges for range data
 * and LO,HI) with numeric {x, y} points and parsing off: a category axis of 256 labels makes
 * chart.js measure every label, about twice the drawing time.
 */
export function chartConfig(
  series: ReadonlyArray<ChartSeries>,
  options: ChartOptions,
  title: string,
): ChartConfiguration<'line' | 'bar', { x: number; y: number }[]> {
  const bins = series[0]?.[1].length ?? 256;
  const full = (options.range ?? 'full') === 'full';
  const edges = series.map(([, , binRange]) => binRange ?? ([0, 256] as const));
  const lo = Math.min(...edges.map(([from]) => from));
  const hi = Math.max(...edges.map(([, to]) => to));
  const xAxis: XAxis = full ? fullAxis(hi) : { min: lo, max: hi, ticks: Array.from({ length: 9 }, (_, k) => (k === 8 ? hi : lo + (k * (hi - lo)) / 8)) };
  const bar = options.type === 'bar';
  const datasets = series.map(([name, counts, binRange = [0, 256] as const]) => ({
    label: name,
    xAxis,
    data: counts.map((count, i) => ({ x: binCentre(binRange, bins, i, full), y: options.scale === 'log' && count === 0 ? Number.NaN : count })),
    borderColor: CHANNEL_COLOURS[name] ?? 'black',
    backgroundColor: bar ? withAlpha(CHANNEL_COLOURS[name] ?? 'black', 0.45) : (CHANNEL_COLOURS[name] ?? 'black'),
    borderWidth: bar ? 0 : LINE_WIDTH,
    pointRadius: 0,
    borderDash: name === 'alpha' ? [6, 4] : [],
    spanGaps: false,
    barPercentage: 1,
    categoryPercentage: 1,
  }));
  return {
    type: options.type,
    data: { datasets },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      normalized: true,
      devicePixelRatio: 1,
      plugins: {
        legend: { display: true, position: 'top' },
        title: { display: true, text: title },
        tooltip: { enabled: false },
      },
      scales: {
        x: {
          type: 'linear',
          // Bounds set in the options too: with them chart.js clips lines at the x bounds (its
          // default clip).
          min: xAxis.min,
          max: xAxis.max,
          offset: false,
          title: { display: true, text: xTitle(bins, full, hi, lo, options.range ?? 'full') },
          ticks: { autoSkip: false, maxRotation: 0 },
          // Bounds and fixed ticks from the datasets (a reused chart object gets new datasets,
          // not new scale options): no tick generation; at depth 8 multiples of 32 and 255.
          afterDataLimits: (axis: Scale) => {
            const own = axisOf(axis);
            if (!own) return;
            axis.min = own.min;
            axis.max = own.max;
          },
          afterBuildTicks: (axis: Scale) => {
            axis.ticks = (axisOf(axis)?.ticks ?? X_TICKS).map((value) => ({ value }));
          },
        },
        y: {
          type: options.scale === 'log' ? 'logarithmic' : 'linear',
          beginAtZero: options.scale !== 'log',
          title: { display: true, text: options.scale === 'log' ? 'pixels (log scale)' : 'pixels' },
        },
      },
    },
  };
}

/** Full range over 0..scale: whole values, ticks at eighths of the scale and its top value. */
function fullAxis(scale: number): XAxis {
  const ticks = scale === 256 ? X_TICKS : [...Array.from({ length: 8 }, (_, k) => (k * scale) / 8), scale - 1];
  return { min: 0, max: scale - 1, ticks };
}

/**
 * Where bin i is drawn. Full range: the centre of the whole values in it (for one value per bin,
 * the value itself). Otherwise: the middle of its edges.
 */
function binCentre([lo, hi]: readonly [number, number], bins: number, i: number, full: boolean): number {
  const width = (hi - lo) / bins;
  if (!full) return lo + (i + 0.5) * width;
  return bins === hi - lo ? i : i * width + (width - 1) / 2;
}

function xTitle(bins: number, full: boolean, hi: number, lo: number, range: RangeKind): string {
  if (!full) return `pixel value (${bins} bins over ${range === 'data' ? "each channel's min..max" : `${trim(lo)}..${trim(hi)}`})`;
  const parts = [...(bins === hi ? [] : [`${bins} bins of ${trim(hi / bins)}`]), ...(hi === 65536 ? ['16-bit'] : [])];
  return parts.length === 0 ? 'pixel value' : `pixel value (${parts.join(', ')})`;
}

function axisOf(axis: Scale): XAxis | undefined {
  return (axis.chart.data.datasets[0] as { xAxis?: XAxis } | undefined)?.xAxis;
}

function withAlpha(rgb: string, alpha: number): string {
  return rgb.replace('rgb(', 'rgba(').replace(')', `, ${alpha})`);
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
