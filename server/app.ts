// createApp(config): the whole HTTP application as a Hono app; it does not listen. The entry
// (main.ts) serves it; tests call app.request() or serve it on port 0.
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { settleUnreadBody } from './http/unread-body-middleware.ts';
import { requireBearerToken } from './http/bearer-token.ts';
import { requestIdentity } from './http/request-id.ts';
import { accessLog } from './http/access-log.ts';
import type { Config } from './config.ts';
import type { AppEnv } from './app-env.ts';
import { ApiError, errorBody } from './errors.ts';
import { createServices, type AppServices } from './app-services.ts';
import { histogramHandler } from './routes/histogram-route.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { docsRoutes } from './routes/docs-routes.ts';
import { webRoutes } from './routes/web-routes.ts';
import { packageVersion } from './package-version.ts';

const VERSION = packageVersion();
// /process-image/ too: the old service redirected it to /process-image (307), so its clients may
// use either form; here it is answered directly.
const HISTOGRAM_ROUTES = ['/v1/histogram', '/process-image', '/process-image/'];

export interface App {
  app: Hono<AppEnv>;
  services: AppServices;
  /** Stops the image threads. */
  close(): Promise<void>;
}

/** Builds the app for `config`. `services` may be shared or stubbed (logger) by the caller. */
export function createApp(config: Config, services: AppServices = createServices(config)): App {
  const app = new Hono<AppEnv>();
  const { metrics, logger, lifecycle } = services;

  app.use(accessLog(metrics, logger));
  app.use(requestIdentity(config.podName));
  app.use(settleUnreadBody(config.maxUploadBytes));
  app.use(async (c, next) => {
    await next();
    if (lifecycle.closed) c.header('Connection', 'close');
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
    app.on(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'], path, () => {
      throw new ApiError('METHOD_NOT_ALLOWED', 'use POST with the image as multipart field "file" or as the raw body', { Allow: 'POST' });
    });
  }
  app.route('/', healthRoutes(services));
  app.route('/', docsRoutes(VERSION));
  app.route('/', webRoutes());

  app.notFound((c) => c.json(errorBody(new ApiError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}; see /docs`), c.get('requestId')), 404));
  app.onError((error, c) => respondError(c, error, services));
  return { app, services, close: () => services.images.close() };
}

function respondError(c: Context<AppEnv>, error: Error, { metrics, logger }: AppServices) {
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
