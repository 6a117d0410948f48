// Runner of the container tests (`npm run test:containers`): builds the images once with
// scripts/build-images.sh, then runs every test/containers/*.container.ts with node:test, one
// file at a time (each starts containers; the machine may have two cores). They take minutes,
// so `npm test` does not collect them (its runner takes *.test.ts only). Without a working
// container engine the tests are skipped, each saying why.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { finished } from 'node:stream/promises';
import { detectEngine, ensureImages, repo } from './container-engine.ts';

const dir = join(repo, 'test', 'containers');
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.container.ts'))
  .map((name) => join(dir, name))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no container test files match ${filters.join(' ')}`);
  process.exit(1);
}

const started = Date.now();
const detected = detectEngine();
if ('skip' in detected) {
  console.error(`container tests: ${detected.skip}; every test is skipped`);
} else {
  console.error(`container tests: ${detected.command.join(' ')}; building the images`);
  ensureImages(); // sets HISTOGRAM_IMAGES_BUILT=1, which the test files inherit
  console.error(`container tests: images ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
console.error(`running ${files.length} container test files: ${files.map((f) => relative(repo, f)).join(' ')}`);

const counts: Record<string, number> = {};
const stream = run({ files, concurrency: 1, timeout: 1_800_000 });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.on('test:diagnostic', ({ nesting, message }) => {
  const m = nesting === 0 ? /^(tests|pass|fail|skipped|cancelled|todo) (\d+)$/.exec(message) : null;
  if (m) counts[m[1]!] = Number(m[2]);
});
const output = stream.compose(new spec());
output.pipe(process.stdout);
await finished(output);

console.log(`container tests took ${((Date.now() - started) / 1000).toFixed(0)} s`);
// The plain closing line, as test/run.ts prints it.
console.log(`tests: ${counts.pass ?? 0} passed, ${(counts.fail ?? 0) + (counts.cancelled ?? 0)} failed, ${(counts.skipped ?? 0) + (counts.todo ?? 0)} skipped`);
