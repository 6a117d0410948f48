// createApp(config): the whole HTTP application as a Hono app; it does not listen. The entry
// (main.ts) serves it; tests call app.request() or serve it on port 0.
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { settleRequestBody } from './http/settle-request-body.ts';
import { requireBearerToken } from './http/bearer-token.ts';
import type { Config } from './config.ts';
import { ApiError, errorBody } from './errors.ts';
import { createServices, type AppServices } from './app-services.ts';
import { histogramHandler } from './routes/histogram-route.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { docsRoutes } from './routes/docs-routes.ts';
import { webRoutes } from './routes/web-routes.ts';
import { packageVersion } from './package-version.ts';

type Env = { Variables: { requestId: string; format: string; bytes: number; pixels: number } };

const VERSION = packageVersion();
const HISTOGRAM_ROUTES = ['/v1/histogram', '/process-image'];
// An incoming X-Request-Id is kept if it is a plausible id (no header injection, no log spam).
const REQUEST_ID = /^[\w.:@-]{1,128}$/;

export interface App {
  app: Hono<Env>;
  services: AppServices;
  /** Stops the worker threads. */
  close(): Promise<void>;
}

/** Builds the app for `config`. `services` may be shared or stubbed (logger) by the caller. */
export function createApp(config: Config, services: AppServices = createServices(config)): App {
  const app = new Hono<Env>();
  const { metrics, logger } = services;

  app.use(async (c, next) => {
    const started = performance.now();
    const incomingId = c.req.header('x-request-id');
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    c.set('requestId', requestId);
    await next();
    c.header('X-Request-Id', requestId);
    c.header('X-Served-By', config.podName);
    // The unread rest of a refused body: drained, or the connection closed (413, 504).
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const close = incoming ? settleRequestBody(incoming, c.res.status, { maxBytes: config.maxUploadBytes, maxMs: 5_000 }) : false;
    if (close || services.lifecycle.closed) c.header('Connection', 'close');
    const route = c.req.routePath === '/*' ? 'unmatched' : c.req.routePath;
    const seconds = (performance.now() - started) / 1000;
    const format = c.get('format') ?? 'none';
    metrics.requests.inc({ route, method: c.req.method, status: c.res.status, format });
    metrics.duration.observe({ route, format }, seconds);
    logger.info('request', {
      requestId,
      method: c.req.method,
      route,
      path: c.req.path, // path only: query strings may carry secrets
      status: c.res.status,
      bytes: c.get('bytes') ?? 0,
      pixels: c.get('pixels') ?? 0,
      format,
      durationMs: Math.round(seconds * 1e5) / 100,
    });
  });

  if (config.corsOrigin) {
    app.use('*', cors({ origin: config.corsOrigin, exposeHeaders: ['X-Served-By', 'X-Request-Id', 'Server-Timing'] }));
  }
  if (config.apiToken) {
    const auth = requireBearerToken(config.apiToken);
    for (const path of HISTOGRAM_ROUTES) app.use(path, auth);
  }

  const histogram = histogramHandler(services);
  for (const path of HISTOGRAM_ROUTES) {
    app.post(path, histogram);
    app.on(['GET', 'PUT', 'DELETE', 'PATCH'], path, () => {
      throw new ApiError('METHOD_NOT_ALLOWED', `use POST with the image as multipart field "file" or as the raw body`, { Allow: 'POST' });
    });
  }
  app.route('/', healthRoutes(services));
  app.route('/', docsRoutes(VERSION));
  app.route('/', webRoutes());

  app.notFound((c) => c.json(errorBody(new ApiError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}; see /docs`), c.get('requestId')), 404));
  app.onError((error, c) => respondError(c, error, services));
  return { app, services, close: () => services.pool.close() };
}

function respondError(c: Context<Env>, error: Error, { metrics, logger }: AppServices) {
  const requestId = c.get('requestId') ?? '';
  let apiError: ApiError;
  if (error instanceof ApiError) {
    apiError = error;
  } else {
    logger.error('unhandled error', { requestId, error: error.stack ?? String(error) });
    apiError = new ApiError('INTERNAL', 'internal error; the request id identifies it in the logs');
  }
  metrics.errors.inc({ code: apiError.code, status: apiError.status });
  for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
  return c.json(errorBody(apiError, requestId), apiError.status);
}
