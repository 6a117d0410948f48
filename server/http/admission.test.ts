import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission } from './admission.ts';

test('admits concurrency + maxQueue requests and refuses the next one', () => {
  const admission = new Admission(2, 3);
  const tickets = Array.from({ length: 5 }, () => admission.tryEnter());
  assert.ok(tickets.every((t) => t !== null));
  assert.equal(admission.tryEnter(), null);
  tickets[0]!.release();
  assert.notEqual(admission.tryEnter(), null);
});

test('runs at most concurrency at once and hands the slot to the next waiter in order', async () => {
  const admission = new Admission(1, 5);
  const a = admission.tryEnter()!;
  const b = admission.tryEnter()!;
  const c = admission.tryEnter()!;
  await a.acquire();
  const order: string[] = [];
  const pb = b.acquire().then(() => order.push('b'));
  const pc = c.acquire().then(() => order.push('c'));
  assert.deepEqual(admission.stats, { inFlight: 1, queued: 2 });
  a.release();
  await pb;
  assert.deepEqual(order, ['b']);
  b.release();
  await pc;
  c.release();
  assert.deepEqual(order, ['b', 'c']);
  assert.deepEqual(admission.stats, { inFlight: 0, queued: 0 });
});

test('a waiter whose signal aborts leaves the queue and frees its place', async () => {
  const admission = new Admission(1, 1);
  const a = admission.tryEnter()!;
  await a.acquire();
  const b = admission.tryEnter()!;
  const controller = new AbortController();
  const waiting = b.acquire(controller.signal);
  controller.abort(new Error('timeout'));
  await assert.rejects(waiting, /timeout/);
  b.release();
  assert.deepEqual(admission.stats, { inFlight: 1, queued: 0 });
  a.release();
  assert.deepEqual(admission.stats, { inFlight: 0, queued: 0 });
});
