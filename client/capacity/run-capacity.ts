// The programmatic capacity search: `runCapacity(options)` offers rising open-model rates until
// a step misses the objectives, then bisects between the last passing and the first failing
// rate. Sharded runs (several pods) run a fixed schedule instead, without decisions: every pod
// runs every step at the same instants, and `client report` judges the merged steps.
// Prints nothing except progress lines through `options.log`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchOptions } from '../bench/bench-options.ts';
import { runBench } from '../bench/run-bench.ts';
import { waitUntilReady } from '../bench/wait-for-start.ts';
import { capacityAnswer, summarizeStep, type CapacityAnswer, type StepSummary } from './capacity-answer.ts';
import { toStepLine, type CapacityStepLine, type StepPhase } from './capacity-step.ts';
import { parseObjectives } from './objectives.ts';
import { fixedStepStart, nextBisectRate, rampRates, type Precision, type RampOptions } from './step-schedule.ts';

/** What every step shares: the target, the requests and how they are sent. */
export type StepLoad = Pick<BenchOptions, 'url' | 'images' | 'accept' | 'headers' | 'connections' | 'timeoutMs' | 'shard'>;

export interface CapacityOptions extends StepLoad {
  ramp: RampOptions;
  precision: Precision;
  /** Objectives as written (`p99=250ms`, `errors=0.1%`). */
  objectives: string[];
  stepWarmupMs: number;
  stepDurationMs: number;
  /** Pause after each step; in a sharded run, part of each step's fixed slot. */
  stepGapMs: number;
  /** Poll /readyz for up to this long before the first step (null: do not wait). */
  untilReadyMs: number | null;
  /** ISO time of the first step (sharded: step k starts at startAt + k × slot). */
  startAt: string | null;
  /** Groups the pods' lines of one run in `client report`. */
  run: string;
  log?: (line: string) => void;
  /** Called as each step finishes, with its line and its verdict (this pod's view). */
  onStep?: (line: CapacityStepLine, summary: StepSummary) => void;
}

export interface CapacityRun {
  lines: CapacityStepLine[];
  /** Null for one pod of a sharded run: only the merged steps can be judged. */
  answer: CapacityAnswer | null;
}

/**
 * Runs the search. @throws Error on invalid options (rates, objectives, --start-at) or when
 * /readyz does not turn ready; request failures are counted in the steps, not thrown.
 */
export async function runCapacity(o: CapacityOptions): Promise<CapacityRun> {
  const log = o.log ?? (() => {});
  parseObjectives(o.objectives); // refuse bad objectives before any load
  const ramp = rampRates(o.ramp);
  if (o.startAt !== null && Number.isNaN(Date.parse(o.startAt))) throw new Error(`Expected an ISO 8601 time for --start-at but received "${o.startAt}"`);
  if (o.untilReadyMs !== null) await waitUntilReady(new URL(o.url), o.headers, o.untilReadyMs, log);
  const lines: CapacityStepLine[] = [];

  const runStep = async (phase: StepPhase, offeredRate: number, startAt: string | null): Promise<StepSummary> => {
    const step = lines.length;
    log(`step ${step} (${phase}): ${offeredRate} req/s for ${o.stepDurationMs} ms after ${o.stepWarmupMs} ms warm-up`);
    const result = await runBench({
      url: o.url,
      images: o.images,
      accept: o.accept,
      headers: o.headers,
      connections: o.connections,
      timeoutMs: o.timeoutMs,
      shard: o.shard,
      rate: offeredRate,
      durationMs: o.stepDurationMs,
      amount: null,
      warmupMs: o.stepWarmupMs,
      untilReadyMs: null,
      startAt,
      log,
    });
    const line = toStepLine(result, { run: o.run, step, phase, offeredRate, objectives: o.objectives });
    lines.push(line);
    const summary = summarizeStep([line]);
    log(
      `step ${step}: ${summary.achievedRate.toFixed(1)} 2xx/s, p99 ${(summary.latencyUs.p99 / 1000).toFixed(1)} ms: ${summary.pass ? 'pass' : `FAIL (${summary.failures.join(', ')})`}`,
    );
    o.onStep?.(line, summary);
    return summary;
  };

  if (o.shard.count > 1) {
    // Every pod runs the same steps at the same instants and decides nothing: which step fails
    // is known only once the pods' lines are merged.
    const slotMs = o.stepWarmupMs + o.stepDurationMs + o.stepGapMs;
    const baseMs = o.startAt !== null ? Date.parse(o.startAt) : Date.now();
    if (o.startAt === null) log('no --start-at: this pod times its steps from its own start, so the pods may be skewed');
    for (const [k, rate] of ramp.entries()) await runStep('fixed', rate, new Date(fixedStepStart(baseMs, k, slotMs)).toISOString());
    return { lines, answer: null };
  }

  let pass: number | null = null;
  let fail: number | null = null;
  for (const [k, rate] of ramp.entries()) {
    if (k > 0 && o.stepGapMs > 0) await sleep(o.stepGapMs);
    const summary = await runStep('ramp', rate, k === 0 ? o.startAt : null);
    if (!summary.pass) {
      fail = rate;
      break;
    }
    pass = rate;
  }
  for (let next = pass !== null && fail !== null ? nextBisectRate(pass, fail, o.precision) : null; next !== null; ) {
    if (o.stepGapMs > 0) await sleep(o.stepGapMs);
    const summary = await runStep('bisect', next, null);
    if (summary.pass) pass = next;
    else fail = next;
    next = nextBisectRate(pass!, fail!, o.precision);
  }
  return { lines, answer: capacityAnswer(lines) };
}
