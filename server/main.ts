// Entry point: reads the environment, serves the app, and drains gracefully on SIGTERM/SIGINT.
// The only module that listens, touches process.env or calls process.exit.
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { trackConnections } from './http/connection-tracker.ts';
import { createHttpServer } from './http/create-http-server.ts';
import { listenErrorMessage, listeningMessage } from './start-up-messages.ts';
import { libuvPoolSize, threadPoolProblem } from './thread-pool-size.ts';
import { deprioritizeOtherThreads } from './thread-priority.ts';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`histogram-service: ${error.message}\n`);
  process.exit(2);
}
// sharp decodes on libuv's thread pool, whose size only the environment the process started
// with can set (thread-pool-size.ts): refuse to start with too few threads rather than serve
// CONCURRENCY images through fewer.
const poolProblem = threadPoolProblem(process.env, config.concurrency);
if (poolProblem !== undefined) {
  process.stderr.write(`histogram-service: ${poolProblem}\n`);
  process.exit(2);
}

const { app, services, close } = createApp(config);
const { logger, lifecycle } = services;
const exit = (code: number) => {
  void logger.flush().finally(() => process.exit(code));
};

const server = createHttpServer(app, services);
const connections = trackConnections(server);
server.once('listening', () => {
  const address = server.address() as AddressInfo;
  logger.info('listening', {
    port: address.port,
    host: config.host,
    concurrency: config.concurrency,
    maxQueue: config.maxQueue,
    maxWaiting: config.maxWaiting,
    threadPool: libuvPoolSize(process.env),
  });
  process.stderr.write(`${listeningMessage(config.host, address.port)}\n`);
});
server.once('error', (error: NodeJS.ErrnoException) => {
  logger.error('cannot listen', { error: String(error), code: error.code, port: config.port, host: config.host });
  process.stderr.write(`${listenErrorMessage(error, config.host, config.port)}\n`);
  exit(1);
});
server.listen(config.port, config.host);
void services.images.ready().then(() => {
  // /readyz answers 200 from now on. Every image, libuv and libvips thread exists: put them
  // all below the event loop.
  logger.info('ready', { deprioritizedThreads: deprioritizeOtherThreads() });
});

// A connection open this long without a complete request is not a request in flight.
const QUIET_MS = 1_000;
let shuttingDown = false;
function shutdown(signal: NodeJS.Signals) {
  if (shuttingDown) {
    logger.warn('second signal: exiting now', { signal });
    exit(130);
  }
  shuttingDown = true;
  // 1. Unready at once, still serving, so the endpoints controller can take the pod out.
  lifecycle.draining = true;
  logger.info('draining', { signal, delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs });
  const deadline = setTimeout(() => {
    logger.error('grace period over: exiting with requests unfinished', { graceMs: config.shutdownGraceMs, connections: connections.size });
    connections.destroyAll();
    exit(1);
  }, config.shutdownGraceMs);
  deadline.unref();
  // 2. Then stop accepting, and close connections that hold no request: idle keep-alive ones,
  // and ones that have not sent a complete request in QUIET_MS (slow clients). Requests still
  // arriving on open connections are served (a proxy may already have sent them) with
  // Connection: close; in-flight requests finish. Exit once every connection has closed.
  setTimeout(
    () => {
      lifecycle.closed = true;
      connections.stopAccepting(async () => {
        await close();
        logger.info('stopped');
        exit(0);
      });
      connections.closeIdle(QUIET_MS);
      setInterval(() => connections.closeIdle(QUIET_MS), 250).unref();
    },
    Math.min(config.shutdownDelayMs, config.shutdownGraceMs),
  ).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
