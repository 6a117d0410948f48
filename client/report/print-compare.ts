// Human-readable output of `report --compare`: figures of A and B with B/A, then the scaling
// efficiency when the replica counts differ.
import { renderTable } from '../bench/format-table.ts';
import type { Comparison } from './compare-runs.ts';

function value(v: number | null): string {
  if (v === null) return '-';
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 2);
}

/** The comparison table, ending with a newline. */
export function formatComparison(c: Comparison): string {
  const out = [
    `A: ${c.labels.a}`,
    `B: ${c.labels.b}`,
    '',
    renderTable(
      ['figure', 'A', 'B', 'B/A'],
      c.figures.map((f) => [f.name, value(f.a), value(f.b), f.ratio === null ? '-' : f.ratio.toFixed(3)]),
    ),
    '',
  ];
  const rate = c.figures.find((f) => f.name === c.rateName);
  if (c.scalingEfficiency !== null && rate) {
    out.push(
      `Scaling efficiency: ${c.rateName} B / (A × replicas B / replicas A) = ${value(rate.b)} / (${value(rate.a)} × ${c.replicas.b}/${c.replicas.a}) = ${(100 * c.scalingEfficiency).toFixed(1)}%` +
        ` (replicas from ${c.replicas.source.a === c.replicas.source.b ? c.replicas.source.a : `${c.replicas.source.a} / ${c.replicas.source.b}`})`,
    );
  } else {
    out.push(`Same replica count (${c.replicas.a}) in both runs: no scaling efficiency`);
  }
  for (const note of c.notes) out.push(`Note: ${note}`);
  return `${out.join('\n')}\n`;
}
