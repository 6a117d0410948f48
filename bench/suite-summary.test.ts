// Ratios and verdicts of the suite, on a hand-made run whose figures are worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureRun, rate } from './suite-run-fixture.ts';
import {
  bestRate,
  closedLoopMax,
  crossChecks,
  decodeOverOld,
  goodputAtTheTime,
  goodputRatio,
  judge,
  median,
  targetRows,
  versusDecode,
  versusOld,
  versusOldRatios,
  versusRate,
} from './suite-summary.ts';
import type { SuiteRun } from './suite-types.ts';

test('versus the old service compares the C=4 JSON rates: 200 ÷ 64 and 80 ÷ 64 for the noise PNG', () => {
  const run = fixtureRun();
  assert.equal(versusOld(run, 'noise', 'this'), 200 / 64);
  assert.equal(versusOld(run, 'noise', 'baseline'), 80 / 64);
  assert.equal(versusOld(run, 'small', 'baseline'), 0.6);
});

/** The fixture with two more rounds for the 225² JPEG: old 250 then 160, this 450 then 300. */
function withRounds(): SuiteRun {
  const run = fixtureRun();
  run.cells.push(
    rate('small', 'old', 4, 250, { generator: 'versus round', round: 2 }),
    rate('small', 'this', 4, 450, { generator: 'versus round', round: 2 }),
    rate('small', 'old', 4, 160, { generator: 'versus round', round: 3 }),
    rate('small', 'this', 4, 300, { generator: 'versus round', round: 3 }),
    // A round the old service did not finish pairs with nothing.
    rate('small', 'this', 4, 999, { generator: 'versus round', round: 4 }),
  );
  return run;
}

test("over several rounds, versus the old service is the median of the rounds' own ratios, not a ratio of medians", () => {
  const run = withRounds();
  // Round by round: 400 ÷ 200, 450 ÷ 250, 300 ÷ 160; round 4 has no old-service run.
  assert.deepEqual(versusOldRatios(run, 'small', 'this'), [2, 1.8, 1.875]);
  assert.equal(versusOld(run, 'small', 'this'), 1.875);
  // The medians of the rates would say 400 ÷ 200 = 2.
  assert.equal(versusRate(run, 'small', 'old'), 200);
  assert.equal(versusRate(run, 'small', 'this'), (400 + 450) / 2);
  assert.equal(decodeOverOld(run, 'small'), 600 / 200);
  // A server with one round keeps its single ratio.
  assert.deepEqual(versusOldRatios(run, 'small', 'baseline'), [0.6]);
});

test('the extra rounds are not rates of their own for the best-rate ratios', () => {
  assert.equal(bestRate(withRounds(), 'small', 'this'), 400);
});

test('the median of an even count is the mean of the middle two, and of nothing is null', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), null);
});

test('a server not measured on an image has no ratio rather than zero', () => {
  assert.equal(versusOld(fixtureRun(), 'hd-baseline', 'baseline'), null);
});

test('the decode ratio takes the best rate over connection counts on each side, ignoring wrk cells', () => {
  const run = fixtureRun();
  assert.equal(bestRate(run, 'noise', 'decode'), 400);
  assert.equal(bestRate(run, 'noise', 'this'), 200); // the wrk cell (196) is a cross-check, not a rate of its own
  assert.equal(versusDecode(run, 'noise', 'this'), 0.5);
  assert.equal(versusDecode(run, 'small', 'this'), 400 / 600);
});

test('goodput divides the overload 2xx/s by the best closed-loop JSON rate for the noise PNG', () => {
  const run = fixtureRun();
  assert.equal(closedLoopMax(run, 'this'), 200);
  assert.equal(goodputRatio(run, 'this', 'wrk-c100'), 0.95);
  assert.equal(goodputRatio(run, 'baseline', 'open-1000'), 0.5);
  assert.equal(goodputRatio(run, 'old', 'open-1000'), null);
});

test("goodput at the time divides the overload 2xx/s by the same server's closed-model rate just before the load", () => {
  const run = fixtureRun();
  assert.equal(goodputAtTheTime(run, 'this', 'wrk-c100'), 190 / 250);
  run.overload.find((o) => o.producer === 'this' && o.load === 'wrk-c100')!.closedBefore = null;
  assert.equal(goodputAtTheTime(run, 'this', 'wrk-c100'), null);
});

test('the cross-check compares wrk with the mean of the client bench runs around it, and gives their spread', () => {
  const checks = crossChecks(fixtureRun());
  // old: one client bench run (64), wrk 72. this: 200 and 204 around wrk's 196.
  assert.deepEqual(
    checks.map((c) => [c.producer, c.rateDifferencePct, c.repeatDifferencePct]),
    [
      ['old', 12.5, null],
      ['this', (100 * (196 - 202)) / 202, 2],
    ],
  );
});

test('the repeated cross-check cell is not a rate of its own', () => {
  assert.equal(bestRate(fixtureRun(), 'noise', 'this'), 200);
});

test('verdicts say met or missed and by how much, relative for ratios and absolute for ms and MiB', () => {
  assert.deepEqual(judge(3.125, { kind: 'min', threshold: 2.5, unit: '×' }), { met: true, text: 'met, 25 % above' });
  assert.deepEqual(judge(0.75, { kind: 'min', threshold: 0.9, unit: '×' }), { met: false, text: 'missed by 17 % (needs ≥ 0.90×)' });
  assert.deepEqual(judge(60, { kind: 'max', threshold: 50, unit: 'ms' }), { met: false, text: 'missed by 10.0 ms (needs ≤ 50.0 ms)' });
  assert.deepEqual(judge(310, { kind: 'max', threshold: 400, unit: 'MiB' }), { met: true, text: 'met, 90 MiB to spare' });
  assert.deepEqual(judge(null, { kind: 'max', threshold: 400, unit: 'MiB' }), { met: null, text: 'not measured' });
  assert.deepEqual(judge(20, { kind: 'max', threshold: 50, unit: 'ms' }, '3 probes got no 2xx'), { met: false, text: 'missed: 3 probes got no 2xx' });
});

test('the targets list every class that has a target image, then goodput, /healthz and RSS', () => {
  const rows = targetRows(fixtureRun());
  assert.deepEqual(
    rows.map((r) => r.name),
    [
      'JSON req/s vs the old service, 512×512 noise PNG, C=4',
      'JSON req/s vs the old service, 225×225 JPEG, C=4',
      'JSON req/s ÷ decode-only ceiling, 512×512 noise PNG',
      'JSON req/s ÷ decode-only ceiling, 225×225 JPEG',
      'goodput under wrk -c100: 2xx/s ÷ closed-loop maximum',
      'goodput under open model 1000/s: 2xx/s ÷ closed-loop maximum',
      '/healthz p99 while saturated (worst overload cell)',
      'server peak RSS (VmHWM) in the overload cells',
    ],
  );
  const byName = (prefix: string) => rows.find((r) => r.name.startsWith(prefix))!;
  assert.equal(byName('goodput under open').verdicts.this.text, 'missed by 17 % (needs ≥ 0.90×)');
  assert.equal(byName('/healthz').values.this, 60);
  assert.equal(byName('/healthz').verdicts.baseline.text, 'missed by 980.0 ms (needs ≤ 50.0 ms); 10 probes got no 2xx');
  assert.equal(byName('server peak RSS').values.this, 420);
  assert.equal(byName('server peak RSS').verdicts.this.met, false);
  assert.equal(byName('JSON req/s vs the old service, 512').values.old, null);
});
