// Piscina worker entry: each thread decodes, counts and renders one image at a time.
import { setPriority } from 'node:os';
import sharp from 'sharp';
import { runHistogramTask, type HistogramTask } from './histogram-task.ts';
import { chartConfig } from '../chart/chart-config.ts';
import { renderChartPng } from '../chart/render-chart.ts';

// Below the main thread from the start (see server/thread-priority.ts; main.ts lowers the
// remaining helper threads once the pool is ready). On Linux this applies to this thread only.
try {
  setPriority(0, 10);
} catch {
  // not permitted here: run at normal priority
}

// A stream of unique images gains nothing from libvips' operation cache (sharp docs,
// performance). One libvips thread per image: the pool already runs CONCURRENCY images.
sharp.cache(false);
sharp.concurrency(1);

// Warm-up at load: the first chart in a process sets up fonts (slow), and the first decode
// loads codecs. The pool is ready only once every thread has loaded this module.
// The default chart (800×400 line, linear) is the one kept for reuse afterwards.
await renderChartPng(chartConfig([['luma', new Array(256).fill(1)]], { width: 800, height: 400, type: 'line', scale: 'linear' }, 'warm-up'), 800, 400);

/** Runs one task ('ping' answers once the thread is warm). The result is small: cloned. */
export default async function histogramWorker(task: HistogramTask | 'ping') {
  if (task === 'ping') return 'pong';
  return runHistogramTask(task);
}
