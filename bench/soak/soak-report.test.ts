// The soak's arithmetic and its RESULTS.md section: slopes of known lines, Prometheus values,
// and a section replaced between its markers with every other section left as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricValue, slope } from './memory-sampler.ts';
import { SOAK_BEGIN, SOAK_END, replaceSoakSection } from './soak-report.ts';

test('slope of points on y = 3x + 7 is 3, and of fewer than two points 0', () => {
  assert.equal(
    slope([
      [0, 7],
      [1, 10],
      [2, 13],
      [10, 37],
    ]),
    3,
  );
  assert.equal(slope([[5, 1]]), 0);
});

test('metricValue reads a gauge from Prometheus text, with or without labels', () => {
  const text = '# HELP nodejs_heap_size_used_bytes x\nnodejs_heap_size_used_bytes 18874368\nnodejs_external_memory_bytes{thread="main"} 1.5e6\n';
  assert.equal(metricValue(text, 'nodejs_heap_size_used_bytes'), 18874368);
  assert.equal(metricValue(text, 'nodejs_external_memory_bytes'), 1.5e6);
  assert.equal(metricValue(text, 'process_resident_memory_bytes'), null);
});

test('the soak section replaces only what is between its markers, and is appended where there is none', () => {
  const other = '<!-- suite:begin -->\nsuite\n<!-- suite:end -->';
  const section = `${SOAK_BEGIN}\nnew soak\n${SOAK_END}`;
  const existing = `# Benchmark results\n\n${other}\n\n${SOAK_BEGIN}\nold soak\n${SOAK_END}\n\nnotes\n`;
  assert.equal(replaceSoakSection(existing, section), `# Benchmark results\n\n${other}\n\n${section}\n\nnotes\n`);
  assert.equal(replaceSoakSection(`# Benchmark results\n\n${other}\n`, section), `# Benchmark results\n\n${other}\n\n${section}\n`);
  assert.equal(replaceSoakSection(null, section), `# Benchmark results\n\n${section}\n`);
});
