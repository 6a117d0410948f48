// Checks a `--range` value as the server reads `range`, so a wrong one is refused before any upload.

/**
 * Checks `--range`: `full`, `data`, or `LO,HI` (finite decimal numbers, LO <= HI), as the server
 * takes it. @throws Error saying what was expected and what arrived.
 */
export function checkRange(raw: string): void {
  const value = raw.trim();
  if (value === 'full' || value === 'data') return;
  const parts = value.split(',');
  const numbers = parts.map((part) => (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(part) ? Number(part) : Number.NaN));
  const [lo, hi] = numbers;
  if (parts.length !== 2 || lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new Error(`Expected full, data or LO,HI (two numbers) for --range but received ${JSON.stringify(raw)}`);
  }
  if (lo > hi) throw new Error(`Expected LO <= HI for --range but received ${JSON.stringify(raw)}`);
}
