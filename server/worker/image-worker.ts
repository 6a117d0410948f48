// Worker thread entry: decodes and counts big images, and draws charts (chart.js on
// node-canvas) and encodes them as PNG. Both hold a thread for milliseconds to seconds, and a
// big image's decoded pixels make garbage-collection work for the thread that owns them, so
// neither runs on the event loop's thread.
import { setPriority } from 'node:os';
import { chartConfig } from '../chart/chart-config.ts';
import { renderChartPng } from '../chart/render-chart.ts';
import { decodeAndCount } from '../histogram/analyze-image.ts';
import { ImageError } from '../image/image-error.ts';
import type { AnalyzeResult, AnalyzeTask, ChartTask } from './image-task.ts';

// Below the main thread from the start, so the event loop keeps its CPU when this work
// saturates the machine (on Linux setpriority(0) applies to the calling thread only).
try {
  setPriority(0, 10);
} catch {
  // not permitted here: run at normal priority
}

// The first chart in a thread sets up fonts and the chart (slow): warm up at load, with the
// default chart, so the pool is ready only once every thread can draw at full speed.
await renderChartPng(chartConfig([['luma', new Array(256).fill(1)]], { width: 800, height: 400, type: 'line', scale: 'linear' }, 'warm-up'), 800, 400);

/** Runs one task ('ping' answers once the thread is warm). */
export default async function imageWorker(task: AnalyzeTask | ChartTask | 'ping') {
  if (task === 'ping') return 'pong';
  if (task.kind === 'analyze') return analyze(task);
  const png = await renderChartPng(chartConfig(task.series, task.options, task.title), task.options.width, task.options.height);
  // Copied to the main thread, not moved: sharp's output lives in memory that libvips
  // allocated, which Node 22 refuses to transfer (DataCloneError; Node 20 allowed it), and a
  // chart is tens of kilobytes.
  return new Uint8Array(png.buffer, png.byteOffset, png.length);
}

async function analyze(task: AnalyzeTask): Promise<AnalyzeResult> {
  try {
    return { ok: true, counted: await decodeAndCount(task.bytes, task.maxPixels, false, task.options) };
  } catch (error) {
    if (error instanceof ImageError) return { ok: false, kind: error.kind, message: error.message };
    throw error;
  }
}
