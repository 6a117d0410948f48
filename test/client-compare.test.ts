// `client report --compare A B` on the real CLI: two bench runs and two capacity runs built
// from known counts and latencies, whose ratios and scaling efficiency the test works out by
// hand from those numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchRecorder } from '../client/bench/bench-recorder.ts';
import { buildResult } from '../client/bench/build-result.ts';
import { toResultLine } from '../client/bench/bench-result.ts';
import type { BenchOptions } from '../client/bench/bench-options.ts';
import { toStepLine } from '../client/capacity/capacity-step.ts';
import type { Comparison } from '../client/report/compare-runs.ts';
import { runCli } from './helpers/run-cli.ts';

const OPTIONS: BenchOptions = {
  url: 'http://127.0.0.1:1/v1/histogram',
  images: [],
  accept: 'json',
  headers: {},
  connections: 8,
  durationMs: 10_000,
  amount: null,
  rate: null,
  warmupMs: 0,
  timeoutMs: 30_000,
  shard: { index: 0, count: 1 },
  untilReadyMs: null,
  startAt: null,
};
const T0 = 1_700_000_000_000; // a whole second

/**
 * One pod's result: `okPerSecond` 2xx per second for 10 whole seconds from T0, spread evenly
 * over `replicas`, each response taking `latencyMs`; plus `failed` 503s.
 */
function pod(o: { shard: number; shards: number; okPerSecond: number; replicas: string[]; latencyMs: number; failed?: number; rate?: number }) {
  const recorder = new BenchRecorder();
  const total = o.okPerSecond * 10;
  for (let k = 0; k < total; k++) recorder.recordResponse(200, o.latencyMs * 1000, 100, o.replicas[k % o.replicas.length]);
  for (let k = 0; k < (o.failed ?? 0); k++) recorder.recordResponse(503, 100, 80, o.replicas[0]);
  const result = buildResult(
    { ...OPTIONS, rate: o.rate ?? null, shard: { index: o.shard, count: o.shards } },
    o.rate ? 'open' : 'closed',
    'POST',
    recorder,
    T0,
    T0 + 10_000,
  );
  const perSecond: Array<[number, number, number]> = Array.from({ length: 10 }, (_, s) => [
    T0 / 1000 + s,
    o.okPerSecond + (s === 0 ? (o.failed ?? 0) : 0),
    o.okPerSecond,
  ]);
  return { ...result, perSecond };
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compare-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('1 → 4 replicas: 2xx/s 100 → 360 is a scaling efficiency of 360 / (100 × 4) = 90 %', async () => {
  const a = join(dir, 'one.log');
  const b = join(dir, 'four.log');
  await writeFile(a, `${toResultLine(pod({ shard: 0, shards: 1, okPerSecond: 100, replicas: ['server-a'], latencyMs: 20 }))}\n`);
  await writeFile(
    b,
    [
      'a log line of the pod',
      toResultLine(pod({ shard: 0, shards: 2, okPerSecond: 180, replicas: ['server-1', 'server-2'], latencyMs: 25 })),
      toResultLine(pod({ shard: 1, shards: 2, okPerSecond: 180, replicas: ['server-3', 'server-4'], latencyMs: 25 })),
    ].join('\n'),
  );
  const run = await runCli(['report', '--compare', a, b, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const c = JSON.parse(run.stdout) as Comparison;
  const figure = (name: string) => c.figures.find((f) => f.name === name)!;
  assert.deepEqual([figure('2xx/s').a, figure('2xx/s').b], [100, 360]);
  assert.equal(figure('2xx/s').ratio, 3.6);
  assert.deepEqual([figure('2xx').a, figure('2xx').b], [1000, 3600]);
  // Every response took 20 ms (A) and 25 ms (B): within HDR's 0.1 %.
  assert.ok(Math.abs(figure('p99 ms').ratio! - 1.25) < 0.0025, String(figure('p99 ms').ratio));
  assert.deepEqual(c.replicas, { a: 1, b: 4, source: { a: 'X-Served-By', b: 'X-Served-By' } });
  assert.ok(Math.abs(c.scalingEfficiency! - 0.9) < 1e-9);

  const text = await runCli(['report', '--compare', a, '-'], { stdin: await readFile(b, 'utf8') });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^Scaling efficiency: 2xx\/s B \/ \(A × replicas B \/ replicas A\) = 360 \/ \(100 × 4\/1\) = 90\.0%/m);
});

test('--replicas-a/--replicas-b override X-Served-By: 100 → 360 over 2 → 4 replicas is 180 %', async () => {
  const a = join(dir, 'one.log');
  const b = join(dir, 'four.log');
  const run = await runCli(['report', '--compare', a, b, '--replicas-a', '2', '--replicas-b', '4', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const c = JSON.parse(run.stdout) as Comparison;
  assert.ok(Math.abs(c.scalingEfficiency! - 360 / (100 * 2)) < 1e-9);
  assert.deepEqual(c.replicas.source, { a: 'option', b: 'option' });
});

/** Capacity step lines of one run: steps at `rates`, passing up to `passUpTo`, failing (all 503) above. */
function capacityRun(run: string, rates: number[], passUpTo: number, replicas: string[]): string {
  return rates
    .map((rate, step) => {
      const pass = rate <= passUpTo;
      const recorder = new BenchRecorder();
      for (let k = 0; k < rate * 10; k++) recorder.recordResponse(pass ? 200 : 503, 10_000, 100, replicas[k % replicas.length]);
      if (!pass) recorder.recordResponse(200, 10_000, 100, replicas[0]);
      const result = buildResult({ ...OPTIONS, rate }, 'open', 'POST', recorder, T0 + step * 20_000, T0 + step * 20_000 + 10_000);
      return JSON.stringify(toStepLine(result, { run, step, phase: 'ramp', offeredRate: rate, objectives: ['p99=250ms', 'errors=0.1%'] }));
    })
    .join('\n');
}

test('two capacity runs compare by sustained rate: 50 → 200 req/s from 1 to 4 replicas is 100 % efficient', async () => {
  const a = join(dir, 'capacity-one.log');
  const b = join(dir, 'capacity-four.log');
  await writeFile(a, capacityRun('one', [25, 50, 100], 50, ['only']));
  await writeFile(b, capacityRun('four', [100, 200, 400], 200, ['r1', 'r2', 'r3', 'r4']));
  const run = await runCli(['report', '--compare', a, b, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const c = JSON.parse(run.stdout) as Comparison;
  assert.equal(c.runKind, 'capacity');
  const sustained = c.figures.find((f) => f.name === 'sustained req/s')!;
  assert.deepEqual([sustained.a, sustained.b, sustained.ratio], [50, 200, 4]);
  assert.deepEqual([c.replicas.a, c.replicas.b], [1, 4]);
  assert.equal(c.scalingEfficiency, 1);
});

test('comparing a bench run with a capacity run is refused, exit 2', async () => {
  const run = await runCli(['report', '--compare', join(dir, 'one.log'), join(dir, 'capacity-four.log')]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Expected two bench runs or two capacity runs but received a bench run .* and a capacity run/);
});
