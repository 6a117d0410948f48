// Summary statistics of one channel, computed from its exact per-value counts (256 values, or
// 65536 at depth 16).

export interface ChannelStats {
  mean: number;
  stdev: number;
  min: number;
  max: number;
  median: number;
  p01: number;
  p99: number;
  /** Shannon entropy of the value distribution, in bits (0..8, or 0..16 at depth 16). */
  entropy: number;
}

/**
 * Statistics of the values counted in `counts` (index = value, in the units of the depth counted). stdev is the population
 * standard deviation; percentiles use the nearest-rank definition (the smallest value whose
 * cumulative count reaches ceil(p × N), at least 1). All zero for an empty histogram.
 */
export function channelStats(counts: ArrayLike<number>): ChannelStats {
  let total = 0;
  let sum = 0;
  let min = -1;
  let max = 0;
  for (let v = 0; v < counts.length; v++) {
    const c = counts[v]!;
    if (c === 0) continue;
    if (min < 0) min = v;
    max = v;
    total += c;
    sum += c * v;
  }
  if (total === 0) return { mean: 0, stdev: 0, min: 0, max: 0, median: 0, p01: 0, p99: 0, entropy: 0 };
  const mean = sum / total;
  let squares = 0;
  let entropy = 0;
  for (let v = min; v <= max; v++) {
    const c = counts[v]!;
    if (c === 0) continue;
    squares += c * (v - mean) * (v - mean);
    const p = c / total;
    entropy -= p * Math.log2(p);
  }
  return {
    mean: round(mean),
    stdev: round(Math.sqrt(squares / total)),
    min,
    max,
    median: percentile(counts, total, 0.5),
    p01: percentile(counts, total, 0.01),
    p99: percentile(counts, total, 0.99),
    entropy: round(entropy),
  };
}

/** Nearest-rank percentile of the value distribution in `counts` holding `total` samples. */
export function percentile(counts: ArrayLike<number>, total: number, p: number): number {
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let v = 0; v < counts.length; v++) {
    seen += counts[v]!;
    if (seen >= rank) return v;
  }
  return counts.length - 1;
}

export { rebin } from './numpy-bins.ts';

// Six decimals keep JSON short and stable across platforms without hiding real differences.
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
