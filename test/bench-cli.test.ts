// End-to-end checks of `client bench` and `client report`: against the server (the app served
// from the test process over a real socket, one image thread) counts agree with the server's
// own and a result line survives the report round trip; against a target of known capacity
// (a fixed service time, so "behind" does not depend on the machine's speed) the open model
// corrects for coordinated omission.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { startFixedServiceServer } from './helpers/fixed-service-server.ts';
import { runCli } from './helpers/run-cli.ts';
import { postsAnswered } from './helpers/ops-metrics.ts';
import type { BenchResult } from '../client/bench/bench-result.ts';
import type { MergedReport } from '../client/report/merge-results.ts';

let server: InProcessServer;
before(async () => {
  server = await startInProcessServer({ env: { CONCURRENCY: '1', POD_NAME: 'bench-test-pod' } });
});
after(() => server?.stop());

test('bench with 2 connections for 2 s counts exactly the requests the server answered, and its line round-trips through report', async () => {
  const before = await postsAnswered(server.url);
  const run = await runCli(['bench', '--url', `${server.url}/v1/histogram`, '-c', '2', '-d', '2s', '--generate', '128x128', '--count', '3', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one line on stdout');
  const result = JSON.parse(lines[0]!) as BenchResult;
  assert.equal(result.kind, 'histogram-bench-result');
  assert.equal(result.model, 'closed');
  // Each connection made at least one request; how many more depends on the machine.
  assert.ok(result.requests.completed >= 2, `only ${result.requests.completed} responses`);
  assert.equal(result.requests.completed, (await postsAnswered(server.url)) - before);
  assert.equal(result.requests.sent, result.requests.completed);
  assert.deepEqual(result.statuses, { 200: result.requests.completed });
  assert.deepEqual(result.servedBy, { 'bench-test-pod': result.requests.completed });
  assert.equal(
    result.perSecond.reduce((sum, [, all]) => sum + all, 0),
    result.requests.completed,
  );

  const report = await runCli(['report', '--json', '-'], { stdin: `other log line\n${lines[0]}\n` });
  assert.equal(report.code, 0, report.stderr);
  const merged = JSON.parse(report.stdout) as MergedReport;
  assert.equal(merged.pods, 1);
  assert.deepEqual(merged.requests, result.requests);
  assert.deepEqual(merged.statuses, result.statuses);
  assert.deepEqual(merged.servedBy, result.servedBy);
  assert.deepEqual(merged.perSecond, result.perSecond);
  assert.equal(merged.whole.startMs, result.startMs);
  assert.equal(merged.latencyUs.count, result.latencyUs.count);
  // Decoding reports values as their HDR bucket's bounds: equal within 3 significant figures.
  for (const key of ['min', 'p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const) {
    const [a, b] = [merged.latencyUs[key], result.latencyUs[key]];
    assert.ok(Math.abs(a - b) <= b * 0.001 + 1, `${key}: merged ${a} µs, bench ${b} µs`);
  }
});

test('--rate 100 against a 50 req/s target reports corrected latencies larger than uncorrected ones, and no more 2xx/s than it can serve', async (t) => {
  // 20 ms per request, one at a time: 50 req/s, whatever the machine; 100 req/s is twice that.
  const target = await startFixedServiceServer({ serviceMs: 20, concurrency: 1 });
  t.after(() => target.stop());
  const run = await runCli([
    'bench',
    '--url',
    `${target.url}/v1/histogram`,
    '--rate',
    '100',
    '-c',
    '4',
    '-d',
    '2s',
    '--json',
    '--generate',
    '64x64',
    '--count',
    '2',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as BenchResult;
  assert.equal(result.model, 'open');
  assert.ok(result.uncorrectedLatencyUs, 'open model records uncorrected latency too');
  assert.equal(result.requests.sent, 200, 'the open model sends every request its schedule holds');
  assert.equal(result.requests.ok, (await target.stats()).served);
  // The target answers at most 50 per second of the run (+ the one in service at its start).
  const seconds = (result.endMs - result.startMs) / 1000;
  assert.ok(result.requests.ok <= target.capacity * seconds + 1, `${result.requests.ok} answers in ${seconds} s`);
  // Requests wait for a connection in the client while their clock runs: the corrected
  // latency counts that wait, the uncorrected one only the time after sending.
  assert.ok(result.latencyUs.p50 > result.uncorrectedLatencyUs.p50, `p50 ${result.latencyUs.p50} vs ${result.uncorrectedLatencyUs.p50}`);
  assert.ok(result.latencyUs.p99 > result.uncorrectedLatencyUs.p99, `p99 ${result.latencyUs.p99} vs ${result.uncorrectedLatencyUs.p99}`);
});
