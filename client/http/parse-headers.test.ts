import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeaders } from './parse-headers.ts';

test('turns "Name: value" strings into a record, trimming around the value', () => {
  assert.deepEqual(parseHeaders(['Host: histogram.local', 'X-Token:abc ', 'Accept:  image/png']), {
    Host: 'histogram.local',
    'X-Token': 'abc',
    Accept: 'image/png',
  });
});

test('keeps colons inside the value (a URL, a time)', () => {
  assert.deepEqual(parseHeaders(['Referer: http://a.example:8080/x']), { Referer: 'http://a.example:8080/x' });
});

test('an empty list gives no headers', () => {
  assert.deepEqual(parseHeaders([]), {});
});

for (const bad of ['Host', ': value', 'Bad Name: x', 'Ünicode: x', 'X-A: line\nbreak']) {
  test(`rejects ${JSON.stringify(bad)} naming the entry and the expected form`, () => {
    assert.throws(() => parseHeaders([bad]), { message: /Expected a header .*received/ });
  });
}
