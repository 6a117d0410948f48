// Gating on objectives: `bench --slo` and `report --slo` against targets whose latency is known
// whatever the machine (a fixed service time: a 5 ms target answers well inside 2 s, a 300 ms
// one can never answer inside 50 ms), with the exit codes a pipeline relies on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixedServiceServer, type FixedServiceServer } from './helpers/fixed-service-server.ts';
import { runCli } from './helpers/run-cli.ts';
import type { BenchResult } from '../client/bench/bench-result.ts';
import type { MergedReport } from '../client/report/merge-results.ts';
import { EXIT_OBJECTIVE_MISSED } from '../client/bench/slo-verdict.ts';

let fast: FixedServiceServer;
let slow: FixedServiceServer;
before(async () => {
  [fast, slow] = await Promise.all([startFixedServiceServer({ serviceMs: 5, concurrency: 4 }), startFixedServiceServer({ serviceMs: 300, concurrency: 4 })]);
});
after(async () => {
  await Promise.all([fast?.stop(), slow?.stop()]);
});

const bench = (url: string, ...extra: string[]) => [
  'bench',
  '--url',
  `${url}/v1/histogram`,
  '-c',
  '2',
  '-a',
  '8',
  '--generate',
  '32x32',
  '--count',
  '1',
  ...extra,
];

test('the exit status for a missed objective is 3: apart from 1 (the work failed) and 2 (wrong command line)', () => {
  assert.equal(EXIT_OBJECTIVE_MISSED, 3);
});

test('a 5 ms target meets --slo p99=2s: exit 0, each objective printed as met, errors=1% added', async () => {
  const run = await runCli(bench(fast.url, '--slo', 'p99=2s'));
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Objectives: all met$/m);
  assert.match(run.stdout, /^ {2}p99=2s\s+met\s+p99 \d+\.\d ms$/m);
  assert.match(run.stdout, /^ {2}errors=1%\s+met\s+errors 0\.00%$/m);
});

test('a 300 ms target misses --slo p99=50ms: exit 3, the objective printed as MISSED with what was measured', async () => {
  const run = await runCli(bench(slow.url, '--slo', 'p99=50ms', '--slo', 'errors=0.1%'));
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stdout, /^Objectives: MISSED \(exit 3\)$/m);
  const line = /^ {2}p99=50ms\s+MISSED\s+p99 (\d+\.\d) ms$/m.exec(run.stdout);
  assert.ok(line, run.stdout);
  // No response can come back faster than the target's service time.
  assert.ok(Number(line[1]) >= 300, `p99 ${line[1]} ms from a 300 ms target`);
  assert.match(run.stdout, /^ {2}errors=0\.1%\s+met\s+errors 0\.00%$/m);
});

test('with --json the verdict is in the one result line and in words on stderr, and report --slo gates the merged lines', async () => {
  const run = await runCli(bench(slow.url, '--json', '--slo', 'p50=50ms'));
  assert.equal(run.code, 3, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'stdout holds exactly the result line');
  const result = JSON.parse(lines[0]!) as BenchResult;
  assert.equal(result.slo?.pass, false);
  assert.deepEqual(
    result.slo?.checks.map((c) => [c.objective, c.met]),
    [
      ['p50=50ms', false],
      ['errors=1%', true],
    ],
  );
  assert.equal(result.slo?.checks[0]?.measured, result.latencyUs.p50);
  assert.equal(result.slo?.checks[0]?.limit, 50_000);
  assert.match(run.stderr, /p50=50ms\s+MISSED/);

  const logs = `[pod/bench-0] starting\n[pod/bench-0] ${lines[0]}\n`;
  const missed = await runCli(['report', '-', '--slo', 'p99=50ms'], { stdin: logs });
  assert.equal(missed.code, 3, missed.stderr);
  assert.match(missed.stdout, /^ {2}p99=50ms\s+MISSED\s+p99 \d+\.\d ms$/m);
  const met = await runCli(['report', '-', '--json', '--slo', 'p99=60s'], { stdin: logs });
  assert.equal(met.code, 0, met.stderr);
  const merged = JSON.parse(met.stdout) as MergedReport;
  assert.equal(merged.slo?.pass, true);
  assert.match(met.stderr, /Objectives: all met/);
});

test('a run without any 2xx exits 1 (the work failed), not 3, even with objectives', async () => {
  // Port 9 (discard) on loopback refuses connections: every request fails without response.
  const run = await runCli([
    'bench',
    '--url',
    'http://127.0.0.1:9/v1/histogram',
    '-c',
    '1',
    '-a',
    '3',
    '--generate',
    '32x32',
    '--count',
    '1',
    '--slo',
    'p99=1s',
  ]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /p99=1s\s+MISSED\s+no 2xx response/);
});

test('malformed objectives are a wrong command line (exit 2) for bench and report, and report refuses --slo with --compare', async () => {
  const cases = [
    { args: ['bench', '--slo', 'p98=1s'], message: /p50, p90, p99, p99.9, errors.*"p98=1s"/ },
    { args: ['report', '-', '--slo', 'errors=lots'], message: /share such as 0.1% or 0.001 .*"lots"/ },
    { args: ['report', '--compare', 'a.log', 'b.log', '--slo', 'p99=1s'], message: /--slo is not available with --compare/ },
  ];
  for (const c of cases) {
    const run = await runCli(c.args, { stdin: '' });
    assert.equal(run.code, 2, `${c.args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, c.message);
  }
});
