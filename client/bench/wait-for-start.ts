// Waiting before the clock starts: until the target is ready (`--until-ready`) and until the
// agreed instant (`--start-at`), so the pods of one Job neither measure a cold start nor skew.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** GETs `url` once; resolves with the status code, or 0 when the request failed. */
function probe(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/**
 * Polls `/readyz` on `base`'s origin with `headers` (e.g. the Ingress Host) every `intervalMs`
 * until it answers 200. @throws Error when `deadlineMs` passes first, with the last status seen.
 */
export async function waitUntilReady(
  base: URL,
  headers: Record<string, string>,
  deadlineMs: number,
  log: (line: string) => void,
  intervalMs = 500,
): Promise<void> {
  const readyz = new URL('/readyz', base.origin);
  const giveUpAt = Date.now() + deadlineMs;
  let last = 0;
  for (let attempt = 1; ; attempt++) {
    last = await probe(readyz, headers, Math.min(2_000, deadlineMs));
    if (last === 200) {
      log(`${readyz.href} ready after ${attempt} attempt(s)`);
      return;
    }
    if (Date.now() + intervalMs > giveUpAt) break;
    await sleep(intervalMs);
  }
  throw new Error(`${readyz.href} was not ready within ${deadlineMs} ms (last answer: ${last === 0 ? 'no response' : `HTTP ${last}`})`);
}

/** Sleeps until the ISO instant `startAt`; returns at once when it has passed. @throws on a bad time. */
export async function waitUntilInstant(startAt: string, log: (line: string) => void): Promise<void> {
  const at = Date.parse(startAt);
  if (Number.isNaN(at)) throw new Error(`Expected an ISO 8601 time for --start-at but received "${startAt}"`);
  const wait = at - Date.now();
  if (wait <= 0) {
    log(`--start-at ${startAt} passed ${-wait} ms ago: starting now`);
    return;
  }
  log(`waiting ${wait} ms until ${new Date(at).toISOString()}`);
  await sleep(wait);
}
