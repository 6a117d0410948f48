// Liveness, readiness and metrics: cheap routes answered on the main thread, never queued.
import { Hono } from 'hono';
import type { AppServices } from '../app-services.ts';

/** GET /healthz, GET /readyz, GET /metrics. */
export function healthRoutes({ lifecycle, metrics }: AppServices): Hono {
  const routes = new Hono();
  // Liveness: answering at all proves the event loop turns; nothing holds it for long (small
  // images decode on libuv's pool and count in slices; big images and charts use worker threads).
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Readiness: not while starting or draining; deliberately not while merely busy (an
  // overloaded pod sheds load with 503 itself; unready would push its load onto the others).
  routes.get('/readyz', (c) => {
    if (lifecycle.draining) return c.json({ status: 'draining' }, 503);
    if (!lifecycle.ready) return c.json({ status: 'starting' }, 503);
    return c.json({ status: 'ready' });
  });
  routes.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  return routes;
}
