// The Node HTTP server around the app: its timeouts, `Expect: 100-continue` left to the app
// (which answers 100 only once it will read the body, so a refused client never sends it),
// and JSON answers for requests the HTTP parser rejects.
import http from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AppServices } from '../app-services.ts';
import { answerClientError } from './client-error.ts';

/** Creates (does not start) the server for `app`. */
export function createHttpServer(app: Hono<AppEnv>, { config, metrics, logger }: AppServices): http.Server {
  // Bodies answered early are settled by the app (drained or left unread), not by the adapter.
  const listener = getRequestListener(app.fetch as Parameters<typeof getRequestListener>[0], { autoCleanupIncoming: false });
  const server = http.createServer(
    {
      // Node requires headersTimeout ≤ requestTimeout.
      headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs + 5_000),
      // Node's own backstop; the app answers 504 at REQUEST_TIMEOUT_MS first.
      requestTimeout: config.requestTimeoutMs + 5_000,
      keepAliveTimeout: 65_000,
      // How often Node checks the two timeouts above (its default, 30 s, lets a slow client
      // hold a connection for up to half a minute past them).
      connectionsCheckingInterval: 1_000,
    },
    listener,
  );
  server.on('checkContinue', listener);
  // The answer in progress on each connection, for the parser errors that arrive meanwhile.
  const answering = new WeakMap<Socket, http.ServerResponse>();
  const track = (request: http.IncomingMessage, response: http.ServerResponse) => {
    answering.set(request.socket, response);
    response.once('close', () => {
      if (answering.get(request.socket) === response) answering.delete(request.socket);
    });
  };
  server.on('request', track);
  server.on('checkContinue', track);
  server.on(
    'clientError',
    answerClientError(metrics, logger, config.headersTimeoutMs, (socket) => answering.get(socket)?.headersSent === true),
  );
  return server;
}
