// Entry point: reads the environment, serves the app, and drains gracefully on SIGTERM/SIGINT.
// The only module that listens, touches process.env or calls process.exit.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createApp } from './app.ts';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`histogram-service: ${error.message}\n`);
  process.exit(2);
}

const { app, services, close } = createApp(config);
const { logger, lifecycle } = services;

const server: ServerType = serve({
  fetch: app.fetch,
  port: config.port,
  hostname: config.host,
  // Bodies we refuse are not drained: the response says Connection: close instead.
  autoCleanupIncoming: false,
  serverOptions: { requestTimeout: config.requestTimeoutMs + 5_000, keepAliveTimeout: 65_000 },
});
server.once('listening', () => {
  const address = server.address() as AddressInfo;
  logger.info('listening', { port: address.port, host: config.host, concurrency: config.concurrency, maxQueue: config.maxQueue });
});
server.once('error', (error) => {
  logger.error('cannot listen', { error: String(error) });
  process.exit(1);
});
void services.pool.ready().then(() => logger.info('ready'));

let shuttingDown = false;
function shutdown(signal: NodeJS.Signals) {
  if (shuttingDown) {
    logger.warn('second signal: exiting now', { signal });
    process.exit(130);
  }
  shuttingDown = true;
  // 1. Unready at once, still serving, so the endpoints controller can take the pod out.
  lifecycle.draining = true;
  logger.info('draining', { signal, delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs });
  const deadline = setTimeout(() => {
    logger.error('grace period over: exiting with requests unfinished', { graceMs: config.shutdownGraceMs });
    process.exit(1);
  }, config.shutdownGraceMs);
  deadline.unref();
  // 2. Then stop accepting, let in-flight requests finish, close keep-alive connections.
  setTimeout(() => {
    lifecycle.closed = true;
    const http = server as Server;
    http.close(async () => {
      await close();
      logger.info('stopped');
      process.exit(0);
    });
    http.closeIdleConnections();
    // Connections that were busy become idle after their response (which says Connection: close).
    setInterval(() => http.closeIdleConnections(), 250).unref();
  }, Math.min(config.shutdownDelayMs, config.shutdownGraceMs)).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
