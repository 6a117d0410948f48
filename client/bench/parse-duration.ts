// Parses the CLI's durations: "30s", "500ms", "2m", "1h"; a bare number means seconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in `text`. @throws Error naming the value when it is not a duration >= 0. */
export function parseDuration(text: string | number, option = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(text));
  if (!match) throw new Error(`Expected a duration such as 30s, 500ms or 2m for --${option} but received "${text}"`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']!);
}
