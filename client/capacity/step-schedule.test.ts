// The capacity schedule: ramp rates, bisection midpoints and when the bracket is closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bracketClosed, fixedStepStart, nextBisectRate, parsePrecision, rampRates } from './step-schedule.ts';

test('a ramp from 10 by ×2 up to 100 offers 10, 20, 40, 80 and then 100 itself', () => {
  assert.deepEqual(rampRates({ rates: null, startRate: 10, stepFactor: 2, maxRate: 100 }), [10, 20, 40, 80, 100]);
});

test('a rate list is taken as given, and refused unless it rises', () => {
  assert.deepEqual(rampRates({ rates: [5, 7.5, 30], startRate: 1, stepFactor: 2, maxRate: 1 }), [5, 7.5, 30]);
  assert.throws(() => rampRates({ rates: [5, 5], startRate: 1, stepFactor: 2, maxRate: 1 }), /rising rates > 0 for --rates but received 5,5/);
  assert.throws(() => rampRates({ rates: null, startRate: 10, stepFactor: 1, maxRate: 100 }), /number > 1 for --step-factor/);
});

test('bisecting between 40 (pass) and 80 (fail) at 5 % takes midpoints until the bracket is within 5 % of the passing rate', () => {
  const precision = parsePrecision('5%');
  let [pass, fail] = [40, 80];
  const tried: number[] = [];
  // Pretend the true limit is 57: rates up to it pass.
  for (let next = nextBisectRate(pass, fail, precision); next !== null; next = nextBisectRate(pass, fail, precision)) {
    tried.push(next);
    if (next <= 57) pass = next;
    else fail = next;
  }
  // 60 fails, 50 and 55 pass, 57.5 fails; 57.5 - 55 = 2.5 <= 5 % of 55 (2.75): done.
  assert.deepEqual(tried, [60, 50, 55, 57.5]);
  assert.deepEqual([pass, fail], [55, 57.5]);
  assert.ok(bracketClosed(pass, fail, precision) && fail - pass <= 0.05 * pass);
});

test('an absolute precision of 2 req/s stops once pass and fail are 2 apart', () => {
  assert.equal(nextBisectRate(50, 52, parsePrecision('2')), null);
  assert.equal(nextBisectRate(50, 53, parsePrecision('2')), 51.5);
  assert.throws(() => parsePrecision('fine'), /precision such as 5% or 2/);
});

test('fixed steps start one slot apart from the common start', () => {
  assert.deepEqual(
    [0, 1, 2].map((k) => fixedStepStart(1_000, k, 30_000)),
    [1_000, 31_000, 61_000],
  );
});
