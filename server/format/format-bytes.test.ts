import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes } from './format-bytes.ts';

test('formats byte counts the way messages quote limits', () => {
  assert.equal(formatBytes(25 * 1024 * 1024), '25 MiB');
  assert.equal(formatBytes(Math.round(31.2 * 1024 * 1024)), '31.2 MiB');
  assert.equal(formatBytes(2048), '2 KiB');
  assert.equal(formatBytes(100), '100 bytes');
});
