// The suite's RESULTS.md section rendered from a hand-made run: tables, verdicts, missing parts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureRun, rate } from './suite-run-fixture.ts';
import { BEGIN, END, renderSuiteSection } from './suite-markdown.ts';
import { formatRate } from './suite-markdown-format.ts';

test('rates keep the precision their size needs', () => {
  assert.equal(formatRate(1234.5), '1235');
  assert.equal(formatRate(75.34), '75.3');
  assert.equal(formatRate(0.714), '0.71');
  assert.equal(formatRate(null), '—');
});

test('the section sits between the markers and records the command and the machine', () => {
  const md = renderSuiteSection(fixtureRun());
  assert.ok(md.startsWith(BEGIN) && md.endsWith(END));
  assert.match(md, /Command: `npm run bench`\./);
  assert.match(md, /on 2 CPUs \(Test CPU\), 8\.0 GiB, Linux 6\.1/);
  assert.match(md, /CPUs busy in the second before the suite: 1 %, 2 %;/);
  assert.match(md, /Each server, once started, is loaded for 10 s at C=4 before its first cell/);
  assert.match(md, /to a freshly started server \(after a 10 s warm-up at C=4\)/);
});

test("the versus table gives each server's C=4 rate and its ratio to the old service", () => {
  const md = renderSuiteSection(fixtureRun());
  assert.ok(md.includes('| **512×512 noise PNG** | 64.0 | 40.0 | 80.0 | 40.0 | 1.25× | 200 | 40.0 | 3.13× | 6.25× | ≥ 2.5× |'), md);
  // Few answers are shown with their count; an image without a target has none.
  assert.ok(md.includes('| 1920×1200 baseline photo | 5.00 (n=7) | 40.0 | — | — | — | 45.0 | 40.0 | 9.00× | 10.00× | — |'), md);
});

test('over several rounds the versus table gives medians, and the ratio with the range of the rounds', () => {
  const run = fixtureRun();
  run.cells.push(
    rate('small', 'old', 4, 250, { generator: 'versus round', round: 2, ok: 12 }),
    rate('small', 'this', 4, 450, { generator: 'versus round', round: 2, p99Ms: 60 }),
    rate('small', 'old', 4, 160, { generator: 'versus round', round: 3 }),
    rate('small', 'this', 4, 300, { generator: 'versus round', round: 3, p99Ms: 50 }),
  );
  const md = renderSuiteSection(run);
  // old: median of 200, 250, 160 (one round with 12 answers); this: 400, 450, 300, p99 40, 60, 50;
  // ratios 2, 1.8, 1.875. The baseline ran once.
  assert.ok(md.includes('| **225×225 JPEG** | 200 (n=1000/12/800) | 40.0 | 120 | 40.0 | 0.60× | 400 | 50.0 | 1.88× (1.80–2.00) | 3.00× | ≥ 1.6× |'), md);
  assert.match(md, /The bold images ran in 3 rounds, each round the old service, then before, then this branch, back to back/);
  // One round: no word of rounds.
  assert.doesNotMatch(renderSuiteSection(fixtureRun()), /ran in \d+ rounds/);
});

test('the cross-check and overload tables carry the differences and the goodput ratios', () => {
  const md = renderSuiteSection(fixtureRun());
  assert.match(md, /\| old service \| 512×512 noise PNG \| 4 \| 64\.0 \| 72\.0 \| — \| \+12\.5 % \| — \|/);
  assert.match(md, /\| this branch \(def5678\) \| 512×512 noise PNG \| 4 \| 200 \| 196 \| 204 \| -3\.0 % \| \+2\.0 % \|/);
  assert.match(
    md,
    /\| wrk -c100 \| this branch \(def5678\) \| 190 \| 200 \| 0\.95× \| 250 \| 0\.76× \| 100 \| 0 \| 900 ms \| 1500 ms \| 20\.0 \(30\.0\) ms \| 300 MiB \|/,
  );
  assert.match(
    md,
    /\| wrk -c100 \| before \(abc1234\) \| 8\.00 \| 80\.0 \| 0\.10× \| 250 \| 0\.03× \| 100 \| 0 \| 900 ms \| 1500 ms \| 1030 \(1100\) ms, 10 failed \| 310 MiB \|/,
  );
  assert.match(md, /wrk -c100, old service: no \/healthz \(the old service has no probe route\)\./);
});

test('the targets table shows before and after and a bold verdict where the branch misses', () => {
  const md = renderSuiteSection(fixtureRun());
  assert.match(md, /\| JSON req\/s vs the old service, 512×512 noise PNG, C=4 \| ≥ 2\.50× \| 1\.25× ✗ \| 3\.13× ✓ \| met, 25 % above \|/);
  assert.match(
    md,
    /\| server peak RSS \(VmHWM\) in the overload cells \| ≤ 400 MiB \| 310 MiB ✓ \| 420 MiB ✗ \| \*\*missed by 20 MiB \(needs ≤ 400 MiB\)\*\* \|/,
  );
});

test('a server that could not run is named with the reason, and its columns are left out', () => {
  const run = fixtureRun();
  const old = run.subjects.find((s) => s.id === 'old')!;
  old.measured = false;
  old.missing = '/usr/bin/python3 lacks fastapi: apt-get install python3-fastapi (Debian)';
  run.cells = run.cells.filter((c) => c.producer !== 'old');
  run.notMeasured.push(`old service: ${old.missing}.`);
  const md = renderSuiteSection(run);
  assert.match(md, /### Versus the old service\n\nNot measured: \/usr\/bin\/python3 lacks fastapi: apt-get install python3-fastapi \(Debian\)\./);
  assert.match(md, /- \*\*old service\*\*: not measured: /);
  assert.match(md, /### Not measured in this run\n\n- old service: \/usr\/bin\/python3 lacks fastapi/);
});
