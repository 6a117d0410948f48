// Gives every request an id (a plausible incoming X-Request-Id is kept) and stamps every answer
// with it and with the replica's name, so a load test can see how requests spread.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

// No header injection, no log spam.
const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** Middleware: sets `requestId`, and X-Request-Id and X-Served-By on the answer. */
export function requestIdentity(servedBy: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    // Set before the answer exists, so every answer the app builds starts with them. Setting a
    // header on a finished answer makes hono rebuild it as a web Response around its body, which
    // the Node adapter then has to stream out: about a tenth of a small image's request.
    c.header('X-Request-Id', requestId);
    c.header('X-Served-By', servedBy);
    await next();
    // An answer made as a Response of its own (static assets) does not have them yet.
    if (!c.res.headers.has('X-Request-Id')) {
      c.header('X-Request-Id', requestId);
      c.header('X-Served-By', servedBy);
    }
  };
}
