// When and how long to wait before another attempt: Retry-After if the server sent one,
// else exponential backoff with jitter.

/** Base of the exponential backoff (first retry waits about this long). */
export const BACKOFF_BASE_MS = 250;
/** No single wait is longer than this, whatever the server's Retry-After says. */
export const MAX_WAIT_MS = 30_000;

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds or an HTTP date (RFC 9110
 * §10.2.3). Undefined when absent or unparseable; never negative; capped at MAX_WAIT_MS.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  // An HTTP date always names a weekday and month; without letters Date.parse would read
  // "-3" as a year.
  else if (/[a-z]/i.test(text)) {
    const date = Date.parse(text);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  } else return undefined;
  return Math.min(Math.max(ms, 0), MAX_WAIT_MS);
}

/**
 * The wait before retry number `attempt` (0 for the first retry): 250 ms · 2^attempt, capped at
 * 8 s, with "full jitter" between half and all of it so many clients do not retry in lock-step.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_BASE_MS * 2 ** attempt, 8_000);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
