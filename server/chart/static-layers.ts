// Reuses a chart's static layers (white background, title, legend, axes, grid, tick labels)
// across renders. They depend only on the chart's size, type, titles, legend entries and the
// axes' ranges and ticks, not on the data lines; text layout and grid strokes cost about half
// of a default chart's drawing. So the first render with a given set of those facts is drawn
// whole by chart.js; the second is drawn whole too and its static layers are kept; later
// renders with the same facts copy them back and draw only the datasets. Most charts are drawn
// once (the title names the upload), and copying their layers aside would add 10–15 % to
// their drawing for nothing. The kept layers are bounded in bytes per thread.
import { createCanvas, type Canvas } from 'canvas';
import type { Chart, Plugin } from 'chart.js';

/** Bytes of kept static layers per thread (an 800×400 chart's layers take 1.22 MiB). */
export const STATIC_LAYER_BUDGET_BYTES = 8 * 1024 * 1024;
/** Keys of charts drawn once, remembered so a second render with the same facts keeps its layers. */
const SEEN_ONCE_LIMIT = 32;

type AnyChart = Chart<'line' | 'bar', unknown, unknown>;

interface KeptLayers {
  canvas: Canvas;
  bytes: number;
}

// Map order is insertion order: a hit is moved to the end, so the first entry is the least
// recently used.
const kept = new Map<string, KeptLayers>();
let keptBytes = 0;
// Keys drawn once and not kept, oldest first.
const seenOnce = new Set<string>();
// The key of a render that missed, waiting for its static layers to be drawn and copied.
const pending = new WeakMap<object, string>();
const counters = { hits: 0, misses: 0 };

/**
 * Everything the static layers are drawn from, read after chart.js has laid the chart out. Two
 * renders with equal keys draw identical static layers.
 */
function staticKey(chart: AnyChart): string {
  const { chartArea: area, scales, data, options } = chart;
  const axes = Object.values(scales).map((scale) => [
    scale.id,
    scale.type,
    scale.min,
    scale.max,
    scale.ticks.map((tick) => [tick.value, tick.label]),
    (scale.options as { title?: { text?: unknown } }).title?.text,
  ]);
  const legend = data.datasets.map((dataset) => {
    const d = dataset as { label?: string; borderColor?: unknown; backgroundColor?: unknown; borderWidth?: unknown; borderDash?: unknown; hidden?: unknown };
    return [d.label, d.borderColor, d.backgroundColor, d.borderWidth, d.borderDash, d.hidden];
  });
  return JSON.stringify([
    chart.width,
    chart.height,
    (chart.config as { type?: string }).type,
    [area.left, area.top, area.right, area.bottom],
    options.plugins?.title?.text,
    axes,
    legend,
  ]);
}

function keep(key: string, source: Canvas): void {
  const bytes = source.width * source.height * 4;
  if (bytes > STATIC_LAYER_BUDGET_BYTES) return;
  while (keptBytes + bytes > STATIC_LAYER_BUDGET_BYTES) {
    const [oldestKey, oldest] = kept.entries().next().value!;
    kept.delete(oldestKey);
    keptBytes -= oldest.bytes;
  }
  const canvas = createCanvas(source.width, source.height);
  canvas.getContext('2d').drawImage(source, 0, 0);
  kept.set(key, { canvas, bytes });
  keptBytes += bytes;
}

/**
 * The chart.js plugin that paints the white background and keeps or reuses the static layers.
 * Reuse needs every dataset's `clip` spelled out (`false`, a number, or all four sides): a
 * reused render clips the datasets itself, and both kinds of render must give the same pixels.
 * Charts whose datasets leave it to chart.js are always drawn whole.
 */
export const staticLayers: Plugin<'line' | 'bar'> = {
  id: 'static-layers',
  beforeDraw(chart) {
    // Datasets are drawn here with their clip reproduced, which needs it spelled out.
    const clips = chart.data.datasets.map(clipOf);
    if (clips.includes(undefined)) return whiteBackground(chart);
    const key = staticKey(chart as AnyChart);
    const found = kept.get(key);
    const { ctx } = chart;
    if (!found) {
      counters.misses++;
      if (seenOnce.delete(key)) {
        pending.set(chart, key);
      } else {
        seenOnce.add(key);
        if (seenOnce.size > SEEN_ONCE_LIMIT) seenOnce.delete(seenOnce.values().next().value!);
      }
      whiteBackground(chart);
      return;
    }
    counters.hits++;
    kept.delete(key);
    kept.set(key, found);
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(found.canvas as unknown as CanvasImageSource, 0, 0);
    ctx.restore();
    // What chart.js's own draw does after the static layers: datasets in reverse order of
    // drawing priority, so the first dataset ends up on top.
    const metas = chart.getSortedVisibleDatasetMetas();
    const area = chart.chartArea;
    for (let i = metas.length - 1; i >= 0; i--) {
      const meta = metas[i]!;
      const clip = clips[meta.index];
      ctx.save();
      if (clip) {
        ctx.beginPath();
        ctx.rect(area.left - clip.left, area.top - clip.top, area.right - area.left + clip.left + clip.right, area.bottom - area.top + clip.top + clip.bottom);
        ctx.clip();
      }
      meta.controller.draw();
      ctx.restore();
    }
    // Skip chart.js's own drawing: everything it would draw is on the canvas.
    return false;
  },
  beforeDatasetsDraw(chart) {
    const key = pending.get(chart);
    if (key === undefined) return;
    pending.delete(chart);
    keep(key, chart.canvas as unknown as Canvas);
  },
};

// The canvas starts transparent and the PNG has no alpha: paint it white first.
function whiteBackground(chart: { ctx: CanvasRenderingContext2D; width: number; height: number }): void {
  const { ctx, width, height } = chart;
  ctx.save();
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, width, height);
  ctx.restore();
}

interface Clip {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * A dataset's `clip` option as chart.js applies it: pixels beyond the chart area on each side, or
 * null for `false` (not clipped); undefined when it is left to chart.js's defaults, which
 * depend on the scales and the controller and are not reproduced here.
 */
function clipOf(dataset: unknown): Clip | null | undefined {
  const clip = (dataset as { clip?: unknown } | undefined)?.clip;
  if (clip === false) return null;
  if (typeof clip === 'number') return { left: clip, top: clip, right: clip, bottom: clip };
  if (typeof clip === 'object' && clip !== null) {
    const { left, top, right, bottom } = clip as Partial<Record<keyof Clip, unknown>>;
    if ([left, top, right, bottom].every((side) => typeof side === 'number')) return clip as Clip;
  }
  return undefined;
}

/** Renders that reused kept static layers, and renders that drew them, in this thread. */
export function staticLayerCounts(): { hits: number; misses: number; kept: number; keptBytes: number } {
  return { ...counters, kept: kept.size, keptBytes };
}

/** Drops every kept static layer and every remembered key (as if no chart had been drawn). */
export function forgetStaticLayers(): void {
  kept.clear();
  keptBytes = 0;
  seenOnce.clear();
}
