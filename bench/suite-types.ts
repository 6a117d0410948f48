// Shapes of the benchmark suite's measurements, shared by the runner, the summary, the markdown
// and the plots. Every figure is a plain number here, so a saved run can be re-rendered.
import type { BenchResult } from '../client/bench/bench-result.ts';

/** The image classes the targets name. */
export type ImageClass = 'noise' | 'small' | 'hd' | 'large';

export interface SuiteImageInfo {
  /** Stable id, also what BENCH_IMAGES selects, e.g. "hd-progressive". */
  id: string;
  klass: ImageClass;
  /** The class's target image: the one its targets are judged on (the others are shown alongside). */
  target: boolean;
  /** Short label for tables, e.g. "1920×1080 progressive photo". */
  label: string;
  width: number;
  height: number;
  /** e.g. "PNG, 8-bit RGB" or "JPEG, progressive". */
  encoding: string;
  /** Chroma subsampling of a JPEG ("4:2:0"), null for PNG. */
  subsampling: string | null;
  bytes: number;
  /** Where the pixels come from, e.g. "mate-backgrounds 1.26.0-1: abstract/Elephants.jpg". */
  source: string;
  file: string;
}

/** The servers measured side by side. */
export type SubjectId = 'this' | 'baseline' | 'old';
/** What produced a rate: a server, the HTTP floor, or sharp alone. */
export type Producer = SubjectId | 'floor' | 'decode';

export interface SubjectInfo {
  id: SubjectId;
  /** Column label, e.g. "this branch (1a2b3c4)". */
  label: string;
  measured: boolean;
  /** When not measured: why, and what to install or set. */
  missing: string | null;
  command: string | null;
  /** Software versions, e.g. "Python 3.11.2, FastAPI 0.92.0, …". */
  versions: string | null;
}

/** One rate measurement: a producer, one image, one connection count. */
export interface RateCell {
  image: string;
  producer: Producer;
  connections: number;
  accept: 'json' | 'png';
  /**
   * "client bench repeat": the cross-checked cell run again right after wrk. "versus round": a
   * further round of the comparison with the old service (see `round`).
   */
  generator: 'client bench' | 'client bench repeat' | 'versus round' | 'wrk' | 'decode';
  /** Which round of the comparison with the old service a "versus round" cell belongs to (2, 3, …). */
  round?: number;
  /** 2xx responses (decodes for `decode`) per second over the measured window. */
  okPerSec: number;
  ok: number;
  /** Responses of any status (decodes for `decode`). */
  responses: number;
  elapsedMs: number;
  /** Latency of the 2xx responses; null where not timed (decode-only). */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Non-2xx statuses and transport errors by name (e.g. "503", "ECONNRESET", "timeout"). */
  failures: Record<string, number>;
}

/** The two overload loads. */
export type OverloadLoad = 'wrk-c100' | 'open-1000';

export interface HealthzProbe {
  p99Ms: number;
  maxMs: number;
  /** Probes answered 2xx, and those that were not (any other status, or no answer). */
  ok: number;
  failed: number;
}

export interface OverloadCell {
  producer: SubjectId;
  load: OverloadLoad;
  /** Image id uploaded. */
  image: string;
  /** The load as a command line (or its `client bench` equivalent). */
  command: string;
  /** The window 2xx/s is counted over. */
  durationMs: number;
  okPerSec: number;
  ok: number;
  status503: number;
  /** Other non-2xx statuses, transport errors and requests left unanswered at the end. */
  otherFailures: Record<string, number>;
  p50Ms: number | null;
  p99Ms: number | null;
  /**
   * 2xx/s of a closed-model JSON run at C=4 on the same server just before the load: its
   * capacity at that moment, which tells the overload's own cost from the machine's drift since
   * the cells the closed-loop maximum comes from. Null when not measured.
   */
  closedBefore: number | null;
  /** How the 2xx latencies were timed where that is not plain, or why they are missing. */
  latencyNote: string | null;
  /** null: not probed (see healthzNote). */
  healthz: HealthzProbe | null;
  healthzNote: string | null;
  peakRssMiB: number | null;
}

export interface SuiteEnvironment {
  date: string;
  /** The command line as typed, with the BENCH_* variables that were set. */
  command: string;
  cpus: number;
  cpuModel: string;
  kernel: string;
  memoryGiB: number;
  node: string;
  sharp: string;
  libvips: string;
  /** `wrk -v` first line, or null when wrk is missing. */
  wrk: string | null;
  placement: string;
  /** CONCURRENCY given to this server and the baseline (the CPUs they are pinned to). */
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** Load at C=4 on each freshly started server before anything of it is measured (absent in older runs). */
  serverWarmupMs?: number;
  overloadDurationMs: number;
  /** 1-minute load average when the suite started and ended: other work on the machine skews results. */
  loadAverage: { start: number; end: number };
  /** Per-CPU busy percentage over the second before the suite started (null without /proc/stat). */
  busyAtStart: number[] | null;
  wallTimeS: number;
}

export interface SuiteRun {
  env: SuiteEnvironment;
  images: SuiteImageInfo[];
  subjects: SubjectInfo[];
  /** HTTP floor command, when it ran. */
  floorCommand: string | null;
  cells: RateCell[];
  overload: OverloadCell[];
  /** Lines for the "not measured" list: what was skipped, why, and how to include it. */
  notMeasured: string[];
}

/** 2xx responses per second over the measured window. */
export function okRate(r: BenchResult): number {
  const ms = r.endMs - r.startMs;
  return ms > 0 ? (r.requests.ok * 1000) / ms : 0;
}

/** Non-2xx statuses and transport errors of a bench result, by name. */
export function failuresOf(r: BenchResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [status, n] of Object.entries(r.statuses)) if (!/^2\d\d$/.test(status) && n > 0) out[status] = n;
  for (const [error, n] of Object.entries(r.errors)) if (n > 0) out[error] = (out[error] ?? 0) + n;
  return out;
}

/** A closed-model `client bench` result as a rate cell. */
export function rateCellOf(r: BenchResult, image: string, producer: Producer, accept: 'json' | 'png'): RateCell {
  return {
    image,
    producer,
    accept,
    connections: r.options.connections,
    generator: 'client bench',
    okPerSec: okRate(r),
    ok: r.requests.ok,
    responses: r.requests.completed,
    elapsedMs: r.endMs - r.startMs,
    p50Ms: r.requests.ok > 0 ? r.latencyUs.p50 / 1000 : null,
    p99Ms: r.requests.ok > 0 ? r.latencyUs.p99 / 1000 : null,
    failures: failuresOf(r),
  };
}
