import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_TABLE, formatBytes, mapSharpError } from './errors.ts';

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

test('maps sharp messages to 415 and 422 codes, never to a 500', () => {
  const cases: Array<[string, string]> = [
    ['Input buffer contains unsupported image format', 'UNSUPPORTED_MEDIA_TYPE'],
    ['Input image exceeds pixel limit', 'UNPROCESSABLE_IMAGE'],
    ['VipsJpeg: Premature end of JPEG file', 'UNPROCESSABLE_IMAGE'],
    ['pngload_buffer: libspng read error', 'UNPROCESSABLE_IMAGE'],
    ['VipsJpeg: Corrupt JPEG data: bad Huffman code', 'UNPROCESSABLE_IMAGE'],
    ['something nobody has seen before', 'UNPROCESSABLE_IMAGE'],
  ];
  for (const [message, code] of cases) {
    const mapped = mapSharpError(new Error(message), 1000);
    assert.equal(mapped.code, code, message);
    assert.match(mapped.message, new RegExp(`decoder said: ${message.replace(/[()]/g, '.')}`));
  }
  assert.match(mapSharpError(new Error('Input image exceeds pixel limit'), 1000).message, /limit of 1000/);
});

test('formats byte counts the way messages quote limits', () => {
  assert.equal(formatBytes(25 * 1024 * 1024), '25 MiB');
  assert.equal(formatBytes(Math.round(31.2 * 1024 * 1024)), '31.2 MiB');
  assert.equal(formatBytes(2048), '2 KiB');
  assert.equal(formatBytes(100), '100 bytes');
});
