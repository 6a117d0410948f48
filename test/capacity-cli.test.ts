// `client capacity` against the server (served from this process over a real socket) with
// CONCURRENCY=1, so the knee comes early: the
// answer agrees with what a closed-model bench measures as the maximum, the server's own
// counters confirm the client's counts, the failing step really missed its objective (judged
// here from its histogram and statuses), and two sharded pods' lines merge step by step.
// The machine is shared (2 cores, other suites running), so tolerances are wide and stated.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import sharp from 'sharp';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import type { BenchResult } from '../client/bench/bench-result.ts';
import type { CapacityStepLine } from '../client/capacity/capacity-step.ts';
import { KEEP_UP_SHARE, type CapacityAnswer } from '../client/capacity/capacity-answer.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function cli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/main.ts', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

async function serverPosts(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('http_requests_total{') && l.includes('method="POST"'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

/** A percentile (µs) of one or more encoded histograms, added here with hdr-histogram-js itself. */
function percentileOf(encoded: string[], p: number): number {
  const sum = hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3 });
  for (const e of encoded) sum.add(hdr.decodeFromCompressedBase64(e, 64, false));
  return Math.min(sum.getValueAtPercentile(p), sum.maxValue);
}

// The objective is on the median: a step of a few seconds holds ~100 samples, whose p99 is their
// maximum, and one scheduling stall of a machine shared with other suites decides that. Past
// the knee the queue grows through the whole step, and the median grows with it.
const P50_MS = 200;
// 512×512 noise PNGs: a few ms of decode each, so one image thread saturates at tens of req/s.
const LOAD = ['--generate', '512x512', '--count', '4'];

// One server for both tests, which count its requests before and after their own.
let server: InProcessServer;
before(async () => {
  server = await startInProcessServer({ env: { CONCURRENCY: '1', POD_NAME: 'capacity-pod' } });
});
after(() => server?.stop());

test('capacity finds a knee near the closed-model maximum, with counts the server confirms', async (t) => {
  const url = `${server.url}/v1/histogram`;
  const dir = await mkdtemp(join(tmpdir(), 'capacity-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  /** The closed-model maximum: 2xx/s of 4 connections for 2 s, its count checked against the server's. */
  const closedMax = async (): Promise<number> => {
    const before = await serverPosts(server.url);
    const closed = await cli(['bench', '--url', url, '-c', '4', '-d', '2s', '--json', ...LOAD]);
    assert.equal(closed.code, 0, closed.stderr);
    const bench = JSON.parse(closed.stdout) as BenchResult;
    assert.equal(bench.requests.completed, (await serverPosts(server.url)) - before);
    return (bench.requests.ok * 1000) / (bench.endMs - bench.startMs);
  };
  const maxBefore = await closedMax();

  // The ramp starts at 0.25 × the closed-model maximum, well below it: the machine's speed
  // drifts while other suites run. Steps stay 4 s long: past the knee the queue must grow long
  // enough within a step for its median to miss the objective (2 s steps sometimes passed every
  // rate up to the maximum). Precision 20 % still takes two bisection steps after a ramp step of 1.6×.
  const start = Math.max(2, Math.round(maxBefore * 0.25));
  const chart = join(dir, 'capacity.png');
  const beforeCapacity = await serverPosts(server.url);
  const run = await cli([
    'capacity',
    '--url',
    url,
    ...LOAD,
    '--start-rate',
    String(start),
    '--step-factor',
    '1.6',
    '--max-rate',
    String(Math.ceil(maxBefore * 4)),
    '--step-duration',
    '4s',
    '--step-warmup',
    '0s',
    '--step-gap',
    '0.5s',
    '--precision',
    '20%',
    '--slo',
    `p50=${P50_MS}ms`,
    '--slo',
    'errors=1%',
    '--connections',
    '16',
    '--json',
    '--chart',
    chart,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const out = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string });
  const steps = out.filter((l) => l.kind === 'histogram-capacity-step') as CapacityStepLine[];
  const answer = out.at(-1) as CapacityAnswer;
  assert.equal(answer.kind, 'histogram-capacity-result');
  assert.equal(steps.length, answer.steps.length);
  assert.ok(
    steps.some((s) => s.capacity.phase === 'bisect'),
    'the ramp found a failing step and bisected',
  );

  // No warm-up: every request the server counted belongs to a step.
  assert.equal(
    steps.reduce((n, s) => n + s.requests.completed, 0),
    (await serverPosts(server.url)) - beforeCapacity,
  );

  // The proving step met the objective, judged here from its own histogram and statuses.
  const proof = steps.find((s) => s.capacity.step === answer.provedBy)!;
  assert.equal(proof.capacity.offeredRate, answer.sustainedRate);
  assert.ok(percentileOf([proof.histogram], 50) <= P50_MS * 1000);
  assert.deepEqual(Object.keys(proof.statuses), ['200']);
  // 2xx/s over the step's duration, or over the time its answers took when that was longer.
  const achievedOf = (step: CapacityStepLine) => (step.requests.ok * 1000) / Math.max(step.options.durationMs!, step.endMs - step.startMs);
  // A step that did not keep up with its offered rate never passes, whatever its latency.
  for (const step of steps) {
    if (achievedOf(step) < KEEP_UP_SHARE * step.capacity.offeredRate) {
      assert.ok(answer.steps.find((s) => s.step === step.capacity.step)?.pass === false, `step ${step.capacity.step} fell behind and passed`);
    }
  }
  // The first failing step really failed: p50 over the bound, more than 1 % not 2xx, or it fell
  // behind the offered rate.
  const failing = steps.find((s) => s.capacity.step === answer.firstFailing)!;
  const notOk = failing.requests.completed - failing.requests.ok + Object.values(failing.errors).reduce((a, b) => a + b, 0);
  assert.ok(
    percentileOf([failing.histogram], 50) > P50_MS * 1000 ||
      notOk > 0.01 * (failing.requests.completed + Object.values(failing.errors).reduce((a, b) => a + b, 0)) ||
      achievedOf(failing) < KEEP_UP_SHARE * failing.capacity.offeredRate,
  );
  assert.ok(failing.capacity.offeredRate > proof.capacity.offeredRate);

  // At the answer the server kept up (2xx/s at least KEEP_UP_SHARE of offered, and not more
  // than was offered), and the answer sits near the closed-model maximum, measured before and
  // after the capacity run. Tolerance: 0.5 × the lower to 1.3 × the higher of the two, since
  // other test suites share the machine's 2 cores and the server's speed drifts with them.
  const maxAfter = await closedMax();
  const [lo, hi] = [Math.min(maxBefore, maxAfter), Math.max(maxBefore, maxAfter)];
  const achieved = achievedOf(proof);
  assert.ok(
    achieved >= KEEP_UP_SHARE * proof.capacity.offeredRate && achieved <= 1.1 * proof.capacity.offeredRate,
    `achieved ${achieved} at ${proof.capacity.offeredRate}`,
  );
  assert.ok(
    answer.sustainedRate! >= 0.5 * lo && answer.sustainedRate! <= 1.3 * hi,
    `sustained ${answer.sustainedRate}, closed-model max ${lo.toFixed(1)}–${hi.toFixed(1)}`,
  );

  const meta = await sharp(chart).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1000, 1000]);

  // report reads the lines back into the same answer and table.
  const report = await cli(['report', '-'], run.stdout);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, new RegExp(`^Sustained: ${answer.sustainedRate} req/s`, 'm'));
});

test('two sharded pods on one fixed schedule merge step by step into the sum of their requests and histograms', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'capacity-shards-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const url = `${server.url}/v1/histogram`;
  // Time for both pods' processes to start (about a CPU-second each) on a busy machine.
  const startAt = new Date(Date.now() + 6_000).toISOString();
  const before = await serverPosts(server.url);
  const pod = (index: number) =>
    cli([
      'capacity',
      '--url',
      url,
      '--generate',
      '64x64',
      '--count',
      '2',
      '--rates',
      '10,20',
      '--step-duration',
      '1s',
      '--step-warmup',
      '0s',
      '--step-gap',
      '0.5s',
      '--shard-index',
      String(index),
      '--shard-count',
      '2',
      '--start-at',
      startAt,
      '--run-id',
      'test-run',
      '--json',
      // The merge is under test, not the server: an objective a busy machine still meets.
      '--slo',
      'p99=10s',
    ]);
  const pods = await Promise.all([pod(0), pod(1)]);
  for (const p of pods) assert.equal(p.code, 0, p.stderr);
  const lines = pods.map((p) =>
    p.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as CapacityStepLine),
  );
  for (const podLines of lines) {
    assert.deepEqual(
      podLines.map((l) => [l.kind, l.capacity.step, l.capacity.phase, l.capacity.offeredRate, l.options.shardRate]),
      [
        ['histogram-capacity-step', 0, 'fixed', 10, 5],
        ['histogram-capacity-step', 1, 'fixed', 20, 10],
      ],
    );
  }
  const all = lines.flat();
  assert.equal(
    all.reduce((n, l) => n + l.requests.completed, 0),
    (await serverPosts(server.url)) - before,
  );

  const logs = join(dir, 'pods.log');
  await writeFile(
    logs,
    pods
      .map((p, k) =>
        p.stdout
          .trim()
          .split('\n')
          .map((l) => `[pod/capacity-${k}] ${l}`)
          .join('\n'),
      )
      .join('\nunrelated log line\n'),
  );
  const report = await cli(['report', '--json', logs]);
  assert.equal(report.code, 0, report.stderr);
  const merged = JSON.parse(report.stdout) as CapacityAnswer;
  assert.equal(merged.steps.length, 2);
  for (const step of merged.steps) {
    const parts = all.filter((l) => l.capacity.step === step.step);
    assert.equal(step.pods, 2);
    assert.deepEqual(step.requests, {
      sent: parts[0]!.requests.sent + parts[1]!.requests.sent,
      completed: parts[0]!.requests.completed + parts[1]!.requests.completed,
      ok: parts[0]!.requests.ok + parts[1]!.requests.ok,
    });
    // One pod at the sum rate sends rate × duration (1 s) requests: so do the two shards together.
    assert.equal(step.requests.sent, step.offeredRate * 1);
    // Percentiles of the merged step equal those of the two histograms added here, within HDR precision.
    for (const [key, p] of [
      ['p50', 50],
      ['p99', 99],
    ] as const) {
      const expected = percentileOf(
        parts.map((l) => l.histogram),
        p,
      );
      assert.ok(Math.abs(step.latencyUs[key] - expected) <= expected * 0.001 + 1, `${key}: merged ${step.latencyUs[key]}, expected ${expected}`);
    }
    assert.ok(step.startSkewMs < 1000, `pods started step ${step.step} ${step.startSkewMs} ms apart`);
  }
  assert.equal(merged.sustainedRate, 20, merged.note);
});
