// Latency histograms in microseconds (hdr-histogram-js): one shape for recording, encoding into
// result lines, decoding and merging, so pods' histograms always add bucket by bucket.
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Significant figures kept: values are exact to 1 part in 1000 (0.1 %). */
export const SIGNIFICANT_FIGURES = 3;

/** An empty histogram of microsecond latencies (1 µs .. 1 h, resizes beyond). */
export function createLatencyHistogram(): Histogram {
  // Pure-JS 64-bit buckets: counts never overflow and no WebAssembly memory to free.
  return hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: SIGNIFICANT_FIGURES,
  });
}

/**
 * An empty histogram of microsecond latencies for one second of a timeline: packed buckets,
 * whose memory grows with the distinct values recorded, so a long run's hundreds of per-second
 * histograms stay small. Adds to and from the full histograms bucket by bucket all the same.
 */
export function createPackedLatencyHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 'packed',
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: SIGNIFICANT_FIGURES,
  });
}

/** hdr-histogram-js's compressed base64 form (the HdrHistogram V2 encoding other tools read). */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/**
 * Decodes `encodeHistogram`'s output into 64-bit buckets, or packed ones (for the many small
 * histograms of a timeline). @throws Error when the text is not an encoded histogram.
 */
export function decodeHistogram(encoded: string, buckets: 64 | 'packed' = 64): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, buckets, false);
}

/** Percentiles shown in tables and stored in result lines, in microseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Summary of `histogram` (all zeros when it is empty). */
export function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  // A percentile is its bucket's highest equivalent value, which may pass the recorded max.
  const max = histogram.maxValue;
  const at = (p: number) => Math.min(histogram.getValueAtPercentile(p), max);
  return { count, min: histogram.minNonZeroValue, mean: Math.round(histogram.mean), p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max };
}

/**
 * Points of the percentile distribution for a chart, spaced evenly in "nines"
 * (x = -log10(1 - p/100): 1 is p90, 2 is p99, 3 is p99.9), as HdrHistogram's plotter draws it.
 * Stops at the resolution the sample count supports.
 */
export function percentileCurve(histogram: Histogram): Array<{ nines: number; percentile: number; valueUs: number }> {
  const points: Array<{ nines: number; percentile: number; valueUs: number }> = [];
  const count = histogram.totalCount;
  if (count === 0) return points;
  const maxNines = Math.min(5, Math.log10(count));
  const max = histogram.maxValue;
  for (let nines = 0; nines <= maxNines + 1e-9; nines += 0.1) {
    const percentile = 100 * (1 - 10 ** -nines);
    points.push({ nines, percentile, valueUs: Math.min(histogram.getValueAtPercentile(percentile), max) });
  }
  points.push({ nines: maxNines, percentile: 100 * (1 - 10 ** -maxNines), valueUs: max });
  return points;
}
