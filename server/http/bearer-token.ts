// API_TOKEN check for the histogram routes: `Authorization: Bearer <token>`, compared in
// constant time. Every failure is a 401 (hono's bearerAuth answers 400 for malformed headers).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';

/** Middleware that throws 401 UNAUTHORIZED unless the request carries the token. */
export function requireBearerToken(token: string): MiddlewareHandler {
  // Compare digests: equal lengths for timingSafeEqual, and no length leak.
  const expected = createHash('sha256').update(token).digest();
  return async (c, next) => {
    const match = /^Bearer +([^\s]+) *$/i.exec(c.req.header('authorization') ?? '');
    const given = match ? createHash('sha256').update(match[1]!).digest() : undefined;
    if (!given || !timingSafeEqual(given, expected)) {
      throw new ApiError('UNAUTHORIZED', 'this route needs the header "Authorization: Bearer <API_TOKEN>"', { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };
}
