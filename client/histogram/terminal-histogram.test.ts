import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, renderTerminalHistogram } from './terminal-histogram.ts';

const FULL = '█';

test('256 bins on an 80-column terminal are 64 columns of 4 values, 8 rows plus title and axis', () => {
  const counts = Array.from({ length: 256 }, (_, i) => i);
  const lines = renderTerminalHistogram(counts, { title: 'luma', columns: 80 }).split('\n');
  assert.equal(lines.length, 1 + 8 + 1);
  for (const line of lines) assert.ok([...line].length <= 79, `line too long: ${line}`);
  assert.equal([...lines[9]!].length, 64, 'the axis spans the chart');
  assert.match(lines[9]!, /^0 {30}128 {27}255$/);
  // The last column sums 252..255 = 1014 (hand sum), the peak.
  assert.match(lines[0]!, /peak 1014 px per 4 values$/);
});

test('a spike keeps its full count when grouped: 3072 pixels at one value', () => {
  const counts = Array.from({ length: 256 }, (_, i) => (i === 124 ? 3072 : 0));
  const lines = renderTerminalHistogram(counts, { title: 't', columns: 80, rows: 1 }).split('\n');
  assert.match(lines[0]!, /peak 3072 px per 4 values$/);
  // 124 is in group 31 (124..127): 31 blanks then the full block.
  assert.equal(lines[1], `${' '.repeat(31)}${FULL}`);
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

test('a short last group is scaled to a full one, so a flat histogram stays flat', () => {
  // 20 bins on 8 usable columns: groups of 3, so 6 full groups and a last one of 2 bins.
  const lines = renderTerminalHistogram(
    Array.from({ length: 20 }, () => 5),
    { title: 't', columns: 9, rows: 1 },
  ).split('\n');
  assert.equal(lines[1], FULL.repeat(7));
});

test('colour wraps each chart row in the channel colour', () => {
  const lines = renderTerminalHistogram([1, 2], { title: 't', columns: 9, rows: 1, channel: 'red', color: true }).split('\n');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ANSI colour escapes are what is under test
  assert.match(lines[1]!, /^\u001b\[31m.*\u001b\[39m$/);
});

test('counts are shortened with k and M', () => {
  assert.equal(formatCount(9999), '9999');
  assert.equal(formatCount(45_678), '45.7k');
  assert.equal(formatCount(3_400_000), '3.4M');
});
