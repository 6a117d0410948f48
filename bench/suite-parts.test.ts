// The suite's small pure parts: listening announcements, CPU accounting, per-second goodput,
// image selection, package versions, extra server variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announcements, cpuTimes } from './suite-processes.ts';
import { okPerSecondWithin } from './suite-overload.ts';
import { IMAGE_IDS, packageVersionOf, selectImageIds } from './suite-images.ts';
import { parseEnvList } from './suite-subjects.ts';

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
