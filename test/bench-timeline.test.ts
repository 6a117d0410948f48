// The closed model on node:http and the per-second timeline, end to end against a target of
// known capacity (a fixed service time, so every bound below holds whatever the machine): the
// counts equal what the target counted, each second's latencies are at least the service time,
// and no second holds more answers than the target can give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixedServiceServer } from './helpers/fixed-service-server.ts';
import { runCli } from './helpers/run-cli.ts';
import type { BenchResult } from '../client/bench/bench-result.ts';
import type { MergedReport } from '../client/report/merge-results.ts';

const load = (url: string, ...extra: string[]) => ['bench', '--url', `${url}/v1/histogram`, '--generate', '32x32', '--count', '2', '--json', ...extra];

test('a closed run of 3 connections for 2 s counts exactly the requests the target received and served, second by second', async (t) => {
  // 20 ms each, 2 at once: 100 req/s; the third connection always waits.
  const target = await startFixedServiceServer({ serviceMs: 20, concurrency: 2 });
  t.after(() => target.stop());
  const run = await runCli(load(target.url, '-c', '3', '-d', '2s'));
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as BenchResult;
  const stats = await target.stats();
  assert.equal(result.model, 'closed');
  assert.equal(result.requests.completed, stats.arrived, 'every request the target received was answered and counted');
  assert.equal(result.requests.ok, stats.served);
  assert.equal(result.requests.sent, result.requests.completed);
  assert.ok(result.requests.ok >= 3, `only ${result.requests.ok} responses`);

  const timeline = result.timeline!;
  // Every wall-clock second of the window, in order, without gaps.
  assert.equal(timeline[0]!.second, Math.floor(result.startMs / 1000));
  assert.equal(timeline.at(-1)!.second, Math.floor((result.endMs - 1) / 1000));
  assert.deepEqual(
    timeline.map((s) => s.second),
    timeline.map((_, k) => timeline[0]!.second + k),
  );
  assert.equal(
    timeline.reduce((n, s) => n + s.coveredMs, 0),
    result.endMs - result.startMs,
  );
  assert.equal(
    timeline.reduce((n, s) => n + s.responses, 0),
    result.requests.completed,
  );
  assert.equal(
    timeline.reduce((n, s) => n + (s.servedBy['fixed-service'] ?? 0), 0),
    result.requests.completed,
  );
  for (const s of timeline) {
    // Two slots of 20 ms serve at most 100 a second, plus the two in service as it began.
    assert.ok(s.ok <= 102, `second ${s.second}: ${s.ok} answers`);
    assert.equal(s.non2xx + s.timeouts + s.errors, 0);
    if (s.ok > 0) assert.ok(s.latencyUs.p50 >= 20_000 && s.latencyUs.min >= 20_000, `second ${s.second}: p50 ${s.latencyUs.p50} µs`);
  }
});

test('with --amount the closed model sends exactly that many requests over its connections', async (t) => {
  const target = await startFixedServiceServer({ serviceMs: 5, concurrency: 2 });
  t.after(() => target.stop());
  const run = await runCli(load(target.url, '-c', '4', '-a', '25'));
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as BenchResult;
  assert.deepEqual(result.requests, { sent: 25, completed: 25, ok: 25 });
  const stats = await target.stats();
  assert.equal(stats.arrived, 25);
  assert.equal(stats.served, 25);
});

test("report merges two pods' timelines on wall-clock seconds: each second's counts are the sum of the pods'", async (t) => {
  const target = await startFixedServiceServer({ serviceMs: 10, concurrency: 4 });
  t.after(() => target.stop());
  const shard = (k: number) => runCli(load(target.url, '--rate', '40', '-c', '2', '-d', '2s', '--shard-index', String(k), '--shard-count', '2'));
  const runs = await Promise.all([shard(0), shard(1)]);
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  const pods = runs.map((run) => JSON.parse(run.stdout) as BenchResult);
  const report = await runCli(['report', '-', '--json'], { stdin: runs.map((run) => run.stdout).join('') });
  assert.equal(report.code, 0, report.stderr);
  const merged = JSON.parse(report.stdout) as MergedReport;
  const seconds = new Set(pods.flatMap((p) => p.timeline!.map((s) => s.second)));
  assert.deepEqual(
    merged.timeline!.map((s) => s.second),
    [...seconds].sort((a, b) => a - b),
  );
  for (const s of merged.timeline!) {
    const parts = pods.flatMap((p) => p.timeline!.filter((x) => x.second === s.second));
    assert.equal(
      s.responses,
      parts.reduce((n, x) => n + x.responses, 0),
      `second ${s.second}`,
    );
    assert.equal(
      s.ok,
      parts.reduce((n, x) => n + x.ok, 0),
    );
    assert.equal(s.pods, parts.length);
    assert.equal(s.latencyUs.count, s.ok);
    if (s.ok > 0) assert.ok(s.latencyUs.min >= 10_000, `second ${s.second}: min ${s.latencyUs.min} µs from a 10 ms target`);
  }
  assert.equal(
    merged.timeline!.reduce((n, s) => n + s.responses, 0),
    merged.requests.completed,
  );
});
