// The worker threads that decode and count big images and draw charts (piscina). Small images
// are decoded and counted from the event loop (sharp on libuv's pool, counting in slices): for
// them a thread hop costs a noticeable share of the work.
import { Piscina } from 'piscina';
// Native addons used by the workers must be loaded on the main thread too, so their shared
// libraries are never unloaded when a worker exits (sharp docs, install: worker threads;
// without canvas here the process segfaults when the pool is destroyed).
import 'sharp';
import 'canvas';
import { DEFAULT_COUNT_OPTIONS, type CountedImage, type CountOptions } from '../histogram/analyze-image.ts';
import { ImageError } from '../image/image-error.ts';
import type { AnalyzeResult, ChartTask } from './image-task.ts';

export interface ImagePool {
  /**
   * Decodes and counts `bytes` on a worker thread. A copy of the bytes is moved there: the
   * caller's memory (a pooled upload buffer) stays the caller's.
   * `options`: depth and mask to count with (default depth 8, no mask).
   */
  analyze(bytes: Uint8Array, maxPixels: number, options?: CountOptions): Promise<CountedImage>;
  /** Draws the chart and resolves with its PNG bytes. */
  render(task: Omit<ChartTask, 'kind'>): Promise<Uint8Array>;
  /** Resolves once every thread has loaded and warmed up. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Starts `threads` image threads, kept alive for the life of the process. */
export function createImagePool(threads: number): ImagePool {
  // Under tsx (dev, tests) the worker is the .ts source behind a loader shim; built, it is .js.
  const entry = import.meta.url.endsWith('.ts') ? './tsx-worker-entry.mjs' : './image-worker.js';
  const pool = new Piscina({
    filename: new URL(entry, import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    // Admission control already bounds the work to CONCURRENCY requests; piscina queues tasks
    // only while its threads are busy or still starting.
    maxQueue: Number.POSITIVE_INFINITY,
    // The tasks await sharp's libuv work: the worker's event loop must keep turning.
    atomics: 'async',
  });
  const ready = Promise.all(Array.from({ length: threads }, () => pool.run('ping'))).then(() => undefined);
  return {
    async analyze(bytes, maxPixels, options = DEFAULT_COUNT_OPTIONS) {
      const copy = bytes.slice();
      const task = { kind: 'analyze', bytes: copy, maxPixels, options: { depth: options.depth, mask: options.mask } };
      const result = (await pool.run(task, { transferList: [copy.buffer] })) as AnalyzeResult;
      if (!result.ok) throw new ImageError(result.kind, result.message);
      return result.counted;
    },
    render: (task) => pool.run({ kind: 'chart', ...task }) as Promise<Uint8Array>,
    ready: () => ready,
    close: () => pool.destroy(),
  };
}
