// GET /openapi.json and GET /docs (a self-contained page rendering the document: no CDN).
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { openApiDocument } from './openapi-document.ts';

/** Serves the OpenAPI document and a readable page of it. The document is built once. */
export function docsRoutes(version: string): Hono {
  const document = openApiDocument(version);
  const routes = new Hono();
  routes.get('/openapi.json', (c) => c.json(document));
  routes.get('/docs', (c) => c.html(docsPage(document)));
  return routes;
}

type Doc = ReturnType<typeof openApiDocument>;

function docsPage(document: Doc) {
  const sections = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { summary?: string; parameters?: Array<Record<string, unknown>>; responses?: Record<string, { description?: string }> }>).map(
      ([method, op]) => html`<section>
        <h2><code>${method.toUpperCase()} ${path}</code></h2>
        <p>${op.summary ?? ''}</p>
        ${op.parameters?.length
          ? html`<table><tr><th>query parameter</th><th>type</th><th>description</th></tr>
            ${op.parameters.map((p) => {
              const schema = (p.schema ?? {}) as Record<string, unknown>;
              const type = schema.enum ? (schema.enum as string[]).join(' | ') : `${schema.type ?? ''}${schema.minimum !== undefined ? ` ${schema.minimum}..${schema.maximum}` : ''}`;
              return html`<tr><td><code>${String(p.name)}</code></td><td>${type}${schema.default !== undefined ? ` (default ${String(schema.default)})` : ''}</td><td>${String(p.description ?? schema.description ?? '')}</td></tr>`;
            })}</table>`
          : ''}
        <table><tr><th>status</th><th>meaning</th></tr>
          ${Object.entries(op.responses ?? {}).map(([status, r]) => html`<tr><td>${status}</td><td>${r.description ?? ''}</td></tr>`)}
        </table>
      </section>`,
    ),
  );
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${document.info.title} API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
code{background:#f4f4f4;padding:0 .2rem}section{margin-bottom:2rem}</style></head>
<body><h1>${document.info.title} ${document.info.version}</h1><p>${document.info.description ?? ''}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a>. Try it: <code>curl -F file=@image.jpg http://HOST/v1/histogram</code></p>
${raw(sections.join(''))}</body></html>`;
}
