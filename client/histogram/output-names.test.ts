import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { outputNames } from './output-names.ts';

test('names each output after its image with the format as extension', () => {
  assert.deepEqual(outputNames(['in/a.jpg', 'in/b.webp'], 'out', 'png'), [join('out', 'a.png'), join('out', 'b.png')]);
});

test('images sharing a stem keep their own extension in the name', () => {
  assert.deepEqual(outputNames(['a.jpg', 'a.png', 'b.gif'], 'o', 'json'), [join('o', 'a.jpg.json'), join('o', 'a.png.json'), join('o', 'b.json')]);
});

test('the same file name in two folders gets a -2 suffix', () => {
  assert.deepEqual(outputNames(['x/a.jpg', 'y/a.jpg'], 'o', 'csv'), [join('o', 'a.jpg.csv'), join('o', 'a.jpg-2.csv')]);
});
