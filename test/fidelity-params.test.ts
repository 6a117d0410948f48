// The fidelity parameters' errors: an unknown or bad depth, bins, range or mask is a 400
// BAD_REQUEST naming the parameter (and the nearest known name for a misspelt one), on both routes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { generateFixtures, oracleMissing, type Oracle } from './helpers/fidelity-oracle.ts';

const missing = oracleMissing();
let oracle: Oracle;
let server: InProcessServer;

before(async () => {
  if (missing) return;
  oracle = generateFixtures();
  server = await startInProcessServer();
});
after(async () => {
  await server?.stop();
  oracle?.remove();
});

interface ParamRow {
  name: string;
  query: string;
  message: RegExp[];
}

const rows: ParamRow[] = [
  { name: 'an unknown parameter close to bins', query: 'bin=16', message: [/unknown parameter "bin"/, /did you mean "bins"\?/] },
  { name: 'an unknown parameter close to depth', query: 'deph=16', message: [/unknown parameter "deph"/, /did you mean "depth"\?/] },
  { name: 'an unknown parameter close to no name', query: 'zzzzzz=1', message: [/unknown parameter "zzzzzz"/] },
  { name: 'depth=12', query: 'depth=12', message: [/\bdepth\b/, /12/] },
  { name: 'range=5,2 (LO > HI)', query: 'range=5,2', message: [/\brange\b/] },
  { name: 'range=abc', query: 'range=abc', message: [/\brange\b/, /abc/] },
  { name: 'range=1,Infinity (not finite)', query: 'range=1,Infinity', message: [/\brange\b/] },
  { name: 'range=1,2,3', query: 'range=1,2,3', message: [/\brange\b/] },
  { name: 'mask=beta', query: 'mask=beta', message: [/\bmask\b/, /beta/] },
  { name: 'bins=257 at depth 8', query: 'bins=257', message: [/\bbins\b/, /257/] },
  { name: 'bins=0', query: 'bins=0', message: [/\bbins\b/] },
  { name: 'bins=65537 at depth 16', query: 'bins=65537&depth=16', message: [/\bbins\b/, /65537/] },
];

for (const route of ['/v1/histogram', '/process-image']) {
  for (const row of rows) {
    test(`${row.name} on ${route} is a 400 BAD_REQUEST naming the parameter`, { skip: missing ?? false }, async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(oracle.read('rgb8.png'))]), 'rgb8.png');
      const res = await fetch(`${server.url}${route}?${row.query}`, { method: 'POST', body: form });
      const body = await res.text();
      assert.equal(res.status, 400, body);
      const { error } = JSON.parse(body) as { error: { code: string; message: string } };
      assert.equal(error.code, 'BAD_REQUEST');
      for (const pattern of row.message) assert.match(error.message, pattern);
    });
  }
}

test('bins=65536 at depth 16 and bins=256 at depth 8 are accepted', { skip: missing ?? false }, async () => {
  for (const query of ['bins=65536&depth=16', 'bins=256&depth=8', 'range=full', 'mask=alpha&range=0.5,254.5']) {
    const res = await fetch(`${server.url}/v1/histogram?${query}`, { method: 'POST', body: new Uint8Array(oracle.read('rgb8.png')) });
    const body = await res.text();
    assert.equal(res.status, 200, `${query}: ${body.slice(0, 300)}`);
  }
});
