// Test runner: Node 20's `--test` cannot glob .ts files, so collect them here and hand them to
// node:test's run() (the sharp test/unit.mjs pattern). Children inherit `--import tsx`.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = ['server', 'client', 'test', 'bench'];
const skip = new Set(['node_modules', 'dist', 'web']);

function collect(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// `npm test -- server/histogram` runs only files whose path contains one of the arguments.
const filters = process.argv.slice(2);
const files = roots
  .flatMap((root) => collect(root, []))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
console.error(`running ${files.length} test files: ${files.map((f) => relative('.', f)).join(' ')}`);

const stream = run({ files, concurrency: Number(process.env.TEST_CONCURRENCY ?? 2), timeout: 600_000 });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(new spec()).pipe(process.stdout);
