// The pool of worker threads that run histogram tasks (piscina).
import { Piscina } from 'piscina';
// Native addons used by the workers must be loaded on the main thread too, so their shared
// libraries are never unloaded when a worker exits (sharp docs, install: worker threads;
// without canvas here the process segfaults when the pool is destroyed).
import 'sharp';
import 'canvas';
import type { HistogramTask, TaskResult } from './histogram-task.ts';

export interface HistogramPool {
  run(task: HistogramTask): Promise<TaskResult>;
  /** Resolves once every thread has loaded and warmed up. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Starts `threads` worker threads, kept alive for the life of the process. */
export function createHistogramPool(threads: number): HistogramPool {
  // Under tsx (dev, tests) the worker is the .ts source behind a loader shim; built, it is .js.
  const entry = import.meta.url.endsWith('.ts') ? './tsx-worker-entry.mjs' : './histogram-worker.js';
  const pool = new Piscina({
    filename: new URL(entry, import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    // Admission control (server/http/admission.ts) already bounds the work to CONCURRENCY
    // tasks; piscina queues them only while its threads are still starting.
    maxQueue: Number.POSITIVE_INFINITY,
    atomics: 'async',
  });
  return {
    run(task) {
      return pool.run(task, { transferList: [task.bytes.buffer as ArrayBuffer] }) as Promise<TaskResult>;
    },
    async ready() {
      await Promise.all(Array.from({ length: threads }, () => pool.run('ping')));
    },
    close() {
      return pool.destroy();
    },
  };
}
