// The upload buffer pool: sizes handed out, reuse, its bounds, and buffers moved to a thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool } from './buffer-pool.ts';
import { UploadBuffer } from './upload-buffer.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

test('take hands out the next power of two from 64 KiB, and exactly the size asked above the largest pooled size', () => {
  const pool = new BufferPool(16 * MiB, 4 * MiB);
  assert.equal(pool.take(1).length, 64 * KiB);
  assert.equal(pool.take(64 * KiB + 1).length, 128 * KiB);
  assert.equal(pool.take(788_425).length, MiB);
  assert.equal(pool.take(4 * MiB).length, 4 * MiB);
  assert.equal(pool.take(4 * MiB + 1).length, 4 * MiB + 1);
});

test('a buffer given back is handed out again for the same size class, and only once', () => {
  const pool = new BufferPool(16 * MiB, 4 * MiB);
  const first = pool.take(700 * KiB);
  first[0] = 42;
  pool.give(first);
  assert.equal(pool.freeBytes, MiB);
  const again = pool.take(900 * KiB);
  assert.equal(again.buffer, first.buffer);
  assert.equal(again[0], 42, 'reused memory is handed out as it was, not zeroed');
  assert.equal(pool.freeBytes, 0);
  assert.notEqual(pool.take(900 * KiB).buffer, first.buffer);
});

test('the pool keeps at most maxFreeBytes, and never memory above its largest size or of other sizes', () => {
  const pool = new BufferPool(2 * MiB, 4 * MiB);
  const a = pool.take(MiB);
  const b = pool.take(MiB);
  const c = pool.take(MiB);
  pool.give(a);
  pool.give(b);
  pool.give(c);
  assert.equal(pool.freeBytes, 2 * MiB);
  pool.give(pool.take(5 * MiB));
  pool.give(new Uint8Array(100 * KiB));
  assert.equal(pool.freeBytes, 2 * MiB);
});

test('memory moved to another thread (detached) is not taken back', () => {
  const pool = new BufferPool(16 * MiB, 4 * MiB);
  const bytes = pool.take(MiB);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  assert.equal(bytes.buffer.byteLength, 0);
  pool.give(bytes);
  assert.equal(pool.freeBytes, 0);
});

test('an upload buffer holds what was appended across growth, and gives its memory back once when released', () => {
  const pool = new BufferPool(16 * MiB, 4 * MiB);
  const upload = new UploadBuffer(undefined, 8 * MiB, pool);
  const chunk = new Uint8Array(50 * KiB).map((_, i) => i % 251);
  for (let i = 0; i < 3; i++) upload.append(chunk);
  const view = upload.view();
  assert.equal(view.length, 150 * KiB);
  for (let i = 0; i < view.length; i++) assert.equal(view[i], (i % (50 * KiB)) % 251);
  // Growing from 64 KiB to 128 and 256 KiB gave the smaller buffers back.
  assert.equal(pool.freeBytes, 64 * KiB + 128 * KiB);
  upload.release();
  upload.release();
  assert.equal(pool.freeBytes, 64 * KiB + 128 * KiB + 256 * KiB);
  upload.append(chunk);
  assert.equal(upload.length, 0, 'appends after release are ignored');
});
