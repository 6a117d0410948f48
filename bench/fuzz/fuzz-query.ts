// Random query parameters for the histogram routes: mostly valid, sometimes invalid (a 400
// that must name the parameter), sometimes unknown (a 400 naming it), in random case.
import type { Prng } from './prng.ts';

export const QUERY_PARAMS = ['bins', 'channels', 'format', 'width', 'height', 'scale', 'type'] as const;
const CHANNELS = ['red', 'green', 'blue', 'alpha', 'luma'] as const;

export interface QueryPlan {
  /** The query string without "?", or "" for none. */
  search: string;
  /** Names of the parameters given invalid values. */
  invalid: string[];
  /** The values the server should use (defaults where absent). */
  bins: number;
  channels: string[] | null;
  format: 'json' | 'png' | 'csv' | undefined;
  width: number;
  height: number;
}

const INVALID: Record<(typeof QUERY_PARAMS)[number], readonly string[]> = {
  bins: ['0', '257', '-1', '1.5', 'ten', '1e2', '0x10', '99999999999999999999', '１６', 'NaN'],
  channels: ['purple', 'red,,green', 'red;green', 'rgb', 'r', 'luma,hue', ','],
  format: ['gif', 'xml', 'jpeg', 'json png', 'pngg'],
  width: ['199', '4001', '0', '-800', '800px', 'wide', '1e3'],
  height: ['99', '3001', '0', '-1', 'tall', '400.5'],
  scale: ['cubic', 'logarithmic', 'lin', '1'],
  type: ['pie', 'lines', 'scatter', 'bars'],
};

function randomCase(rng: Prng, value: string): string {
  if (!rng.chance(0.1)) return value;
  return rng.chance(0.5) ? value.toUpperCase() : value[0]!.toUpperCase() + value.slice(1);
}

/** Draws a query: each parameter present with some probability; 15 % of queries (when `allowInvalid`) have invalid values. */
export function randomQuery(rng: Prng, allowInvalid = true): QueryPlan {
  const plan: QueryPlan = { search: '', invalid: [], bins: 256, channels: null, format: undefined, width: 800, height: 400 };
  const pairs: Array<[string, string]> = [];
  const invalid = rng.chance(0.15) && allowInvalid;
  for (const name of QUERY_PARAMS) {
    if (!rng.chance(name === 'format' ? 0.6 : 0.3)) continue;
    if (invalid && rng.chance(0.35)) {
      pairs.push([name, rng.pick(INVALID[name])]);
      plan.invalid.push(name);
      continue;
    }
    switch (name) {
      case 'bins': {
        plan.bins = rng.weighted([
          [rng.int(1, 256), 3],
          [rng.pick([1, 2, 16, 64, 255, 256]), 2],
        ] as const);
        pairs.push([name, String(plan.bins)]);
        break;
      }
      case 'channels': {
        const picked = CHANNELS.filter(() => rng.chance(0.5));
        const chosen = picked.length > 0 ? picked : [rng.pick(CHANNELS)];
        const sent = rng.chance(0.1) ? [...chosen, chosen[0]!] : chosen; // a repeat is allowed
        plan.channels = [...new Set(chosen)];
        pairs.push([name, sent.map((c) => randomCase(rng, c)).join(',')]);
        break;
      }
      case 'format': {
        plan.format = rng.weighted([
          ['json', 5],
          ['png', 3],
          ['csv', 3],
        ] as const);
        pairs.push([name, randomCase(rng, plan.format)]);
        break;
      }
      case 'width':
      case 'height': {
        // Mostly modest charts; now and then the largest allowed (expensive to draw).
        const value =
          name === 'width' ? (rng.chance(0.05) ? rng.int(2000, 4000) : rng.int(200, 1200)) : rng.chance(0.05) ? rng.int(1500, 3000) : rng.int(100, 800);
        plan[name] = value;
        pairs.push([name, String(value)]);
        break;
      }
      case 'scale':
        pairs.push([name, randomCase(rng, rng.pick(['linear', 'log']))]);
        break;
      case 'type':
        pairs.push([name, randomCase(rng, rng.pick(['line', 'bar']))]);
        break;
    }
  }
  if (invalid && plan.invalid.length === 0) {
    // One parameter made invalid: an absent one added, or a present one's value replaced.
    const name = rng.pick(QUERY_PARAMS);
    const value = rng.pick(INVALID[name]);
    const present = pairs.find(([k]) => k === name);
    if (present) present[1] = value;
    else pairs.push([name, value]);
    plan.invalid.push(name);
  }
  if (rng.chance(0.1)) {
    pairs.push(['unknown', 'ignored']);
    plan.invalid.push('unknown');
  }
  plan.search = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  if (plan.invalid.includes('format')) plan.format = undefined;
  return plan;
}
