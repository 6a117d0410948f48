// The HTTP floor of the benchmark suite: a trivial Hono POST endpoint on @hono/node-server that
// reads the whole body and answers a tiny JSON, so the suite can tell framework and transfer
// costs from image work. Prints {"msg":"listening","port":N} like the real server.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const app = new Hono();
app.post('*', async (c) => {
  const body = await c.req.arrayBuffer();
  c.header('X-Served-By', 'http-floor');
  return c.json({ bytes: body.byteLength });
});
app.get('/readyz', (c) => c.text('ok'));
app.get('/healthz', (c) => c.text('ok'));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port: info.port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
