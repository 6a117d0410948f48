// GET / (the upload page) and GET /assets/* (its files, and chart.js's browser build), all
// served from this package: no CDN, so the page works offline and behind any Ingress path.
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));
// chart.js's exports map hides dist/: find the package's main file and take its sibling.
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The web page and its assets; files are read once and kept in memory. */
export function webRoutes(): Hono {
  const cache = new Map<string, Promise<Buffer | null>>();
  const load = (path: string) => {
    let entry = cache.get(path);
    if (!entry) {
      entry = readFile(path).catch(() => null);
      cache.set(path, entry);
    }
    return entry;
  };
  const routes = new Hono();
  const send = async (path: string, name: string) => {
    const body = await load(path);
    if (!body) return null;
    const type = TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
    return new Response(new Uint8Array(body), { headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' } });
  };
  routes.get('/', async (c) => (await send(join(WEB_DIR, 'index.html'), 'index.html')) ?? c.notFound());
  routes.get('/assets/:name{[a-zA-Z0-9._-]+}', async (c) => {
    const name = c.req.param('name');
    if (name.startsWith('.')) return c.notFound();
    const path = name === 'chart.umd.min.js' ? CHART_JS : join(WEB_DIR, name);
    return (await send(path, name)) ?? c.notFound();
  });
  return routes;
}
