// Draws a histogram as block characters that fit a terminal's width (pure: counts in, text out).

/** Eighth blocks, lowest to full: each cell shows 0..8 eighths of a row. */
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** ANSI colours per channel name, used only when `color` is on. */
const COLOURS: Record<string, string> = { red: '31', green: '32', blue: '34', alpha: '90', luma: '37' };

export interface TerminalHistogramOptions {
  /** Title printed above the chart. */
  title: string;
  /** Total width in columns (default 80); the chart uses all but the last column. */
  columns?: number;
  /** Text rows of the chart (default 8, i.e. 64 levels). */
  rows?: number;
  /** Channel name, for its colour. */
  channel?: string;
  /** Emit ANSI colour codes (default false). */
  color?: boolean;
  /**
   * The labels under the first, middle and last bins (default `0`, `128`, `255`: 8-bit values
   * over 0..255).
   */
  labels?: readonly [string, string, string];
  /** What one bin spans, for the `peak … px per …` note (default 256 / bins values). */
  perBin?: { amount: number; unit: 'value' | 'bin' };
}

/**
 * Renders `counts` (equal-width bins, by default over 0..255) as a bar chart `rows` high. With more bins than columns,
 * each column sums a fixed group of G adjacent bins (G = ceil(bins / columns)), so heights are
 * exact pixel counts and no column is favoured by covering more bins (a short last group is
 * scaled up to G bins). With fewer bins than columns each bin gets a whole number of columns.
 * Any non-zero column shows at least the lowest block.
 */
export function renderTerminalHistogram(counts: readonly number[], o: TerminalHistogramOptions): string {
  const rows = Math.max(1, o.rows ?? 8);
  const available = Math.max(8, (o.columns ?? 80) - 1);
  const bins = Math.max(1, counts.length);
  const group = Math.ceil(bins / available);
  const repeat = group === 1 ? Math.floor(available / bins) : 1;
  const columns: number[] = [];
  for (let from = 0; from < bins; from += group) {
    const to = Math.min(bins, from + group);
    let sum = 0;
    for (let b = from; b < to; b++) sum += counts[b] ?? 0;
    const value = (sum * group) / (to - from);
    for (let k = 0; k < repeat; k++) columns.push(value);
  }
  const peak = Math.max(0, ...columns);
  const levels = rows * 8;
  const heights = columns.map((v) => (v <= 0 || peak === 0 ? 0 : Math.max(1, Math.round((v / peak) * levels))));
  const width = columns.length;
  // The column where bin b is drawn.
  const columnOf = (b: number) => Math.floor(b / group) * repeat;

  const lines: string[] = [];
  const perBin = o.perBin ?? { amount: 256 / bins, unit: 'value' };
  const perColumn = perBin.amount * group;
  const per = perColumn === 1 ? perBin.unit : `${Number.isInteger(perColumn) ? perColumn : perColumn.toFixed(1)} ${perBin.unit}s`;
  const right = `peak ${formatCount(peak)} px per ${per}`;
  lines.push(o.title + ' '.repeat(Math.max(1, width - o.title.length - right.length)) + right);
  for (let r = rows - 1; r >= 0; r--) {
    let line = '';
    for (const h of heights) {
      const eighths = Math.min(8, Math.max(0, h - r * 8));
      line += eighths === 0 ? ' ' : BLOCKS[eighths - 1];
    }
    lines.push(paint(line.trimEnd(), o));
  }
  lines.push(axis(width, columnOf(Math.floor(bins / 2)), o.labels ?? ['0', '128', '255']));
  return lines.join('\n');
}

/** The labels under the first column, the middle bin's column and the last column. */
function axis(width: number, middle: number, [first, centre, last]: readonly [string, string, string]): string {
  const cells = Array.from({ length: width }, () => ' ');
  const place = (label: string, at: number) => {
    const start = Math.max(0, Math.min(width - label.length, at));
    for (let k = 0; k < label.length; k++) cells[start + k] = label[k]!;
  };
  place(first, 0);
  place(centre, middle - Math.floor((centre.length - 1) / 2));
  place(last, width - last.length);
  return cells.join('');
}

function paint(line: string, o: TerminalHistogramOptions): string {
  const code = o.channel ? COLOURS[o.channel] : undefined;
  return o.color && code && line ? `\u001b[${code}m${line}\u001b[39m` : line;
}

/** 1234 -> "1234", 45678 -> "45.7k", 3_400_000 -> "3.4M". */
export function formatCount(value: number): string {
  if (value < 10_000) return String(Math.round(value));
  if (value < 1_000_000) return `${(value / 1000).toFixed(1)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}
