import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, parseRetryAfter } from './retry-policy.ts';

test('reads Retry-After delta-seconds as milliseconds', () => {
  assert.equal(parseRetryAfter('1'), 1000);
  assert.equal(parseRetryAfter(' 0 '), 0);
});

test('reads Retry-After as an HTTP date relative to now', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now), 0, 'a date in the past means now');
});

test('caps a huge Retry-After at 30 s and ignores absent or garbled values', () => {
  assert.equal(parseRetryAfter('86400'), 30_000);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter('-3'), undefined);
});

test('backoff doubles per attempt between half and all of 250 ms · 2^n, capped at 8 s', () => {
  assert.equal(
    backoffDelay(0, () => 0),
    125,
  );
  assert.equal(
    backoffDelay(0, () => 1),
    250,
  );
  assert.equal(
    backoffDelay(3, () => 1),
    2000,
  );
  assert.equal(
    backoffDelay(10, () => 1),
    8000,
  );
  assert.equal(
    backoffDelay(10, () => 0),
    4000,
  );
});
