// Suggestions for misspelt options and commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, nearestName, oneLineMessage } from './cli-usage.ts';

test('a dropped, doubled or swapped letter is one edit', () => {
  assert.deepEqual([editDistance('imag', 'image'), editDistance('imagee', 'image'), editDistance('imgae', 'image')], [1, 1, 1]);
});

test('the nearest option is suggested within two edits, a prefix counts, and far names get none', () => {
  const known = ['image', 'url', 'histogram', 'out-dir', 'connections', 'chart-width'];
  assert.equal(nearestName('imag', known), 'image');
  assert.equal(nearestName('conections', known), 'connections');
  assert.equal(nearestName('conn', known), 'connections');
  assert.equal(nearestName('chart-widht', known), 'chart-width');
  assert.equal(nearestName('bogus', known), undefined);
});

test("yargs' multi-line messages become one line naming the option", () => {
  assert.equal(
    oneLineMessage('Invalid values:\n  Argument: format, Given: "gif", Choices: "png", "json", "csv"'),
    'Expected one of png, json, csv for --format but received "gif"',
  );
  assert.equal(oneLineMessage('Missing required argument: image'), 'Missing required option --image');
});
