// The short mutation fuzz over real HTTP: a few hundred seeded inputs (every format confusion
// and every seed format unmutated first, then random mutations) against the server started as
// a child process. A failure names the case; `npm run fuzz -- --seed 11 --case N` replays it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz, type FuzzResult } from '../bench/fuzz/run-fuzz.ts';
import { formatFuzzSummary } from '../bench/fuzz/print-fuzz.ts';
import type { FailureKind } from '../bench/fuzz/check-answer.ts';
import { makeSeedImages } from '../bench/fuzz/seed-images.ts';
import { makeConfusions } from '../bench/fuzz/confusions.ts';
import { makeCase } from '../bench/fuzz/fuzz-case.ts';

const SEED = 11;
const COUNT = 300;
let result: FuzzResult;

before(async () => {
  result = await runFuzz({ seed: SEED, count: COUNT, concurrency: 4, outDir: join(tmpdir(), `histogram-fuzz-test-${SEED}`) });
  process.stderr.write(formatFuzzSummary(result));
});

/** The failures of these kinds, one line each, for the assertion message. */
function failuresOf(...kinds: FailureKind[]): string[] {
  const fromCases = result.failures.flatMap((f) =>
    f.problems.filter((p) => kinds.includes(p.kind)).map((p) => `case ${f.index} ${f.family} [${f.steps.join(' + ')}]: ${p.detail}`),
  );
  return [...result.serverProblems.filter((p) => kinds.includes(p.kind)).map((p) => p.detail), ...fromCases];
}

test('the short fuzz sends every input it planned, of every seed format and confusion, and gets every kind of answer', () => {
  assert.equal(result.sent, COUNT);
  const families = Object.keys(result.byFamily);
  for (const prefix of [
    'jpeg-',
    'png-',
    'webp-',
    'gif',
    'tiff-',
    'avif',
    'confusion:svg-',
    'confusion:pdf-',
    'confusion:zip-',
    'confusion:empty',
    'control:',
  ]) {
    assert.ok(
      families.some((f) => f.startsWith(prefix)),
      `no input of ${prefix}*`,
    );
  }
  // A fuzz that only ever got one answer (every input refused, say) would prove nothing.
  for (const status of ['200', '400 BAD_REQUEST', '415 UNSUPPORTED_MEDIA_TYPE', '422 UNPROCESSABLE_IMAGE']) {
    assert.ok((result.statuses[status] ?? 0) > 0, `no ${status} among ${JSON.stringify(result.statuses)}`);
  }
});

test('no input gets a 5xx, loses its answer, or stops the server', () => {
  assert.deepEqual(failuresOf('crash', '5xx', 'no-answer'), []);
});

test('/healthz answers within 5 s throughout the fuzz', () => {
  assert.deepEqual(failuresOf('healthz'), []);
  assert.ok(result.healthz.probes > 0);
});

test('every error is JSON {"error": {"code", "message", "requestId"}} with the code of its status', () => {
  assert.deepEqual(failuresOf('error-body'), []);
});

test('confusions, invalid queries and mutated images get the status the error table gives them', () => {
  assert.deepEqual(failuresOf('wrong-status'), []);
});

test('every 2xx is the output asked for, with counts that sum to pixels in each channel', () => {
  assert.deepEqual(failuresOf('bad-2xx'), []);
});

test('a seed and a case index give the same input and request every time, so a failure reproduces', async () => {
  const build = async () => {
    const { seeds } = await makeSeedImages();
    const sources = { seeds, confusions: makeConfusions(seeds) };
    return [57, 100, 299].map((index) => makeCase(SEED, index, sources));
  };
  const [first, second] = [await build(), await build()];
  for (const [i, a] of first.entries()) {
    const b = second[i]!;
    assert.equal(a.family, b.family);
    assert.deepEqual(a.steps, b.steps);
    assert.ok(a.image.equals(b.image), `case ${a.index}: input bytes differ between two builds`);
    assert.deepEqual({ ...a.request, body: null, headers: null }, { ...b.request, body: null, headers: null });
  }
});
