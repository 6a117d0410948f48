// Which rates a capacity run offers: a ramp (a start times a factor per step, or a list) up to
// the first failing step, then a bisection between the last passing and the first failing rate.
// Pure functions, so a sharded run's pods can all compute the same fixed schedule.

/** How the ramp rises and where it stops. */
export interface RampOptions {
  /** Explicit total rates (req/s), rising; overrides start/factor. */
  rates: readonly number[] | null;
  startRate: number;
  /** Each step offers the previous rate times this (> 1). */
  stepFactor: number;
  /** The ramp never offers more than this. */
  maxRate: number;
}

/** The bisection stops once the bracket is this narrow. */
export type Precision = { kind: 'relative'; ratio: number } | { kind: 'absolute'; rate: number };

/**
 * The ramp's rates, rising: the list as given, or start, start·f, start·f², … up to maxRate
 * (maxRate itself is the last step when the ramp would pass it).
 * @throws Error for a list that does not rise, a factor <= 1 or a start above maxRate.
 */
export function rampRates(o: RampOptions): number[] {
  if (o.rates !== null) {
    if (o.rates.length === 0) throw new Error('Expected at least one rate for --rates');
    o.rates.forEach((rate, k) => {
      if (!(rate > 0) || (k > 0 && rate <= o.rates![k - 1]!)) {
        throw new Error(`Expected rising rates > 0 for --rates but received ${o.rates!.join(',')}`);
      }
    });
    return [...o.rates];
  }
  if (!(o.stepFactor > 1)) throw new Error(`Expected a number > 1 for --step-factor but received ${o.stepFactor}`);
  if (!(o.startRate > 0) || o.startRate > o.maxRate) {
    throw new Error(`Expected a --start-rate between 0 and --max-rate (${o.maxRate}) but received ${o.startRate}`);
  }
  const rates: number[] = [];
  for (let rate = o.startRate; rate < o.maxRate * (1 - 1e-9); rate *= o.stepFactor) rates.push(roundRate(rate));
  rates.push(roundRate(o.maxRate));
  return rates;
}

/** Rates to 0.1 req/s: finer differences are below what a step can tell apart. */
export function roundRate(rate: number): number {
  return Math.round(rate * 10) / 10;
}

/** True when `pass` and `fail` are close enough that no further bisection step is needed. */
export function bracketClosed(pass: number, fail: number, precision: Precision): boolean {
  return precision.kind === 'relative' ? fail - pass <= pass * precision.ratio : fail - pass <= precision.rate;
}

/** The next rate to try between a passing and a failing one (their midpoint), or null when done. */
export function nextBisectRate(pass: number, fail: number, precision: Precision): number | null {
  if (bracketClosed(pass, fail, precision)) return null;
  const mid = roundRate((pass + fail) / 2);
  return mid > pass && mid < fail ? mid : null;
}

/** `5%` -> relative 0.05, `2` -> 2 req/s. @throws Error for anything else. */
export function parsePrecision(text: string): Precision {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (percent && Number(percent[1]) > 0) return { kind: 'relative', ratio: Number(percent[1]) / 100 };
  const absolute = /^\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (absolute && Number(absolute[1]) > 0) return { kind: 'absolute', rate: Number(absolute[1]) };
  throw new Error(`Expected a precision such as 5% or 2 (req/s) for --precision but received "${text}"`);
}

/**
 * Start of step `k` of a fixed (sharded) schedule: `base + k × slot`, slot = warm-up + measured
 * duration + gap, so every pod starts step k at the same instant whatever it measured before.
 */
export function fixedStepStart(baseMs: number, k: number, slotMs: number): number {
  return baseMs + k * slotMs;
}
