// Plain-text tables and number formats shared by the printers of every command.

/** Renders rows under a header with aligned columns: text left, numbers right. */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((row) => /^[-+]?[\d.,]+\s*[%a-zA-Z/µ]*$|^-$/.test(row[c] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Microseconds as milliseconds with 2 decimals ("12.34 ms"). */
export function ms(us: number): string {
  return `${(us / 1000).toFixed(2)} ms`;
}

/** A rate with one decimal. */
export function perSecond(count: number, elapsedMs: number): string {
  return elapsedMs > 0 ? ((count * 1000) / elapsedMs).toFixed(1) : '-';
}

/** 1536 -> "1.5 KiB": bytes in binary units. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** Bytes per second in binary units ("1.5 MiB/s"). */
export function bytesPerSecond(bytes: number, elapsedMs: number): string {
  return elapsedMs > 0 ? `${formatBytes((bytes * 1000) / elapsedMs)}/s` : '-';
}

/** "a: 3, b: 1" or "none". */
export function countsList(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}: ${v}`).join(', ');
}

/** Rows of "name, count, share %" sorted by count, largest first. */
export function shareRows(counts: Record<string, number>): string[][] {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([name, count]) => [name, String(count), `${total > 0 ? ((100 * count) / total).toFixed(1) : '0.0'}%`]);
}
