// One metrics update and one log line per answered request. Refusals under overload are counted
// but summarised in at most one log line per second: at thousands of refusals a second, a line
// each would cost more than the refusals themselves and bury the log.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ACCESS_LINE, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

const SUMMARY_MS = 1_000;
/** Longest path written to a log line: a client choosing long paths must not fill the log buffer. */
export const MAX_LOGGED_PATH = 256;

function shortened(path: string): string {
  return path.length <= MAX_LOGGED_PATH ? path : `${path.slice(0, MAX_LOGGED_PATH)}… (${path.length} characters)`;
}

/** Middleware: counts, times and logs the request once its answer is known. */
export function accessLog(metrics: Metrics, logger: Logger): MiddlewareHandler<AppEnv> {
  let refused = 0;
  let timer: NodeJS.Timeout | undefined;
  const summarise = () => {
    timer = undefined;
    logger.warn('refused requests: overloaded', { refused, windowMs: SUMMARY_MS });
    refused = 0;
  };
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath === '/*' ? 'unmatched' : c.req.routePath;
    const seconds = (performance.now() - started) / 1000;
    const format = c.get('format') ?? 'none';
    const status = c.res.status;
    metrics.requests.inc({ route, method: c.req.method, status, format });
    metrics.duration.observe({ route, format }, seconds);
    if (status === 503 && c.get('bytes') === undefined && route !== '/readyz') {
      refused++;
      if (timer === undefined) timer = setTimeout(summarise, SUMMARY_MS).unref();
      return;
    }
    logger.info(ACCESS_LINE, {
      requestId: c.get('requestId'),
      method: c.req.method,
      route,
      path: shortened(c.req.path), // path only: query strings may carry secrets
      status,
      bytes: c.get('bytes') ?? 0,
      pixels: c.get('pixels') ?? 0,
      format,
      durationMs: Math.round(seconds * 1e5) / 100,
    });
  };
}
