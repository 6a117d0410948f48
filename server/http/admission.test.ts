import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission } from './admission.ts';

test('places concurrency + maxQueue requests, holds maxWaiting more, and refuses the next one', () => {
  const admission = new Admission({ concurrency: 2, maxQueue: 3, maxWaiting: 2 });
  const placed = Array.from({ length: 5 }, () => admission.enter());
  assert.ok(placed.every((t) => t && !t.waited));
  const held = [admission.enter(), admission.enter()];
  assert.ok(held.every((t) => t?.waited));
  assert.equal(admission.enter(), null);
  assert.deepEqual(admission.stats, { inFlight: 0, queued: 5, waiting: 2 });
});

test('without a waiting room, refuses as soon as every place is taken, and admits again after a release', () => {
  const admission = new Admission({ concurrency: 1, maxQueue: 1, maxWaiting: 0 });
  const a = admission.enter()!;
  admission.enter();
  assert.equal(admission.enter(), null);
  a.release();
  assert.notEqual(admission.enter(), null);
});

test('gives freed places to waiting requests in arrival order, and newcomers queue behind them', async () => {
  const admission = new Admission({ concurrency: 1, maxQueue: 0, maxWaiting: 5 });
  const a = admission.enter()!;
  const b = admission.enter()!;
  const c = admission.enter()!;
  const order: string[] = [];
  const pb = b.placed().then(() => order.push('b'));
  const pc = c.placed().then(() => order.push('c'));
  a.release();
  await pb;
  assert.deepEqual(order, ['b']);
  // A request arriving now must not jump ahead of c, which is still waiting.
  const d = admission.enter()!;
  assert.equal(d.waited, true);
  b.release();
  await pc;
  assert.deepEqual(order, ['b', 'c']);
  c.release();
  await d.placed();
  d.release();
  assert.deepEqual(admission.stats, { inFlight: 0, queued: 0, waiting: 0 });
});

test('runs at most concurrency at once and hands the slot to the next placed request in order', async () => {
  const admission = new Admission({ concurrency: 1, maxQueue: 5, maxWaiting: 0 });
  const a = admission.enter()!;
  const b = admission.enter()!;
  const c = admission.enter()!;
  await a.acquire();
  const order: string[] = [];
  const pb = b.acquire().then(() => order.push('b'));
  const pc = c.acquire().then(() => order.push('c'));
  assert.deepEqual(admission.stats, { inFlight: 1, queued: 2, waiting: 0 });
  a.release();
  await pb;
  assert.deepEqual(order, ['b']);
  b.release();
  await pc;
  c.release();
  assert.deepEqual(order, ['b', 'c']);
  assert.deepEqual(admission.stats, { inFlight: 0, queued: 0, waiting: 0 });
});

test('a request whose wait for a place aborts leaves the waiting room and takes nothing', async () => {
  const admission = new Admission({ concurrency: 1, maxQueue: 0, maxWaiting: 1 });
  const a = admission.enter()!;
  const b = admission.enter()!;
  const controller = new AbortController();
  const waiting = b.placed(controller.signal);
  controller.abort(new Error('wait timeout'));
  await assert.rejects(waiting, /wait timeout/);
  assert.deepEqual(admission.stats, { inFlight: 0, queued: 1, waiting: 0 });
  a.release();
  assert.deepEqual(admission.stats, { inFlight: 0, queued: 0, waiting: 0 });
});

test('a request whose wait for a slot aborts leaves the slot queue and frees its place', async () => {
  const admission = new Admission({ concurrency: 1, maxQueue: 1, maxWaiting: 0 });
  const a = admission.enter()!;
  await a.acquire();
  const b = admission.enter()!;
  const controller = new AbortController();
  const waiting = b.acquire(controller.signal);
  controller.abort(new Error('timeout'));
  await assert.rejects(waiting, /timeout/);
  b.release();
  assert.deepEqual(admission.stats, { inFlight: 1, queued: 0, waiting: 0 });
  a.release();
  assert.deepEqual(admission.stats, { inFlight: 0, queued: 0, waiting: 0 });
});
