import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UploadBuffer } from './upload-buffer.ts';

const KiB = 1024;

test('an upload buffer of unknown length holds what was appended across growth, in order', () => {
  const upload = new UploadBuffer(undefined, 8 * 1024 * KiB);
  const chunk = new Uint8Array(50 * KiB).map((_, i) => i % 251);
  for (let i = 0; i < 3; i++) upload.append(chunk);
  const view = upload.view();
  assert.equal(view.length, 150 * KiB);
  for (let i = 0; i < view.length; i++) assert.equal(view[i], (i % (50 * KiB)) % 251);
});

test('an upload buffer sized from the declared length holds the body in that one allocation', () => {
  const upload = new UploadBuffer(100 * KiB, 8 * 1024 * KiB);
  const first = upload.view().buffer;
  upload.append(new Uint8Array(60 * KiB).fill(7));
  upload.append(new Uint8Array(40 * KiB).fill(9));
  const view = upload.view();
  assert.equal(view.buffer, first);
  assert.equal(view.length, 100 * KiB);
  assert.equal(view[60 * KiB - 1], 7);
  assert.equal(view[60 * KiB], 9);
});

test('an upload buffer owns its memory: moving it to another thread detaches nothing else', () => {
  const a = new UploadBuffer(1 * KiB, 8 * KiB);
  const b = new UploadBuffer(1 * KiB, 8 * KiB);
  a.append(new Uint8Array(1 * KiB).fill(1));
  b.append(new Uint8Array(1 * KiB).fill(2));
  const moved = a.view().buffer;
  structuredClone(moved, { transfer: [moved as ArrayBuffer] });
  assert.equal(b.view().length, 1 * KiB);
  assert.equal(b.view()[0], 2);
});
