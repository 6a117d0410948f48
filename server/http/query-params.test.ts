import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHistogramQuery } from './query-params.ts';
import { QUERY_PARAMETERS } from '../api/query-limits.ts';

const refused: Array<{ name: string; query: Record<string, string>; message: RegExp }> = [
  { name: 'an unknown name close to bins', query: { bin: '16' }, message: /^unknown parameter "bin"; did you mean "bins"\?/ },
  { name: 'a name in the wrong case', query: { Depth: '16' }, message: /unknown parameter "Depth"; did you mean "depth"\?/ },
  { name: 'a name far from every known one', query: { colour: 'red' }, message: /^unknown parameter "colour" \(known parameters: bins, depth, range/ },
  { name: 'two unknown names', query: { rnage: 'data', x: '1' }, message: /unknown parameter "rnage"; did you mean "range"\?; unknown parameter "x" \(/ },
  { name: 'bins 0', query: { bins: '0' }, message: /^Expected integer between 1 and 256 for bins but received "0"$/ },
  {
    name: 'bins 257 at depth 8',
    query: { bins: '257' },
    message: /^Expected integer between 1 and 256 for bins but received "257" \(up to 65536 with depth=16\)$/,
  },
  { name: 'bins 65537 at depth 16', query: { bins: '65537', depth: '16' }, message: /^Expected integer between 1 and 65536 for bins but received "65537"$/ },
  { name: 'bins 1.5', query: { bins: '1.5' }, message: /for bins but received "1.5"/ },
  { name: 'depth 12', query: { depth: '12' }, message: /^Expected one of 8, 16 for depth but received "12"$/ },
  { name: 'range lo > hi', query: { range: '200,10' }, message: /^Expected LO <= HI for range but received "200,10"/ },
  { name: 'range with one number', query: { range: '10' }, message: /Expected full, data or LO,HI .* for range but received "10"/ },
  { name: 'range with Infinity', query: { range: '0,Infinity' }, message: /for range but received "0,Infinity"/ },
  { name: 'range with hex', query: { range: '0,0x10' }, message: /for range but received "0,0x10"/ },
  { name: 'range with an empty end', query: { range: '5,' }, message: /for range but received "5,"/ },
  { name: 'mask other than alpha', query: { mask: 'luma' }, message: /^Expected one of alpha for mask but received "luma"$/ },
  { name: 'a bad depth and a bad bins together', query: { depth: 'x', bins: '0' }, message: /bins but received "0".*depth but received "x"/ },
  {
    name: 'an unknown name beside a bad value',
    query: { bin: '3', width: '5' },
    message: /^unknown parameter "bin"; did you mean "bins"\?.*; Expected integer between 200 and 4000 for width but received "5"$/,
  },
];

for (const { name, query, message } of refused) {
  test(`refuses ${name} with a message naming it`, () => {
    const parsed = parseHistogramQuery(query);
    assert.equal(parsed.success, false);
    if (!parsed.success) assert.match(parsed.message, message);
  });
}

test('an empty query takes every default: depth 8, 256 bins, range full, no mask', () => {
  const parsed = parseHistogramQuery({});
  assert.ok(parsed.success);
  assert.deepEqual(
    { bins: parsed.data.bins, depth: parsed.data.depth, range: parsed.data.range, mask: parsed.data.mask },
    { bins: 256, depth: 8, range: { kind: 'full' }, mask: undefined },
  );
});

test('accepts 65536 bins at depth 16, data, decimal and negative ranges, equal ends, and mask=alpha', () => {
  const cases: Array<[Record<string, string>, object]> = [
    [
      { depth: '16', bins: '65536' },
      { depth: 16, bins: 65536 },
    ],
    [{ range: 'DATA' }, { range: { kind: 'data' } }],
    [{ range: ' 10.5 , 200.25 ' }, { range: { kind: 'explicit', lo: 10.5, hi: 200.25 } }],
    [{ range: '-3,1e3' }, { range: { kind: 'explicit', lo: -3, hi: 1000 } }],
    [{ range: '5,5' }, { range: { kind: 'explicit', lo: 5, hi: 5 } }],
    [{ range: '.5,1.' }, { range: { kind: 'explicit', lo: 0.5, hi: 1 } }],
    [{ mask: 'alpha' }, { mask: 'alpha' }],
  ];
  for (const [query, expected] of cases) {
    const parsed = parseHistogramQuery(query);
    assert.ok(parsed.success, JSON.stringify(query));
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(parsed.data[key as keyof typeof parsed.data], value, JSON.stringify(query));
  }
});

test('every known parameter name is accepted as a name', () => {
  for (const name of QUERY_PARAMETERS) {
    const parsed = parseHistogramQuery({ [name]: '' });
    assert.ok(parsed.success, name);
  }
});
