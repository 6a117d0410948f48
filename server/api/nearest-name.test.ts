// Suggestions for misspelt names: query parameters and command-line options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, nearestName } from './nearest-name.ts';

test('a dropped, doubled or swapped letter is one edit; others count by hand', () => {
  assert.deepEqual([editDistance('imag', 'image'), editDistance('imagee', 'image'), editDistance('imgae', 'image')], [1, 1, 1]);
  assert.deepEqual([editDistance('', 'abc'), editDistance('kitten', 'sitting'), editDistance('rnage', 'range')], [3, 3, 1]);
});

test('the nearest name is suggested within two edits, a prefix counts, case is ignored, and far names get none', () => {
  const known = ['image', 'url', 'histogram', 'out-dir', 'connections', 'chart-width'];
  assert.equal(nearestName('imag', known), 'image');
  assert.equal(nearestName('conections', known), 'connections');
  assert.equal(nearestName('conn', known), 'connections');
  assert.equal(nearestName('chart-widht', known), 'chart-width');
  assert.equal(nearestName('IMAGE', known), 'image');
  assert.equal(nearestName('bogus', known), undefined);
  assert.equal(nearestName('bin', ['bins', 'depth']), 'bins');
  assert.equal(nearestName('x', ['bins']), undefined);
});
