import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, renderTerminalHistogram } from './terminal-histogram.ts';

const FULL = '█';

test('256 bins on an 80-column terminal fill 79 columns and 8 rows plus title and axis', () => {
  const counts = Array.from({ length: 256 }, (_, i) => i);
  const lines = renderTerminalHistogram(counts, { title: 'luma', columns: 80 }).split('\n');
  assert.equal(lines.length, 1 + 8 + 1);
  for (const line of lines) assert.ok([...line].length <= 79, `line too long: ${line}`);
  assert.equal([...lines[9]!].length, 79, 'the axis spans the chart');
  assert.match(lines[9]!, /^0 .*128.*255$/);
});

test('a single full bin is a full-height column; empty bins draw nothing', () => {
  // 4 bins on 9 columns: each bin gets 2 columns.
  const lines = renderTerminalHistogram([0, 10, 0, 0], { title: 't', columns: 9, rows: 2 }).split('\n');
  assert.equal(lines[1], `  ${FULL}${FULL}`);
  assert.equal(lines[2], `  ${FULL}${FULL}`);
});

test('half of the peak fills half the rows, in eighth blocks', () => {
  // rows 1 -> 8 levels; 4 of 8 is the half block ▄, 1 count of 8 the lowest ▁
  const lines = renderTerminalHistogram([8, 4, 1], { title: 't', columns: 9, rows: 1 }).split('\n');
  assert.equal(lines[1], `${FULL}${FULL}▄▄▁▁`);
});

test('columns covering unequal numbers of bins show the mean, so a flat histogram stays flat', () => {
  const flat = Array.from({ length: 256 }, () => 100);
  const lines = renderTerminalHistogram(flat, { title: 't', columns: 81, rows: 3 }).split('\n');
  for (const row of lines.slice(1, 4)) assert.equal(row, FULL.repeat(80));
});

test('colour wraps each chart row in the channel colour', () => {
  const lines = renderTerminalHistogram([1, 2], { title: 't', columns: 9, rows: 1, channel: 'red', color: true }).split('\n');
  assert.match(lines[1]!, /^\u001b\[31m.*\u001b\[39m$/);
});

test('counts are shortened with k and M', () => {
  assert.equal(formatCount(9999), '9999');
  assert.equal(formatCount(45_678), '45.7k');
  assert.equal(formatCount(3_400_000), '3.4M');
});
