import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_TABLE, apiErrorFromImage } from './errors.ts';
import { ImageError } from './image/image-error.ts';

const API_DOC = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');

test('the error table in docs/api.md names every code with its status, and no code that does not exist', () => {
  const section = API_DOC.split('<!-- errors:begin -->')[1]!.split('<!-- errors:end -->')[0]!;
  const rows = section
    .split('\n')
    .filter((line) => /^\| \d{3} \|/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  const documented = Object.fromEntries(rows.map((cells) => [cells[2]!.replaceAll('`', ''), Number(cells[1])]));
  const actual = Object.fromEntries(Object.entries(ERROR_TABLE).map(([code, { status }]) => [code, status]));
  assert.deepEqual(documented, actual);
});

test('image errors become 415 (unsupported) and 422 (unprocessable) with their message', () => {
  const unsupported = apiErrorFromImage(new ImageError('unsupported', 'not an image'));
  assert.equal(unsupported.status, 415);
  assert.equal(unsupported.code, 'UNSUPPORTED_MEDIA_TYPE');
  assert.equal(unsupported.message, 'not an image');
  const unprocessable = apiErrorFromImage(new ImageError('unprocessable', 'truncated'));
  assert.equal(unprocessable.status, 422);
  assert.equal(unprocessable.code, 'UNPROCESSABLE_IMAGE');
});
