// Formatting shared by the suite's markdown tables: rates, milliseconds, ratios, failure counts.
import type { RateCell } from './suite-types.ts';

/** Rates with the precision their size needs: 1234, 75.3, 0.71. */
export function formatRate(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
/** Milliseconds: 1234, 75.3; a dash when missing. */
export const ms = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
/** A ratio: 1.25×. */
export const times = (n: number | null) => (n === null ? '—' : `${n.toFixed(2)}×`);
/** Mebibytes: 303 MiB. */
export const mib = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(0)} MiB`);

/** A cell's rate, with its sample size when it is small enough to matter. */
export function rateOf(c: RateCell | undefined): string {
  if (!c) return '—';
  return c.ok < 20 ? `${formatRate(c.okPerSec)} (n=${c.ok})` : formatRate(c.okPerSec);
}

/** "3 × 503, 1 × ECONNRESET", or "0". */
export function failures(f: Record<string, number>): string {
  const parts = Object.entries(f)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} × ${k}`);
  return parts.length === 0 ? '0' : parts.join(', ');
}

/** A markdown table: header, alignment per column ('l' or 'r'), rows. */
export function table(header: string[], align: Array<'l' | 'r'>, rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
