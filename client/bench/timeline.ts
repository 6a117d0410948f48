// The per-second timeline of a bench: for every wall-clock second of the measured window, the
// responses, 2xx, non-2xx, timeouts and other failures, a latency histogram of its own and the
// X-Served-By spread. Pods of one Job share the clock, so their timelines merge second by second.
import type { Histogram } from 'hdr-histogram-js';
import { createPackedLatencyHistogram, decodeHistogram, encodeHistogram, summarize, type LatencySummary } from './latency-histogram.ts';

/** One wall-clock second of a run (of one pod, or merged over pods). */
export interface TimelineSecond {
  /** Epoch second (floor of epoch ms / 1000) the outcomes fell in when they arrived. */
  second: number;
  /** Milliseconds of this second inside the measured window: 1000 except at the window's edges (merged: the most of any pod). */
  coveredMs: number;
  /** Pods measuring during this second (1 in a pod's own line). */
  pods: number;
  /** Responses of any status, of them 2xx, and the rest. */
  responses: number;
  ok: number;
  non2xx: number;
  /** Requests given up after the timeout, and those that failed otherwise without response. */
  timeouts: number;
  errors: number;
  /** Latency of this second's 2xx responses, µs (as the totals: from due time in the open model). */
  latencyUs: LatencySummary;
  /** Encoded HDR histogram behind `latencyUs` (as the totals' `histogram`); null when no 2xx. */
  histogram: string | null;
  /** Responses by X-Served-By value. */
  servedBy: Record<string, number>;
}

/** What a recorder keeps for one second while the load runs. */
export class SecondTally {
  responses = 0;
  ok = 0;
  timeouts = 0;
  errors = 0;
  histogram: Histogram | null = null;
  readonly servedBy = new Map<string, number>();

  /** Counts a response; `latencyUs` (an integer ≥ 1) only for 2xx. */
  response(latencyUs: number | null, servedBy: string): void {
    this.responses++;
    if (latencyUs !== null) {
      this.ok++;
      this.histogram ??= createPackedLatencyHistogram();
      this.histogram.recordValue(latencyUs);
    }
    this.servedBy.set(servedBy, (this.servedBy.get(servedBy) ?? 0) + 1);
  }

  /** Counts a request without response. */
  failure(kind: string): void {
    if (kind === 'timeout') this.timeouts++;
    else this.errors++;
  }
}

/** Milliseconds of epoch second `second` inside [startMs, endMs). */
function overlapMs(second: number, startMs: number, endMs: number): number {
  return Math.max(0, Math.min(endMs, (second + 1) * 1000) - Math.max(startMs, second * 1000));
}

const sortedRecord = (map: Map<string, number>): Record<string, number> => Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));

/**
 * The timeline of one measured window [startMs, endMs): every second it touches, in order, the
 * quiet ones included (a stall shows as a second without responses), plus any second a tally
 * holds outside it.
 */
export function buildTimeline(tallies: ReadonlyMap<number, SecondTally>, startMs: number, endMs: number): TimelineSecond[] {
  const seconds = new Set(tallies.keys());
  for (let s = Math.floor(startMs / 1000); s * 1000 < endMs; s++) seconds.add(s);
  return [...seconds]
    .sort((a, b) => a - b)
    .map((second) => {
      const t = tallies.get(second) ?? new SecondTally();
      const covered = overlapMs(second, startMs, endMs);
      return {
        second,
        coveredMs: covered,
        pods: covered > 0 ? 1 : 0,
        responses: t.responses,
        ok: t.ok,
        non2xx: t.responses - t.ok,
        timeouts: t.timeouts,
        errors: t.errors,
        latencyUs: summarize(t.histogram ?? createPackedLatencyHistogram()),
        histogram: t.histogram ? encodeHistogram(t.histogram) : null,
        servedBy: sortedRecord(t.servedBy),
      };
    });
}

/**
 * Merges pods' timelines on wall-clock seconds: counts summed, histograms added bucket by
 * bucket (percentiles of all the second's responses, never averaged), `coveredMs` the most of
 * any pod, `pods` summed.
 * @throws Error when a histogram does not decode.
 */
export function mergeTimelines(timelines: ReadonlyArray<readonly TimelineSecond[]>): TimelineSecond[] {
  const bySecond = new Map<number, { entry: TimelineSecond; histogram: Histogram | null; servedBy: Map<string, number> }>();
  for (const timeline of timelines) {
    for (const s of timeline) {
      let slot = bySecond.get(s.second);
      if (!slot) {
        slot = {
          entry: { ...s, coveredMs: 0, pods: 0, responses: 0, ok: 0, non2xx: 0, timeouts: 0, errors: 0, histogram: null, servedBy: {} },
          histogram: null,
          servedBy: new Map(),
        };
        bySecond.set(s.second, slot);
      }
      const e = slot.entry;
      e.coveredMs = Math.max(e.coveredMs, s.coveredMs);
      e.pods += s.pods;
      e.responses += s.responses;
      e.ok += s.ok;
      e.non2xx += s.non2xx;
      e.timeouts += s.timeouts;
      e.errors += s.errors;
      if (s.histogram !== null) {
        slot.histogram ??= createPackedLatencyHistogram();
        slot.histogram.add(decodeHistogram(s.histogram, 'packed'));
      }
      for (const [name, n] of Object.entries(s.servedBy)) slot.servedBy.set(name, (slot.servedBy.get(name) ?? 0) + n);
    }
  }
  return [...bySecond.values()]
    .sort((a, b) => a.entry.second - b.entry.second)
    .map(({ entry, histogram, servedBy }) => ({
      ...entry,
      latencyUs: summarize(histogram ?? createPackedLatencyHistogram()),
      histogram: histogram ? encodeHistogram(histogram) : null,
      servedBy: sortedRecord(servedBy),
    }));
}
