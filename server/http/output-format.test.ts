import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HistogramQuery, outputFormat } from './query-params.ts';

const noFormat = HistogramQuery.parse({});

const cases: Array<{ accept: string | undefined; expected: 'json' | 'png' | 'csv'; why: string }> = [
  { accept: undefined, expected: 'json', why: 'no header' },
  { accept: '*/*', expected: 'json', why: 'anything: json first' },
  { accept: 'image/png', expected: 'png', why: 'the chart' },
  { accept: 'text/csv', expected: 'csv', why: 'the table' },
  { accept: 'IMAGE/PNG', expected: 'png', why: 'media types are case-insensitive' },
  { accept: 'image/*', expected: 'png', why: 'a subtype wildcard matches the chart' },
  { accept: 'text/html,application/xhtml+xml;q=0.9', expected: 'json', why: 'nothing acceptable: json, no 406' },
  { accept: 'image/png;q=0, */*', expected: 'json', why: 'q=0 refuses the chart' },
  { accept: 'image/png;q=0', expected: 'json', why: 'the only range refused' },
  { accept: 'image/png;q=0, image/*', expected: 'json', why: 'the exact range beats the wildcard, and it refuses' },
  { accept: 'application/json;q=0, */*', expected: 'png', why: 'json refused: the wildcard gives the next format' },
  { accept: 'application/json;q=0, image/png;q=0, */*', expected: 'csv', why: 'json and png refused' },
  { accept: 'text/csv;q=0.5, image/png', expected: 'png', why: 'the higher q wins' },
  { accept: 'text/csv;q=0.9, image/png;q=0.4, application/json;q=0.1', expected: 'csv', why: 'the higher q wins, whatever the order' },
  { accept: 'image/png, text/csv', expected: 'png', why: 'equal q: the earlier range' },
  { accept: 'text/csv, image/png', expected: 'csv', why: 'equal q: the earlier range' },
  { accept: 'image/*, text/csv', expected: 'csv', why: 'equal q: the exact match over the wildcard' },
  { accept: 'application/json, image/png', expected: 'json', why: 'equal q: the earlier range' },
  { accept: '*/*;q=0.8, image/png', expected: 'png', why: 'a browser-like header naming the chart' },
];

for (const { accept, expected, why } of cases) {
  test(`Accept ${accept === undefined ? '(none)' : `"${accept}"`} gives ${expected}: ${why}`, () => {
    assert.equal(outputFormat(noFormat, accept), expected);
  });
}

test('format= wins over any Accept header, even one that refuses that format', () => {
  assert.equal(outputFormat(HistogramQuery.parse({ format: 'csv' }), 'text/csv;q=0, image/png'), 'csv');
  assert.equal(outputFormat(HistogramQuery.parse({ format: 'json' }), 'image/png'), 'json');
});
