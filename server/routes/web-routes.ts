// GET / (the upload page) and GET /assets/* (its files, and chart.js's browser build), all
// served from this package: no CDN, so the page works offline and behind any Ingress path.
import { Hono } from 'hono';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, extname, join } from 'node:path';

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

interface Asset {
  body: Uint8Array;
  type: string;
}

/**
 * The assets, read once at start into a fixed table: the page's own files and chart.js. A name
 * that is not in the table is a 404 without touching the disk, and costs no memory.
 */
function loadAssets(): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (name: string, path: string) =>
    assets.set(name, { body: new Uint8Array(readFileSync(path)), type: TYPES[extname(name)] ?? 'application/octet-stream' });
  for (const name of readdirSync(WEB_DIR)) if (!name.startsWith('.') && TYPES[extname(name)]) add(name, join(WEB_DIR, name));
  add('chart.umd.min.js', CHART_JS);
  return assets;
}

/** The web page and its assets. */
export function webRoutes(): Hono {
  const assets = loadAssets();
  const routes = new Hono();
  const send = (asset: Asset | undefined) =>
    asset && new Response(asset.body as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' } });
  routes.get('/', (c) => send(assets.get('index.html')) ?? c.notFound());
  routes.get('/assets/:name', (c) => send(assets.get(c.req.param('name'))) ?? c.notFound());
  return routes;
}
