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
}

/**
 * Renders `counts` (bins over 0..255) as a bar chart `rows` high. With more bins than columns,
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
  // The column where value v (0..255) is drawn.
  const columnOf = (v: number) => Math.floor(Math.floor((v * bins) / 256) / group) * repeat;

  const lines: string[] = [];
  const valuesPerColumn = (256 / bins) * group;
  const per = valuesPerColumn === 1 ? 'value' : `${Number.isInteger(valuesPerColumn) ? valuesPerColumn : valuesPerColumn.toFixed(1)} values`;
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
  lines.push(axis(width, columnOf));
  return lines.join('\n');
}

/** `0`, `128` and `255` under the columns that show those values. */
function axis(width: number, columnOf: (value: number) => number): string {
  const cells = Array.from({ length: width }, () => ' ');
  const place = (label: string, at: number) => {
    const start = Math.max(0, Math.min(width - label.length, at));
    for (let k = 0; k < label.length; k++) cells[start + k] = label[k]!;
  };
  place('0', 0);
  place('128', columnOf(128) - 1);
  place('255', width - 3);
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
