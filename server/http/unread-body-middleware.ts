// After every answer: what happens to the unread rest of the request body. Drained (so the
// connection can serve the next request), or not read at all when the client stalled, timed
// out, or was never told to send it (Expect: 100-continue without our 100).
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { continueExpected } from './expect-continue.ts';
import { bodyAllowance } from './read-upload.ts';
import { settleRequestBody } from './settle-request-body.ts';

/** How long a drain may take before the connection is closed instead. */
const DRAIN_MAX_MS = 5_000;

/** Settles the unread body of every request; `maxUploadBytes` sizes the drain. */
export function settleUnreadBody(maxUploadBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const incoming = c.env?.incoming;
    if (!incoming) return;
    const status = c.res.status;
    const heldBack = continueExpected(c) && !c.get('continueSent');
    const mode = status === 408 || status === 504 || heldBack ? 'close' : 'drain';
    // Twice the allowance: an upload a little over the limit (the usual 413) is drained whole, so
    // even a client that writes everything before reading gets its answer; past that, the
    // connection is cut rather than read for long.
    const maxBytes = 2 * bodyAllowance(c.req.header('content-type'), maxUploadBytes);
    const close = settleRequestBody(incoming, mode, { maxBytes, maxMs: DRAIN_MAX_MS });
    if (close || status === 413) c.header('Connection', 'close');
  };
}
