// Entry point: reads the environment, serves the app, and drains gracefully on SIGTERM/SIGINT.
// The only module that listens, touches process.env or calls process.exit.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createApp } from './app.ts';
import { trackConnections } from './http/connection-tracker.ts';
import { deprioritizeOtherThreads } from './thread-priority.ts';

// A closed stdout (a log reader gone, `| head`) must not crash the server: drop the lines.
process.stdout.on('error', () => {});

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
const connections = trackConnections(server as Server);
server.once('listening', () => {
  const address = server.address() as AddressInfo;
  logger.info('listening', { port: address.port, host: config.host, concurrency: config.concurrency, maxQueue: config.maxQueue });
});
server.once('error', (error) => {
  logger.error('cannot listen', { error: String(error) });
  process.exit(1);
});
void services.pool.ready().then(() => {
  // Every worker, libuv and libvips thread exists now: put them all below the event loop.
  logger.info('ready', { deprioritizedThreads: deprioritizeOtherThreads() });
});

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
  // 2. Then stop accepting and close idle keep-alive connections. Requests still arriving on
  // open connections are served (a proxy may already have sent them) with Connection: close;
  // in-flight requests finish. Exit once every connection has closed.
  setTimeout(() => {
    lifecycle.closed = true;
    connections.stopAccepting(async () => {
      await close();
      logger.info('stopped');
      process.exit(0);
    });
    connections.closeIdleKeepAlive();
    setInterval(() => connections.closeIdleKeepAlive(), 250).unref();
  }, Math.min(config.shutdownDelayMs, config.shutdownGraceMs)).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
