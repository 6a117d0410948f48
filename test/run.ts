// Test runner: Node 20's `--test` cannot glob .ts files, so collect them here and hand them to
// node:test's run() (the sharp test/unit.mjs pattern). Children inherit `--import tsx`.
// Coverage: Node 20's run() has no coverage option, so the runner sets NODE_V8_COVERAGE, which
// every child inherits (test files, the servers they start, their worker threads), and has c8
// turn what V8 wrote into a report; the floor applies to whole runs only. TEST_COVERAGE=0 skips it.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { finished } from 'node:stream/promises';

const roots = ['server', 'client', 'test', 'bench'];
const skip = new Set(['node_modules', 'dist', 'web']);

// What today's whole suite covers, less a margin for run-to-run variation (timing-dependent
// paths); raise it when the figure rises. Lines of server/ and client/, tests excluded.
const COVERAGE_FLOOR = { lines: 90, branches: 82, functions: 88 };
const COVERED = ['server/**', 'client/**'];
const NOT_COVERED = ['**/*.test.ts', 'server/web/**'];

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
// Longest files first (by the previous run's times, kept in node_modules/.cache): with a few
// files at once, a long file started last would run on alone at the end.
const TIMES = join('node_modules', '.cache', 'histogram-test-times.json');
const lastTimes = readTimes();
const files = roots
  .flatMap((root) => collect(root, []))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort()
  .sort((a, b) => (lastTimes[relative('.', b)] ?? 0) - (lastTimes[relative('.', a)] ?? 0));

function readTimes(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(TIMES, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
console.error(`running ${files.length} test files: ${files.map((f) => relative('.', f)).join(' ')}`);

const coverageDir = process.env.TEST_COVERAGE === '0' ? undefined : mkdtempSync(join(tmpdir(), 'histogram-coverage-'));
if (coverageDir) process.env.NODE_V8_COVERAGE = coverageDir;

const counts: Record<string, number> = {};
const TEST_CONCURRENCY = Number(process.env.TEST_CONCURRENCY ?? 2);
const stream = run({ files, concurrency: TEST_CONCURRENCY, timeout: 600_000 });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.on('test:diagnostic', ({ nesting, message }) => {
  const m = nesting === 0 ? /^(tests|pass|fail|skipped|cancelled|todo) (\d+)$/.exec(message) : null;
  if (m) counts[m[1]!] = Number(m[2]);
});
// Time per file (the sum of its top-level tests), to see what the suite's length is made of.
const fileMs = new Map<string, number>();
const addTime = ({ nesting, file, details }: { nesting: number; file?: string; details: { duration_ms: number } }) => {
  if (nesting === 0 && file) fileMs.set(file, (fileMs.get(file) ?? 0) + details.duration_ms);
};
stream.on('test:pass', addTime);
stream.on('test:fail', addTime);
const output = stream.compose(new spec());
output.pipe(process.stdout);
await finished(output);

if (coverageDir) {
  const c8 = createRequire(import.meta.url).resolve('c8/bin/c8.js');
  const scope = [...COVERED.flatMap((glob) => ['--include', glob]), ...NOT_COVERED.flatMap((glob) => ['--exclude', glob])];
  const floor = filters.length > 0 ? [] : ['--check-coverage', ...Object.entries(COVERAGE_FLOOR).flatMap(([kind, pct]) => [`--${kind}`, String(pct)])];
  console.log(
    filters.length > 0
      ? '\ncoverage of this partial run (the floor applies to whole runs):'
      : `\ncoverage (floor: ${Object.entries(COVERAGE_FLOOR)
          .map(([k, v]) => `${k} ${v} %`)
          .join(', ')}):`,
  );
  // TEST_COVERAGE_REPORTER=text gives the table per file, =html writes coverage/index.html.
  const reporters = (process.env.TEST_COVERAGE_REPORTER ?? 'text-summary').split(',').flatMap((r) => ['--reporter', r.trim()]);
  const report = spawnSync(process.execPath, [c8, 'report', '--temp-directory', coverageDir, ...reporters, '--all', '--src', '.', ...scope, ...floor], {
    stdio: 'inherit',
  });
  if (report.status !== 0) process.exitCode = 1;
  rmSync(coverageDir, { recursive: true, force: true });
}

try {
  mkdirSync(dirname(TIMES), { recursive: true });
  writeFileSync(TIMES, JSON.stringify({ ...lastTimes, ...Object.fromEntries([...fileMs].map(([file, ms]) => [relative('.', file), Math.round(ms)])) }));
} catch {
  // a read-only checkout: the next run keeps the alphabetical order
}

const slowest = [...fileMs].sort((a, b) => b[1] - a[1]).slice(0, 8);
console.log(`\nslowest files (sum of their top-level tests; ${TEST_CONCURRENCY} files run at once):`);
for (const [file, ms] of slowest) console.log(`${(ms / 1000).toFixed(1).padStart(7)} s  ${relative('.', file)}`);

// One plain closing line, so whoever reads the end of the output sees the outcome after the coverage report.
console.log(`tests: ${counts.pass ?? 0} passed, ${(counts.fail ?? 0) + (counts.cancelled ?? 0)} failed, ${(counts.skipped ?? 0) + (counts.todo ?? 0)} skipped`);
