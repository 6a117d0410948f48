// What the app's routes share: configuration, admission, the image threads, metrics, logging
// and the lifecycle flags that /readyz and shutdown use.
import type { Config } from './config.ts';
import { Admission } from './http/admission.ts';
import { BufferPool } from './http/buffer-pool.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createLogger, type Logger } from './logger.ts';
import { createImagePool, type ImagePool } from './worker/image-pool.ts';

export interface Lifecycle {
  /** True once the image threads are warm; /readyz answers 503 before. */
  ready: boolean;
  /** True from SIGTERM: /readyz answers 503 while requests are still served. */
  draining: boolean;
  /** True once the listener is closed: answers carry `Connection: close`. */
  closed: boolean;
}

export interface AppServices {
  config: Config;
  admission: Admission;
  images: ImagePool;
  /** Upload memory kept for reuse: a steady stream of megabyte uploads allocates once. */
  uploads: BufferPool;
  metrics: Metrics;
  logger: Logger;
  lifecycle: Lifecycle;
}

/** Creates the services for `config`; the image threads start now and warm up in the background. */
export function createServices(config: Config, overrides: Partial<Pick<AppServices, 'logger' | 'images'>> = {}): AppServices {
  const admission = new Admission({ concurrency: config.concurrency, maxQueue: config.maxQueue, maxWaiting: config.maxWaiting });
  const lifecycle: Lifecycle = { ready: false, draining: false, closed: false };
  const images = overrides.images ?? createImagePool(config.concurrency);
  void images.ready().then(() => {
    lifecycle.ready = true;
  });
  return {
    config,
    admission,
    images,
    // Up to 64 MiB kept free for reuse (a queue of 1 MB uploads); uploads over 8 MiB get memory
    // of their own.
    uploads: new BufferPool(64 * 1024 * 1024, 8 * 1024 * 1024),
    metrics: createMetrics(() => admission.stats),
    logger: overrides.logger ?? createLogger(config.logLevel, { servedBy: config.podName }),
    lifecycle,
  };
}
