// The server's answers quoted in README.md and docs/*.md are the server's real answers. A quoted
// answer is marked by an HTML comment naming the request that produces it, right before its
// fenced block (invisible when the Markdown is rendered):
//
//   <!-- server-answer: POST /process-image multipart image=@photo.png -->
//   ```json
//   {"error": {"code": "BAD_REQUEST", "message": "…", "requestId": "…"}}
//   ```
//
// The request is sent to the real server and its answer compared: a JSON block by its error
// code and message (the request id differs every time), any other block by a line that ends
// with `STATUS CODE: message`, as the client prints a failure. Body forms: `multipart
// FIELD=@FILE` (a file part), `multipart FIELD=TEXT` (a text field), `raw @FILE`, `raw
// length=N` (Content-Length N declared, nothing sent), or nothing (an empty body). FILEs:
// photo.png (an image), notes.txt (text), cut.jpg (a JPEG cut short).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const DOC_FILES = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
/** Pages whose every quoted error answer must be marked (the others' unmarked ones are listed). */
const FULLY_MARKED = ['README.md', 'docs/api.md', 'docs/migrating.md', 'docs/client.md'];
// Blocks may be indented (inside a list item): the fences and lines lose that indentation.
const MARKER = /<!--\s*server-answer:\s*(.+?)\s*-->[ \t]*\n[ \t]*```[^\n]*\n([\s\S]*?)\n[ \t]*```/g;
const FENCED = /^[ \t]*```[^\n]*\n([\s\S]*?)\n[ \t]*```/gm;

function dedent(block: string): string {
  return block
    .split('\n')
    .map((line) => line.trim())
    .join('\n');
}

interface Quote {
  file: string;
  line: number;
  request: string;
  block: string;
}

function quotesIn(file: string): Quote[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(MARKER)].map((m) => ({
    file,
    line: text.slice(0, m.index).split('\n').length,
    request: m[1]!,
    block: dedent(m[2]!),
  }));
}

let server: InProcessServer;
let files: Record<string, Buffer>;
before(async () => {
  server = await startInProcessServer();
  const photo = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 100, b: 50 } } });
  const jpeg = await photo.clone().jpeg().toBuffer();
  files = {
    'photo.png': await photo.png().toBuffer(),
    'notes.txt': Buffer.from('this is not an image\n'),
    'cut.jpg': jpeg.subarray(0, Math.floor(jpeg.length / 2)),
  };
});
after(() => server?.stop());

interface Answer {
  status: number;
  body: string;
}

/** Sends the request a marker describes and returns the answer. @throws Error for a form this test does not know. */
function send(request: string): Promise<Answer> {
  const [method, path, kind, spec] = request.split(/\s+/);
  if (!method || !path?.startsWith('/')) throw new Error(`expected "METHOD /path [body]" but read "${request}"`);
  const headers: Record<string, string | number> = {};
  let body: Buffer | undefined;
  let declaredOnly = false;
  const file = (name: string) => {
    const bytes = files[name];
    if (!bytes) throw new Error(`unknown file ${name} in "${request}" (known: ${Object.keys(files).join(', ')})`);
    return bytes;
  };
  if (kind === 'multipart') {
    const [, field, isFile, value] = /^([\w-]+)=(@?)(.*)$/.exec(spec ?? '') ?? [];
    if (!field) throw new Error(`expected FIELD=@FILE or FIELD=TEXT in "${request}"`);
    const boundary = 'docs-quoted-messages';
    const disposition = isFile ? `form-data; name="${field}"; filename="${value}"` : `form-data; name="${field}"`;
    body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`),
      isFile ? file(value!) : Buffer.from(value!),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  } else if (kind === 'raw') {
    headers['content-type'] = 'application/octet-stream';
    const length = /^length=(\d+)$/.exec(spec ?? '');
    if (length) {
      headers['content-length'] = Number(length[1]);
      declaredOnly = true;
    } else if (spec?.startsWith('@')) body = file(spec.slice(1));
    else throw new Error(`expected raw @FILE or raw length=N in "${request}"`);
  } else if (kind !== undefined) {
    throw new Error(`unknown body form "${kind}" in "${request}"`);
  }
  if (body) headers['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.once('end', () => {
        resolve({ status: res.statusCode ?? 0, body: text });
        req.destroy();
      });
    });
    // A declared body the server refuses before reading: its answer may come while (or
    // instead of) the body is written, and it may then close the connection.
    req.once('error', (error) => (declaredOnly ? undefined : reject(error)));
    if (declaredOnly) req.flushHeaders();
    else req.end(body);
  });
}

const quotes = DOC_FILES.flatMap(quotesIn);

test('the README and the migration guide mark the answers they quote', () => {
  for (const file of ['README.md', 'docs/migrating.md'])
    assert.ok(
      quotes.some((q) => q.file === file),
      `${file} has no marked answer`,
    );
});

for (const quote of quotes) {
  test(`${quote.file}:${quote.line} quotes what the server answers to ${quote.request}`, async () => {
    const answer = await send(quote.request);
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    const json = (() => {
      try {
        return JSON.parse(quote.block) as { error?: { code?: string; message?: string } };
      } catch {
        return undefined;
      }
    })();
    if (json) {
      assert.deepEqual({ code: json.error?.code, message: json.error?.message }, { code: error.code, message: error.message });
    } else {
      const expected = `${answer.status} ${error.code}: ${error.message}`;
      assert.ok(
        quote.block.split('\n').some((line) => line.trimEnd().endsWith(expected)),
        `no line of the block ends with the real answer:\n  ${expected}\nblock:\n${quote.block}`,
      );
    }
  });
}

test('every error answer quoted in README.md, docs/migrating.md and docs/client.md is marked, so it is checked', (t) => {
  const unmarked: string[] = [];
  for (const file of DOC_FILES) {
    const text = readFileSync(join(root, file), 'utf8');
    const marked = new Set(quotesIn(file).map((q) => q.block));
    const blocks = [...text.matchAll(FENCED)].map((m) => ({ block: dedent(m[1]!), line: text.slice(0, m.index).split('\n').length }));
    for (const { block, line } of blocks) {
      const quotesError = /"error":\s*\{\s*"code"/.test(block) || /^FAIL {2}.*: \d{3} [A-Z_]+: /m.test(block);
      if (quotesError && !marked.has(block)) unmarked.push(`${file}:${line}`);
    }
  }
  const mine = unmarked.filter((where) => FULLY_MARKED.some((file) => where.startsWith(`${file}:`)));
  const others = unmarked.filter((where) => !mine.includes(where));
  if (others.length > 0) t.diagnostic(`quoted error answers not checked yet: ${others.join(', ')}`);
  assert.deepEqual(mine, []);
});
