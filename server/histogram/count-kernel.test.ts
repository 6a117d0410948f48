import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COUNT_KERNEL_WASM_BASE64 } from './count-kernel-wasm.ts';
// @ts-expect-error: a plain .mjs build script without type declarations
import { compileCountKernel } from '../../scripts/build-count-kernel.mjs';

test('the committed kernel bytes are count-kernel.wat compiled (run scripts/build-count-kernel.mjs after editing it)', async () => {
  const bytes = (await compileCountKernel()) as Buffer;
  assert.equal(COUNT_KERNEL_WASM_BASE64, bytes.toString('base64'));
});
