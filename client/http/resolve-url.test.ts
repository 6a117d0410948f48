import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveHistogramUrl, withQuery } from './resolve-url.ts';

const cases = [
  { input: 'http://localhost:8080', href: 'http://localhost:8080/v1/histogram' },
  { input: 'http://localhost:8080/', href: 'http://localhost:8080/v1/histogram' },
  { input: 'https://h.example', href: 'https://h.example/v1/histogram' },
  { input: 'http://h:8080/process-image', href: 'http://h:8080/process-image' },
  { input: 'http://h/prefix/v1/histogram?bins=8', href: 'http://h/prefix/v1/histogram?bins=8' },
];
for (const { input, href } of cases) {
  test(`resolves ${input} to ${href}`, () => {
    assert.equal(resolveHistogramUrl(input).href, href);
  });
}

for (const input of ['localhost:8080', 'ftp://h/', 'not a url', '']) {
  test(`rejects ${JSON.stringify(input)} with an example of a valid URL`, () => {
    assert.throws(() => resolveHistogramUrl(input), { message: /Expected an http\(s\) URL such as http:\/\/localhost:8080/ });
  });
}

test('adds query parameters, leaving out undefined ones', () => {
  const url = withQuery(new URL('http://h/v1/histogram'), { bins: 16, format: 'png', width: undefined });
  assert.equal(url.search, '?bins=16&format=png');
});
