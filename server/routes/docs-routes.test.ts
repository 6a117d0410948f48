import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docsRoutes, renderMarkdown } from './docs-routes.ts';
import { openApiMarkdown } from './openapi-markdown.ts';

const routes = docsRoutes('9.8.7');

async function page(url = 'http://localhost/docs', headers: Record<string, string> = {}): Promise<string> {
  const res = await routes.request(url, { headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  return res.text();
}

/** The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

test('/docs renders the Markdown of the descriptions: code spans become <code>, no backtick is left', async () => {
  const html = await page();
  assert.doesNotMatch(html, /`/);
  // From the BAD_REQUEST description "no `file` field" and the UNAUTHORIZED one.
  assert.match(html, /no <code>file<\/code> field/);
  assert.match(html, /<code>Authorization: Bearer &lt;token&gt;<\/code>/);
  assert.match(html, /<table>/);
});

test('/docs shows the curl example with the address it was asked at, not a placeholder', async () => {
  const html = await page('http://histogram.local:8080/docs');
  assert.match(html, /curl -F file=@image\.jpg http:\/\/histogram\.local:8080\/v1\/histogram/);
  assert.doesNotMatch(html, /HOST/);
  const behindTls = await page('http://histogram.local/docs', { 'X-Forwarded-Proto': 'https' });
  assert.match(behindTls, /https:\/\/histogram\.local\/v1\/histogram/);
});

test('/docs lists every operation, query parameter and response status of /openapi.json', async () => {
  const res = await routes.request('/openapi.json');
  const document = (await res.json()) as {
    openapi: string;
    info: { version: string };
    paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: Record<string, unknown> }>>;
  };
  assert.equal(document.openapi, '3.1.0');
  assert.equal(document.info.version, '9.8.7');
  const text = visibleText(await page());
  const sections = text.split(/(?=\b(?:GET|POST) \/)/);
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ heading: `${method.toUpperCase()} ${path}`, op })),
  );
  assert.deepEqual(
    operations.map((o) => o.heading),
    ['POST /v1/histogram', 'POST /process-image', 'GET /healthz', 'GET /readyz', 'GET /metrics'],
  );
  for (const { heading, op } of operations) {
    const section = sections.find((s) => s.startsWith(`${heading} `));
    assert.ok(section, `no section for ${heading}`);
    for (const p of op.parameters ?? []) assert.match(section, new RegExp(` ${p.name} query `), `${heading} ${p.name}`);
    for (const status of Object.keys(op.responses)) assert.match(section, new RegExp(` ${status} `), `${heading} ${status}`);
  }
});

test('/docs describes the JSON response fields, the per-channel statistics once for every channel', async () => {
  const text = visibleText(await page());
  for (const field of [
    'width',
    'pixels',
    'depth',
    'range',
    'mask',
    'counted',
    'histogram',
    'servedBy',
    'timingsMs.total',
    'channels.<name>.counts',
    'channels.<name>.binRange',
    'channels.<name>.p99',
    'error.code',
  ]) {
    assert.ok(text.includes(` ${field} `), `${field} is not on the page`);
  }
  assert.doesNotMatch(text, /channels\.red\./);
});

test("the Markdown of a document escapes pipes in cells and skips the path item's own fields", () => {
  const markdown = openApiMarkdown({
    info: { title: 't', version: '1' },
    paths: {
      '/x': {
        summary: 'shared by the path item, not an operation',
        get: {
          parameters: [{ name: 'mode', in: 'query', schema: { type: 'string', enum: ['a', 'b'], description: 'either a|b' } }],
          responses: { 200: { description: 'fine' } },
        },
      },
    },
  });
  assert.match(markdown, /^## `GET \/x`$/m);
  assert.doesNotMatch(markdown, /SUMMARY|shared by the path item/);
  const row = markdown.split('\n').find((line) => line.startsWith('| `mode`'))!;
  assert.equal(row, '| `mode` | query | `a` \\| `b` |  | either a\\|b |');
  // Five cells, six unescaped pipes.
  assert.equal(row.split(/(?<!\\)\|/).length, 7);
});

test('raw HTML in the Markdown is shown as text, never passed through as a tag', () => {
  const html = renderMarkdown('send <token> here, not <script>alert(1)</script>');
  assert.doesNotMatch(html, /<script>|<token>/);
  assert.match(html, /&lt;token&gt;/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});
