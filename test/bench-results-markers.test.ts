// The suite rewrites only its own part of bench/RESULTS.md, between its markers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BEGIN, END, replaceSuiteSection } from '../bench/suite-markdown.ts';

test('a RESULTS.md with a micro-benchmark section keeps it when the suite section is replaced', () => {
  const existing = `# Benchmark results\n\n## Micro-benchmarks\n\nmicro table\n\n${BEGIN}\nold suite\n${END}\n\nafter\n`;
  const updated = replaceSuiteSection(existing, `${BEGIN}\nnew suite\n${END}`);
  assert.equal(updated, `# Benchmark results\n\n## Micro-benchmarks\n\nmicro table\n\n${BEGIN}\nnew suite\n${END}\n\nafter\n`);
});

test('a RESULTS.md without markers gets the suite section appended, and a missing file is created', () => {
  const section = `${BEGIN}\nsuite\n${END}`;
  assert.equal(replaceSuiteSection('## Micro-benchmarks\n\nx\n', section), `## Micro-benchmarks\n\nx\n\n${section}\n`);
  assert.equal(replaceSuiteSection(null, section), `# Benchmark results\n\n${section}\n`);
});
