// Regroups exact per-value counts into equal-width bins by numpy.histogram's rule, so every
// range the API offers (full scale, the data's min..max, or LO,HI) gives numpy's bins exactly.
// Each distinct value is placed once, with numpy's own arithmetic (numpy/lib/histograms.py,
// the equal-bins path of _histogram, and numpy.linspace for the edges).

/** The range asked for: the depth's whole scale, each channel's min..max, or LO,HI. */
export type BinRangeOption = { kind: 'full' } | { kind: 'data' } | { kind: 'explicit'; lo: number; hi: number };

export interface BinnedCounts {
  counts: number[];
  /** The outer edges of the bins, after numpy's widening of an empty range. */
  binRange: [number, number];
}

/**
 * Equal-width bins over 0..scale (scale = `counts.length`): value v goes to bin
 * floor(v × bins / scale), identical to numpy.histogram(a, bins, range=(0, scale)) for integer
 * values (an integer never lies within rounding distance of a bin edge that is not itself an
 * integer). With 256 values and 256 bins each bin is one value.
 */
export function rebin(counts: ArrayLike<number>, bins: number): number[] {
  const scale = counts.length;
  const out = new Array<number>(bins).fill(0);
  for (let v = 0; v < scale; v++) {
    const c = counts[v]!;
    if (c !== 0) out[Math.floor((v * bins) / scale)]! += c;
  }
  return out;
}

/**
 * The bins of the values counted in `counts` (index = value) over `range`, as numpy.histogram
 * gives them: `full` over 0..counts.length; `data` over the smallest..largest value present
 * (0..1 when none is); `explicit` over lo..hi, leaving out values outside it. An empty range
 * (lo == hi) widens to lo − 0.5..hi + 0.5, as numpy does.
 * @throws {RangeError} when bins < 1 or an explicit range has lo > hi or is not finite.
 */
export function binCounts(counts: ArrayLike<number>, bins: number, range: BinRangeOption): BinnedCounts {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`expected a positive whole number of bins, got ${bins}`);
  if (range.kind === 'full') return { counts: rebin(counts, bins), binRange: [0, counts.length] };
  let lo: number;
  let hi: number;
  if (range.kind === 'explicit') {
    if (!(Number.isFinite(range.lo) && Number.isFinite(range.hi) && range.lo <= range.hi)) {
      throw new RangeError(`expected a finite range with lo <= hi, got ${range.lo},${range.hi}`);
    }
    ({ lo, hi } = range);
  } else {
    [lo, hi] = presentRange(counts) ?? [0, 1];
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const out = new Array<number>(bins).fill(0);
  const placer = numpyBinPlacer(lo, hi, bins);
  const first = Math.max(0, Math.ceil(lo));
  const last = Math.min(counts.length - 1, Math.floor(hi));
  for (let v = first; v <= last; v++) {
    const c = counts[v]!;
    if (c !== 0) out[placer(v)]! += c;
  }
  return { counts: out, binRange: [lo, hi] };
}

/**
 * numpy's bin index for a value in [lo, hi] with `bins` equal bins: edges are
 * linspace(lo, hi, bins + 1) (k·step + lo, the last exactly hi); the first guess
 * trunc((v − lo) · (bins / (hi − lo))) is corrected so that edges[i] <= v < edges[i + 1], and the
 * last bin is closed.
 */
export function numpyBinPlacer(lo: number, hi: number, bins: number): (value: number) => number {
  const step = (hi - lo) / bins;
  const norm = bins / (hi - lo);
  const edge = (k: number) => (k === bins ? hi : k * step + lo);
  return (v) => {
    let i = Math.trunc((v - lo) * norm);
    if (i === bins) i--;
    if (v < edge(i)) i--;
    if (v >= edge(i + 1) && i !== bins - 1) i++;
    return i;
  };
}

/** The smallest and largest index with a non-zero count, or null when all are zero. */
function presentRange(counts: ArrayLike<number>): [number, number] | null {
  let lo = 0;
  while (lo < counts.length && counts[lo] === 0) lo++;
  if (lo === counts.length) return null;
  let hi = counts.length - 1;
  while (counts[hi] === 0) hi--;
  return [lo, hi];
}
