// Sharding a Job's total rate: defaults from the Indexed Job's environment, and interleaved
// due times that add up to the total rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveShard } from './shard.ts';
import { dueTimeNs } from './open-model.ts';
import { parseDuration } from './parse-duration.ts';

test('shard defaults to JOB_COMPLETION_INDEX of JOB_COMPLETIONS, and options override them', () => {
  assert.deepEqual(resolveShard(undefined, undefined, {}), { index: 0, count: 1 });
  assert.deepEqual(resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '2', JOB_COMPLETIONS: '4' }), { index: 2, count: 4 });
  assert.deepEqual(resolveShard(1, 3, { JOB_COMPLETION_INDEX: '2', JOB_COMPLETIONS: '4' }), { index: 1, count: 3 });
  assert.throws(() => resolveShard(3, 3, {}), /between 0 and 2 for --shard-index but received 3/);
});

test('four shards at 100 req/s total each send every 40 ms, offset by 10 ms from one another', () => {
  const due = (index: number, i: number) => Number(dueTimeNs({ totalRate: 100, shardIndex: index, shardCount: 4 }, i)) / 1e6;
  assert.deepEqual(
    [0, 1, 2].map((i) => due(0, i)),
    [0, 40, 80],
  );
  assert.deepEqual(
    [0, 1, 2].map((i) => due(3, i)),
    [30, 70, 110],
  );
  // Together: one request every 10 ms, no two shards on the same slot.
  const all = [0, 1, 2, 3].flatMap((s) => [0, 1, 2].map((i) => due(s, i))).sort((a, b) => a - b);
  assert.deepEqual(
    all,
    Array.from({ length: 12 }, (_, k) => k * 10),
  );
});

test('durations read 30s, 500ms, 2m and bare seconds, and refuse anything else', () => {
  assert.deepEqual(
    ['30s', '500ms', '2m', '1.5', 0].map((d) => parseDuration(d)),
    [30_000, 500, 120_000, 1_500, 0],
  );
  assert.throws(() => parseDuration('soon', 'warmup'), /for --warmup but received "soon"/);
});
