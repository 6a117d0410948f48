// Renders a chart.js configuration to PNG bytes: the one place that touches a canvas. One copy
// of chart.js per thread draws on node-canvas; a few live Charts (one per size, type and scale)
// are kept and only their data swapped, because building a Chart per request adds to every
// render what only the first needs. The set is bounded, and a Chart pushed out is destroyed, so
// requests for many sizes cannot grow memory. Every chart is drawn whole by chart.js. sharp
// encodes the raw pixels: its PNG encoder at low compression costs much less than canvas's own
// at its defaults (figures in docs/benchmarks.md).
import { createCanvas, type Canvas } from 'canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import sharp from 'sharp';

Chart.register(...registerables);

type AnyConfig = ChartConfiguration<'line' | 'bar', unknown, unknown>;
type AnyChart = Chart<'line' | 'bar', unknown, unknown>;

// The canvas starts transparent and the PNG has no alpha: paint it white before chart.js draws.
const whiteBackground: Plugin<'line' | 'bar'> = {
  id: 'white-background',
  beforeDraw({ ctx, width, height }) {
    ctx.save();
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Live Charts kept per thread; the least recently used one beyond this is destroyed. */
export const MAX_LIVE_CHARTS = 8;

interface LiveChart {
  canvas: Canvas;
  chart: AnyChart;
}

// Map order is insertion order: a hit is moved to the end, so the first entry is the least
// recently used.
const live = new Map<string, LiveChart>();

function keyOf(config: AnyConfig, width: number, height: number): string {
  const yType = (config.options?.scales?.y as { type?: string } | undefined)?.type ?? 'linear';
  return `${width}x${height}:${config.type}:${yType}`;
}

function liveChartFor(config: AnyConfig, width: number, height: number): LiveChart {
  const key = keyOf(config, width, height);
  const found = live.get(key);
  if (found) {
    live.delete(key);
    live.set(key, found);
    // Same type, scale and size by construction (the key): only data and titles change.
    const chart = found.chart;
    chart.data.datasets = config.data.datasets;
    chart.options.plugins!.title!.text = config.options?.plugins?.title?.text ?? '';
    const xTitle = (config.options?.scales?.x as { title?: { text?: string } } | undefined)?.title?.text;
    (chart.options.scales!.x as { title: { text: string } }).title.text = xTitle ?? '';
    chart.update('none');
    return found;
  }
  if (live.size >= MAX_LIVE_CHARTS) {
    const [oldestKey, oldest] = live.entries().next().value!;
    live.delete(oldestKey);
    oldest.chart.destroy();
  }
  const canvas = createCanvas(width, height);
  // chart.js reads canvas.style when it sizes the chart (there is no DOM here).
  (canvas as unknown as { style: object }).style = {};
  const chart = new Chart(canvas.getContext('2d') as never, { ...config, plugins: [...(config.plugins ?? []), whiteBackground] } as never) as AnyChart;
  const entry = { canvas, chart };
  live.set(key, entry);
  return entry;
}

/**
 * `config` with the datasets' colours drawn with red and blue exchanged. Only dataset colours
 * need it: chart.js's own text and grid colours are grays (red = blue), and so is the white
 * background.
 */
function withRedAndBlueSwapped(config: AnyConfig): AnyConfig {
  const datasets = config.data.datasets.map((dataset) => ({
    ...dataset,
    borderColor: swapRedBlue(dataset.borderColor),
    backgroundColor: swapRedBlue(dataset.backgroundColor),
  })) as AnyConfig['data']['datasets'];
  return { ...config, data: { ...config.data, datasets } };
}

const RGB = /^(rgba?\()\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(,[^)]*)?\)$/;

/** 'rgb(r, g, b)' / 'rgba(r, g, b, a)' with r and b exchanged; other values unchanged. */
export function swapRedBlue<T>(colour: T): T {
  if (typeof colour !== 'string') return colour;
  const m = RGB.exec(colour);
  return m ? (`${m[1]}${m[4]}, ${m[3]}, ${m[2]}${m[5] ?? ''})` as T) : colour;
}

/** How many Charts this thread keeps alive now (at most MAX_LIVE_CHARTS). */
export function liveChartCount(): number {
  return live.size;
}

/**
 * Draws `config` on a `width` × `height` canvas with a white background and returns a PNG.
 * The first call for a size/type/scale in a thread is slower (fonts, chart set-up).
 */
export async function renderChartPng(config: AnyConfig, width: number, height: number): Promise<Buffer> {
  const { canvas } = liveChartFor(withRedAndBlueSwapped(config), width, height);
  // cairo's ARGB32 pixels lie in memory as B, G, R, A (little-endian). Drawn with red and blue
  // swapped, they read as R, G, B, A: what sharp takes, with no pass over the pixels. The
  // background is opaque, so premultiplied alpha equals straight alpha.
  const raw = canvas.toBuffer('raw');
  return sharp(raw, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 1, adaptiveFiltering: false })
    .toBuffer();
}
