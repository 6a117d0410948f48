import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { binCounts, numpyBinPlacer, rebin, type BinRangeOption } from './numpy-bins.ts';

// numpy itself is the oracle: Debian's python3-numpy under /usr/bin/python3 (.ci/run installs it).
const PYTHON = '/usr/bin/python3';
const numpyAvailable = (() => {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const NEEDS_NUMPY = numpyAvailable ? false : 'needs Debian python3-numpy under /usr/bin/python3 (installed by .ci/run)';

interface NumpyCase {
  values: number[];
  dtype: 'uint8' | 'uint16';
  bins: number;
  range: [number, number] | null;
}

/** numpy.histogram of each case: counts and the outer edges. */
function numpyHistograms(cases: NumpyCase[]): Array<{ counts: number[]; edges: [number, number] }> {
  const script = `import sys, json, numpy as np
out = []
for c in json.load(sys.stdin):
    a = np.array(c["values"], dtype=c["dtype"])
    kw = {} if c["range"] is None else {"range": tuple(c["range"])}
    n, e = np.histogram(a, bins=c["bins"], **kw)
    out.append({"counts": n.tolist(), "edges": [float(e[0]), float(e[-1])]})
print(json.dumps(out))`;
  const out = execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(cases), maxBuffer: 64 << 20 });
  return JSON.parse(out.toString()) as Array<{ counts: number[]; edges: [number, number] }>;
}

/** Per-value counts of `values` over 0..scale-1, the obvious way. */
function valueCounts(values: number[], scale: number): Uint32Array {
  const counts = new Uint32Array(scale);
  for (const v of values) counts[v]!++;
  return counts;
}

/** A small deterministic generator (xorshift32), so the cases are the same on every run. */
function randomValues(n: number, max: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % (max + 1);
  });
}

function rangeOption(range: [number, number] | null, full: boolean): BinRangeOption {
  if (full) return { kind: 'full' };
  return range ? { kind: 'explicit', lo: range[0], hi: range[1] } : { kind: 'data' };
}

test('8-bit values are binned exactly as numpy.histogram bins them, for data, full and explicit ranges', { skip: NEEDS_NUMPY }, () => {
  const noise = randomValues(5000, 255, 7);
  const narrow = randomValues(3000, 40, 11).map((v) => v + 100);
  const cases: Array<NumpyCase & { full?: boolean }> = [];
  for (const values of [noise, narrow, [7, 7, 7], [0, 255], [3]]) {
    for (const bins of [1, 2, 3, 7, 10, 100, 255, 256, 1000]) {
      cases.push({ values, dtype: 'uint8', bins, range: null });
      cases.push({ values, dtype: 'uint8', bins, range: [0, 256], full: true });
      for (const range of [
        [0, 128],
        [10.5, 200.25],
        [5, 5],
        [0.1, 0.3],
        [-3, 1000],
        [100, 100.5],
        [120, 121],
      ] as Array<[number, number]>) {
        cases.push({ values, dtype: 'uint8', bins, range });
      }
    }
  }
  const expected = numpyHistograms(cases);
  cases.forEach((c, i) => {
    const got = binCounts(valueCounts(c.values, 256), c.bins, rangeOption(c.range, c.full === true));
    const label = `${c.values.length} values, ${c.bins} bins, range ${c.full ? 'full' : JSON.stringify(c.range)}`;
    assert.deepEqual(got.counts, expected[i]!.counts, label);
    assert.deepEqual(got.binRange, expected[i]!.edges, label);
  });
});

test('16-bit values are binned exactly as numpy.histogram bins them, up to 65536 bins', { skip: NEEDS_NUMPY }, () => {
  const values = randomValues(20000, 65535, 3);
  const cases: Array<NumpyCase & { full?: boolean }> = [];
  for (const bins of [1, 3, 256, 1000, 4099, 65536]) {
    cases.push({ values, dtype: 'uint16', bins, range: null });
    cases.push({ values, dtype: 'uint16', bins, range: [0, 65536], full: true });
    cases.push({ values, dtype: 'uint16', bins, range: [1000.5, 60000] });
  }
  const expected = numpyHistograms(cases);
  cases.forEach((c, i) => {
    const got = binCounts(valueCounts(c.values, 65536), c.bins, rangeOption(c.range, c.full === true));
    assert.deepEqual(got.counts, expected[i]!.counts, `${c.bins} bins, range ${c.full ? 'full' : JSON.stringify(c.range)}`);
    assert.deepEqual(got.binRange, expected[i]!.edges);
  });
});

test('a data range over one value widens to ±0.5, and an empty channel uses 0..1 (by hand)', () => {
  const one = new Uint32Array(256);
  one[9] = 4;
  assert.deepEqual(binCounts(one, 2, { kind: 'data' }), { counts: [0, 4], binRange: [8.5, 9.5] });
  assert.deepEqual(binCounts(new Uint32Array(256), 4, { kind: 'data' }), { counts: [0, 0, 0, 0], binRange: [0, 1] });
});

test('the last bin is closed and values outside an explicit range are left out (by hand)', () => {
  const counts = new Uint32Array(256);
  counts[0] = 1;
  counts[10] = 2;
  counts[20] = 3;
  counts[21] = 5;
  // Edges 10, 15, 20: 10 in bin 0, 20 (= hi) in the last bin; 0 and 21 outside.
  assert.deepEqual(binCounts(counts, 2, { kind: 'explicit', lo: 10, hi: 20 }), { counts: [2, 3], binRange: [10, 20] });
});

test('range full puts value v in bin floor(v × bins / scale), at 8 and 16 bits (by hand)', () => {
  const ones = new Array<number>(256).fill(1);
  assert.deepEqual(rebin(ones, 3), [86, 85, 85]);
  const sixteen = new Uint32Array(65536).fill(1);
  assert.deepEqual(binCounts(sixteen, 256, { kind: 'full' }).counts, new Array(256).fill(256));
  assert.deepEqual(binCounts(sixteen, 256, { kind: 'full' }).binRange, [0, 65536]);
});

test("numpy's first guess is corrected at a bin edge it rounds across", () => {
  // Checked with numpy: (0.3 − 0.1) · (3 / 0.6) computes to 0.9999999999999999, so trunc gives
  // bin 0; but linspace(0.1, 0.7, 4)[1] is 0.3 itself, and numpy corrects the value into bin 1.
  const place = numpyBinPlacer(0.1, 0.7, 3);
  assert.equal(place(0.3), 1);
  assert.equal(place(0.7), 2);
  assert.equal(place(0.1), 0);
});

test('an explicit range with lo > hi, or no bins, is refused', () => {
  assert.throws(() => binCounts(new Uint32Array(256), 4, { kind: 'explicit', lo: 5, hi: 1 }), RangeError);
  assert.throws(() => binCounts(new Uint32Array(256), 0, { kind: 'full' }), RangeError);
});
