// Fidelity end to end: one image per input class, written by fidelity-fixtures.py from numpy
// arrays, posted to the real server; every answer is checked against numpy's (never libvips).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { rowId, rows, toCase, type FidelityRow } from './helpers/fidelity-cases.ts';
import { assertAnswer, assertOldService, type HistogramJson } from './helpers/fidelity-assert.ts';
import { generateFixtures, oracleMissing, type OldServiceAnswer, type Oracle, type OracleAnswer } from './helpers/fidelity-oracle.ts';

const missing = oracleMissing();
let oracle: Oracle;
let server: InProcessServer;

before(async () => {
  if (missing) return;
  oracle = generateFixtures(rows.map(toCase));
  server = await startInProcessServer();
});
after(async () => {
  await server?.stop();
  oracle?.remove();
});

/** Posts a fixture as multipart `file`, as the old service's clients do. */
async function post(row: FidelityRow): Promise<{ status: number; body: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(oracle.read(row.fixture))]), row.fixture);
  const res = await fetch(`${server.url}${row.route ?? '/v1/histogram'}${row.query ? `?${row.query}` : ''}`, { method: 'POST', body: form });
  return { status: res.status, body: await res.text() };
}

test('the case table names each case once', () => {
  const ids = rows.map(rowId);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
  );
});

for (const row of rows) {
  const query = row.query ? ` ?${row.query}` : '';
  const route = row.route && row.route !== '/v1/histogram' ? ` on ${row.route}` : '';
  test(`${row.fixture}${query}${route}: ${row.rule}`, { skip: missing ?? false }, async (t) => {
    const fixture = oracle.fixtures[row.fixture];
    assert.ok(fixture, `no fixture ${row.fixture}`);
    if (fixture.skip) return t.skip(fixture.skip);
    const { status, body } = await post(row);
    if (row.error) {
      assert.equal(status, row.error.status, body);
      const { error } = JSON.parse(body) as { error: { code: string; message: string; requestId: string } };
      assert.equal(error.code, row.error.code, body);
      for (const pattern of row.error.message) assert.match(error.message, pattern);
      assert.ok(error.requestId, 'the error carries the request id');
      return;
    }
    assert.equal(status, 200, body.slice(0, 500));
    const json = JSON.parse(body) as HistogramJson;
    const expected = oracle.answers[rowId(row)];
    assert.ok(expected, `numpy gave no answer for ${rowId(row)}`);
    if (row.oracle === 'old-service') assertOldService(json, expected as OldServiceAnswer);
    else assertAnswer(json, expected as OracleAnswer, fixture, { withStats: row.stats === true, ...(row.acceptMask ? { acceptMask: row.acceptMask } : {}) });
  });
}
