// Shapes of the benchmark suite's measurements, shared by the runner, the markdown and the plots.
import type { BenchResult } from '../client/bench/bench-result.ts';

/** One image at one connection count. */
export interface SuiteCell {
  image: string;
  imageBytes: number;
  role: 'original' | 'small' | 'hd' | '12mp';
  connections: number;
  /** Decodes per second, sharp alone, `connections` at a time. */
  decodePerSec: number;
  floor: BenchResult;
  json: BenchResult;
  png: BenchResult;
}

export interface SuiteOverload {
  image: string;
  connections: number;
  result: BenchResult;
  healthz: BenchResult;
  peakRssMiB: number | null;
}

export interface SuiteEnvironment {
  date: string;
  cpus: number;
  cpuModel: string;
  node: string;
  sharp: string;
  libvips: string;
  serverCommand: string;
  floorCommand: string;
  placement: string;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** 1-minute load average when the suite started and ended: other work on the machine skews results. */
  loadAverage: { start: number; end: number };
}

export interface SuiteRun {
  env: SuiteEnvironment;
  cells: SuiteCell[];
  overload: SuiteOverload;
}

/** 2xx responses per second over the measured window. */
export function okRate(r: BenchResult): number {
  const ms = r.endMs - r.startMs;
  return ms > 0 ? (r.requests.ok * 1000) / ms : 0;
}
