// Objectives: parsing `--slo` and judging a step's counts and latency summary against them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkObjectives, evaluate, parseObjectives } from './objectives.ts';

const summary = (p99Us: number) => ({ count: 100, min: 1, mean: 1, p50: 1000, p90: 2000, p99: p99Us, p999: p99Us, max: p99Us });

test('p99=250ms and errors=0.1% parse to 250 000 µs and a ratio of 0.001', () => {
  const objectives = parseObjectives(['p99=250ms', 'errors=0.1%', 'p99.9=1s']);
  assert.deepEqual(
    objectives.map((o) => (o.kind === 'latency' ? [o.percentile, o.maxUs] : ['errors', o.maxRatio])),
    [
      ['p99', 250_000],
      ['errors', 0.001],
      ['p99.9', 1_000_000],
    ],
  );
});

test('without an errors objective, errors=1% is added so shed requests cannot pass a step', () => {
  assert.deepEqual(
    parseObjectives(['p50=20ms']).map((o) => o.text),
    ['p50=20ms', 'errors=1%'],
  );
});

test('unknown percentiles and malformed shares are refused with the accepted forms', () => {
  assert.throws(() => parseObjectives(['p98=1s']), /p50, p90, p99, p99.9, errors.*received "p98=1s"/);
  assert.throws(() => parseObjectives(['errors=lots']), /share such as 0.1% or 0.001 .*"lots"/);
});

test('a step passes at the bound and fails above it, naming the objective it missed', () => {
  const objectives = parseObjectives(['p99=250ms', 'errors=1%']);
  const requests = { sent: 100, completed: 100, ok: 100 };
  assert.deepEqual(evaluate(objectives, { requests, errors: {}, latencyUs: summary(250_000) }), { pass: true, failures: [] });
  assert.deepEqual(evaluate(objectives, { requests, errors: {}, latencyUs: summary(250_500) }).failures, ['p99 250.5 ms > 250ms']);
});

test('the failed share counts non-2xx responses and requests without response', () => {
  const objectives = parseObjectives(['errors=1%']);
  // 97 ok, 1 × 503, 2 timeouts: 3 of 100 outcomes failed.
  const verdict = evaluate(objectives, { requests: { sent: 100, completed: 98, ok: 97 }, errors: { timeout: 2 }, latencyUs: summary(1) });
  assert.deepEqual(verdict.failures, ['errors 3.00% > 1%']);
  assert.equal(evaluate(objectives, { requests: { sent: 5, completed: 5, ok: 0 }, errors: {}, latencyUs: summary(0) }).pass, false);
});

test('each objective is checked on its own with what was measured, and a latency bound without any 2xx is missed', () => {
  const objectives = parseObjectives(['p50=2ms', 'p99=250ms', 'errors=1%']);
  const checks = checkObjectives(objectives, { requests: { sent: 100, completed: 100, ok: 98 }, errors: {}, latencyUs: summary(300_000) });
  assert.deepEqual(
    checks.map((c) => [c.objective, c.met, c.measured, c.limit, c.text]),
    [
      ['p50=2ms', true, 1000, 2000, 'p50 1.0 ms'],
      ['p99=250ms', false, 300_000, 250_000, 'p99 300.0 ms'],
      ['errors=1%', false, 0.02, 0.01, 'errors 2.00%'],
    ],
  );
  const none = checkObjectives(parseObjectives(['p99=1s']), { requests: { sent: 3, completed: 0, ok: 0 }, errors: { ECONNREFUSED: 3 }, latencyUs: summary(0) });
  assert.deepEqual(
    none.map((c) => [c.met, c.text]),
    [
      [false, 'no 2xx response'],
      [false, 'errors 100.00%'],
    ],
  );
});
