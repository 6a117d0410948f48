// What the app's routes share: configuration, the worker pool, admission, metrics, logging
// and the lifecycle flags that /readyz and shutdown use.
import type { Config } from './config.ts';
import { Admission } from './http/admission.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createLogger, type Logger } from './logger.ts';
import { createHistogramPool, type HistogramPool } from './worker/worker-pool.ts';

export interface Lifecycle {
  /** True once the workers are warm; /readyz answers 503 before. */
  ready: boolean;
  /** True from SIGTERM: /readyz answers 503 while requests are still served. */
  draining: boolean;
  /** True once the listener is closed: requests still arriving on open connections get 503. */
  closed: boolean;
}

export interface AppServices {
  config: Config;
  admission: Admission;
  pool: HistogramPool;
  metrics: Metrics;
  logger: Logger;
  lifecycle: Lifecycle;
}

/** Creates the services for `config`; the pool's threads start now and warm up in the background. */
export function createServices(config: Config, overrides: Partial<Pick<AppServices, 'logger' | 'pool'>> = {}): AppServices {
  const admission = new Admission(config.concurrency, config.maxQueue);
  const lifecycle: Lifecycle = { ready: false, draining: false, closed: false };
  const pool = overrides.pool ?? createHistogramPool(config.concurrency);
  void pool.ready().then(() => {
    lifecycle.ready = true;
  });
  return {
    config,
    admission,
    pool,
    metrics: createMetrics(() => admission.stats),
    logger: overrides.logger ?? createLogger(config.logLevel, { servedBy: config.podName }),
    lifecycle,
  };
}
