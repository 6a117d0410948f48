// GET /openapi.json and GET /docs: the OpenAPI document, and a self-contained page of it (no
// CDN) whose Markdown (the document's own descriptions included) is rendered by marked.
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { Marked } from 'marked';
import { openApiDocument } from './openapi-document.ts';
import { openApiMarkdown } from './openapi-markdown.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

// The descriptions say things like `Authorization: Bearer <token>` outside code spans too:
// show raw HTML as text rather than let the browser swallow it as a tag.
const markdown = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });

/** Markdown (GitHub's flavour, tables included) to HTML, with any raw HTML shown as text. */
export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}

/**
 * Serves the OpenAPI document and a readable page of it. The document and the page's body are
 * built once; only the example's base URL comes from each request.
 */
export function docsRoutes(version: string): Hono {
  const document = openApiDocument(version);
  const body = renderMarkdown(openApiMarkdown(document));
  const routes = new Hono();
  routes.get('/openapi.json', (c) => c.json(document));
  routes.get('/docs', (c) => {
    const url = new URL(c.req.url);
    // Behind a TLS-terminating proxy the request arrives over plain HTTP.
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    const origin = `${proto === 'https' || proto === 'http' ? proto : url.protocol.slice(0, -1)}://${url.host}`;
    return c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${document.info.title} API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
code,pre{background:#f4f4f4}code{padding:0 .2rem}pre{padding:.5rem;overflow-x:auto}h2{margin-top:2rem}</style></head>
<body><h1>${document.info.title} ${document.info.version}</h1>${raw(markdown.parseInline(document.info.description ?? '', { async: false }))}
<p>Machine-readable: <a href="openapi.json">openapi.json</a>. Try it:</p>
<pre><code>curl -F file=@image.jpg ${origin}/v1/histogram</code></pre>
${raw(body)}</body></html>`);
  });
  return routes;
}
