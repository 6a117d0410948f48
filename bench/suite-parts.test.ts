// The suite's small pure parts: listening announcements, CPU accounting, per-second goodput,
// image selection, package versions, extra server variables, how a server checkout is started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announcements, cpuTimes } from './suite-processes.ts';
import { okPerSecondWithin } from './suite-overload.ts';
import { IMAGE_IDS, packageVersionOf, selectImageIds } from './suite-images.ts';
import { parseEnvList } from './suite-subjects.ts';
import { imageAllocatorEnv, startNodeOptions } from './server-launch.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('a listening line announces the API port; an admin listener by its msg, listener field or adminPort', () => {
  assert.deepEqual(announcements({ level: 'info', msg: 'listening', port: 8080, concurrency: 1 }), [{ port: 8080, admin: false }]);
  assert.deepEqual(announcements({ msg: 'listening', port: 8080, adminPort: 9090 }), [
    { port: 8080, admin: false },
    { port: 9090, admin: true },
  ]);
  assert.deepEqual(announcements({ msg: 'admin listening', port: 9090 }), [{ port: 9090, admin: true }]);
  assert.deepEqual(announcements({ msg: 'listening', listener: 'admin', port: 9090 }), [{ port: 9090, admin: true }]);
  assert.deepEqual(announcements({ msg: 'ready', port: 8080 }), []);
});

test('CPU busy time is everything but idle and iowait, per cpuN line', () => {
  const stat = 'cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 5 1 4 90 10 0 0 0 0 0\ncpu1 50 0 0 40 0 5 5 0 0 0\nintr 1\n';
  assert.deepEqual(cpuTimes(stat), [
    [10, 110],
    [60, 100],
  ]);
});

test('goodput counts the 2xx of whole seconds inside the window; silent seconds count as zero', () => {
  // Window 1000.5 s .. 1004.5 s: whole seconds 1001, 1002, 1003 (1004 is cut short).
  const perSecond: Array<[number, number, number]> = [
    [1000, 50, 50],
    [1001, 80, 10],
    [1003, 80, 20],
    [1004, 5, 5],
  ];
  assert.equal(okPerSecondWithin(perSecond, 1_000_500, 1_004_500), 10);
  assert.equal(okPerSecondWithin(perSecond, 1_000_500, 1_000_900), 0);
});

test('BENCH_IMAGES selects the default set, all, or a list, and names unknown ids', () => {
  assert.deepEqual(selectImageIds(undefined), ['noise', 'small', 'hd-progressive', 'hd-baseline', 'hd-baseline-444', 'large-progressive']);
  assert.deepEqual(selectImageIds('all'), [...IMAGE_IDS]);
  assert.deepEqual(selectImageIds(' noise, small '), ['noise', 'small']);
  assert.throws(() => selectImageIds('noise,huge'), /Expected BENCH_IMAGES to list images from noise, small, .* but received huge/);
});

test('the photo package version reads from dpkg-deb -f output', () => {
  assert.equal(packageVersionOf('Package: mate-backgrounds\nVersion: 1.26.0-1\n'), 'mate-backgrounds 1.26.0-1');
});

test('BENCH_SERVER_ENV is NAME=value words; a word without = is an error naming it', () => {
  assert.deepEqual(parseEnvList(' MAX_QUEUE=8  ADMIN_PORT=0 '), { MAX_QUEUE: '8', ADMIN_PORT: '0' });
  assert.deepEqual(parseEnvList(undefined), {});
  assert.throws(() => parseEnvList('MAX_QUEUE'), /Expected NAME=value words in BENCH_SERVER_ENV but received "MAX_QUEUE"/);
});

test("a Node server is started with its npm start script's node options and its image's MALLOC_* and GLIBC_TUNABLES settings", () => {
  const root = mkdtempSync(join(tmpdir(), 'server-launch-'));
  try {
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({ scripts: { start: 'node --initial-old-space-size=128 --trace-warnings dist/server/main.js --x' } }),
    );
    writeFileSync(
      join(root, 'Dockerfile.server'),
      'FROM node:22-bookworm-slim\nENV NODE_ENV=production \\\n    MALLOC_ARENA_MAX=2 \\\n    MALLOC_MMAP_THRESHOLD_=131072 \\\n    GLIBC_TUNABLES=glibc.malloc.hugetlb=1 \\\n    XDG_CACHE_HOME=/tmp/.cache\nCMD ["node"]\n',
    );
    assert.deepEqual(startNodeOptions(root), ['--initial-old-space-size=128', '--trace-warnings']);
    assert.deepEqual(imageAllocatorEnv(root), { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { start: 'tsx server/main.ts' } }));
    assert.deepEqual(startNodeOptions(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const empty = mkdtempSync(join(tmpdir(), 'server-launch-'));
  assert.deepEqual(startNodeOptions(empty), []);
  assert.deepEqual(imageAllocatorEnv(empty), {});
  rmSync(empty, { recursive: true, force: true });
});
