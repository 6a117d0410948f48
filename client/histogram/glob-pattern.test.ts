import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, hasGlobMagic, splitGlobBase } from './glob-pattern.ts';

const cases: { glob: string; matches: string[]; rejects: string[] }[] = [
  { glob: '*.jpg', matches: ['a.jpg', '.hidden.jpg', 'a b.jpg'], rejects: ['a.jpeg', 'sub/a.jpg', 'ajpg'] },
  { glob: 'img-??.png', matches: ['img-01.png'], rejects: ['img-1.png', 'img-001.png'] },
  { glob: '*.{jpg,png}', matches: ['a.jpg', 'b.png'], rejects: ['c.webp'] },
  { glob: '[ab]*.webp', matches: ['a1.webp', 'b.webp'], rejects: ['c.webp'] },
  { glob: '[!ab]*.webp', matches: ['c.webp'], rejects: ['a.webp'] },
  { glob: '**/*.jpg', matches: ['a.jpg', 'x/a.jpg', 'x/y/z/a.jpg'], rejects: ['x/a.png'] },
  { glob: 'x/**', matches: ['x/a', 'x/y/b.jpg'], rejects: ['y/a'] },
  { glob: 'a+b(1).jpg', matches: ['a+b(1).jpg'], rejects: ['aab1.jpg'] },
];
for (const { glob, matches, rejects } of cases) {
  test(`glob ${glob} matches ${matches.join(', ')} and not ${rejects.join(', ')}`, () => {
    const re = globToRegExp(glob);
    for (const path of matches) assert.ok(re.test(path), `${glob} should match ${path}`);
    for (const path of rejects) assert.ok(!re.test(path), `${glob} should not match ${path}`);
  });
}

test('only *, ?, [ and { count as glob magic', () => {
  assert.ok(hasGlobMagic('a/*.jpg'));
  assert.ok(!hasGlobMagic('photos/2024/a.jpg'));
});

test('splits a glob at its first segment with magic', () => {
  assert.deepEqual(splitGlobBase('photos/2024/*.jpg'), { base: 'photos/2024', rest: '*.jpg' });
  assert.deepEqual(splitGlobBase('*.jpg'), { base: '.', rest: '*.jpg' });
  assert.deepEqual(splitGlobBase('/data/**/*.png'), { base: '/data', rest: '**/*.png' });
});
