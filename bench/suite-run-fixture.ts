// A small hand-made suite run for the tests of the summary, the markdown and the plots: round
// figures whose ratios can be worked out by hand.
import type { OverloadCell, Producer, RateCell, SuiteImageInfo, SuiteRun } from './suite-types.ts';

export function rate(image: string, producer: Producer, connections: number, okPerSec: number, extra: Partial<RateCell> = {}): RateCell {
  return {
    image,
    producer,
    connections,
    accept: 'json',
    generator: producer === 'decode' ? 'decode' : 'client bench',
    okPerSec,
    ok: Math.round(okPerSec * 5),
    responses: Math.round(okPerSec * 5),
    elapsedMs: 5000,
    p50Ms: producer === 'decode' ? null : 10,
    p99Ms: producer === 'decode' ? null : 40,
    failures: {},
    ...extra,
  };
}

const image = (id: string, klass: SuiteImageInfo['klass'], label: string, target = true): SuiteImageInfo => ({
  id,
  klass,
  target,
  label,
  width: 512,
  height: 512,
  encoding: 'PNG, RGB',
  subsampling: null,
  bytes: 1000,
  source: 'generated',
  file: `/tmp/${id}`,
});

export function overload(producer: OverloadCell['producer'], load: OverloadCell['load'], okPerSec: number, extra: Partial<OverloadCell> = {}): OverloadCell {
  return {
    producer,
    load,
    image: 'noise',
    command: 'wrk …',
    durationMs: 15_000,
    okPerSec,
    ok: okPerSec * 15,
    status503: 100,
    otherFailures: {},
    p50Ms: 900,
    p99Ms: 1500,
    closedBefore: 250,
    latencyNote: null,
    healthz: { p99Ms: 20, maxMs: 30, ok: 300, failed: 0 },
    healthzNote: null,
    peakRssMiB: 300,
    ...extra,
  };
}

/**
 * Noise PNG: decode 400/s; old 64/s at C=4 (wrk 72); before 75 (C=1) / 80 (C=4); this 100 / 200 (wrk 196, again 204).
 * 225² JPEG: decode 600/s; old 200; before 120; this 400 (C=4 only).
 * Overload: before 8/s (wrk) and 40/s (open); this 190/s and 150/s.
 */
export function fixtureRun(): SuiteRun {
  return {
    env: {
      date: '2026-12-02T00:00:00.000Z',
      command: 'npm run bench',
      cpus: 2,
      cpuModel: 'Test CPU',
      kernel: '6.1',
      memoryGiB: 8,
      node: 'v20.0.0',
      sharp: '0.35.5',
      libvips: '8.18.7',
      wrk: 'wrk debian/4.1.0-3+b2 [epoll]',
      placement: 'Pinned.',
      concurrency: 1,
      durationMs: 5000,
      warmupMs: 1000,
      serverWarmupMs: 10_000,
      overloadDurationMs: 15_000,
      loadAverage: { start: 0.1, end: 1.5 },
      busyAtStart: [1, 2],
      wallTimeS: 600,
    },
    images: [
      image('noise', 'noise', '512×512 noise PNG'),
      image('small', 'small', '225×225 JPEG'),
      image('hd-baseline', 'hd', '1920×1200 baseline photo', false),
    ],
    subjects: [
      { id: 'baseline', label: 'before (abc1234)', measured: true, missing: null, command: 'node dist/server/main.js', versions: null },
      { id: 'this', label: 'this branch (def5678)', measured: true, missing: null, command: 'node dist/server/main.js', versions: null },
      { id: 'old', label: 'old service', measured: true, missing: null, command: 'python3 serve.py', versions: 'Python 3.11.2' },
    ],
    floorCommand: 'node bench/http-floor-server.ts',
    cells: [
      rate('noise', 'decode', 1, 300),
      rate('noise', 'decode', 4, 400),
      rate('noise', 'floor', 4, 900),
      rate('noise', 'old', 4, 64),
      rate('noise', 'old', 4, 72, { generator: 'wrk' }),
      rate('noise', 'baseline', 1, 75),
      rate('noise', 'baseline', 4, 80),
      rate('noise', 'baseline', 4, 20, { accept: 'png' }),
      rate('noise', 'this', 1, 100),
      rate('noise', 'this', 4, 200),
      rate('noise', 'this', 4, 196, { generator: 'wrk' }),
      rate('noise', 'this', 4, 204, { generator: 'client bench repeat' }),
      rate('noise', 'this', 4, 150, { accept: 'png' }),
      rate('small', 'decode', 4, 600),
      rate('small', 'old', 4, 200),
      rate('small', 'baseline', 4, 120),
      rate('small', 'this', 4, 400),
      rate('hd-baseline', 'decode', 4, 50),
      rate('hd-baseline', 'old', 4, 5, { ok: 7 }),
      rate('hd-baseline', 'this', 4, 45),
    ],
    overload: [
      overload('baseline', 'wrk-c100', 8, { healthz: { p99Ms: 1030, maxMs: 1100, ok: 290, failed: 10 }, peakRssMiB: 310 }),
      overload('baseline', 'open-1000', 40),
      overload('this', 'wrk-c100', 190),
      overload('this', 'open-1000', 150, { healthz: { p99Ms: 60, maxMs: 80, ok: 300, failed: 0 }, peakRssMiB: 420 }),
      overload('old', 'wrk-c100', 60, { healthz: null, healthzNote: 'no /healthz (the old service has no probe route)', status503: 0 }),
    ],
    notMeasured: [],
  };
}
