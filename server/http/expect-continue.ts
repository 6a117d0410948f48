// Whether the client holds its body back until told to send it (`Expect: 100-continue`).
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';

/** True when the request asked for `100 Continue` before sending its body (RFC 9110 §10.1.1). */
export function continueExpected(c: Context<AppEnv>): boolean {
  return /100-continue/i.test(c.req.header('expect') ?? '');
}
