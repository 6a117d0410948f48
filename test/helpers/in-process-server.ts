// Serves the app from the test's own process on 127.0.0.1 and a port chosen by the OS: the app,
// HTTP server and image threads that server/main.ts builds, over a real socket, without a child
// process (which costs a second start of tsx and the server's modules per test file). For
// tests about HTTP behaviour; tests about the process itself (signals, draining, exit codes,
// its memory and environment) start it with server-process.ts.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig, type Config } from '../../server/config.ts';
import { createApp } from '../../server/app.ts';
import { createServices, type AppServices } from '../../server/app-services.ts';
import { createHttpServer } from '../../server/http/create-http-server.ts';
import type { LogFields, Logger } from '../../server/logger.ts';
import type { ImagePool } from '../../server/worker/image-pool.ts';

export interface InProcessServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  config: Config;
  services: AppServices;
  /** Every line logged at LOG_LEVEL info and above, as JSON: level, msg and the fields. */
  logs: string[];
  /** Closes the listener and every connection, then the image threads (unless shared). */
  stop(): Promise<void>;
}

export interface InProcessOptions {
  /** Environment variables for loadConfig, over HOST=127.0.0.1 PORT=0 CONCURRENCY=1. */
  env?: Record<string, string>;
  /** Image threads shared by several servers of one file; stop() then leaves them running. */
  images?: ImagePool;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A logger keeping each line, shaped as the server's pino lines are (level, msg, fields). */
function recordingLogger(config: Config, lines: string[]): Logger {
  const threshold = LEVELS.indexOf(config.logLevel as (typeof LEVELS)[number]);
  const at =
    (level: (typeof LEVELS)[number]) =>
    (msg: string, fields: LogFields = {}) => {
      if (threshold < 0 || LEVELS.indexOf(level) < threshold) return;
      lines.push(JSON.stringify({ level, time: new Date().toISOString(), servedBy: config.podName, ...fields, msg }));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), flush: async () => {} };
}

/**
 * Builds the configuration from `env` (one image thread unless CONCURRENCY says otherwise:
 * each thread loads and warms up the chart code), serves the app and resolves once the image
 * threads are warm (/readyz 200).
 * @throws {ConfigError} when `env` is invalid.
 */
export async function startInProcessServer(options: InProcessOptions = {}): Promise<InProcessServer> {
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', CONCURRENCY: '1', ...options.env });
  const logs: string[] = [];
  const services = createServices(config, { logger: recordingLogger(config, logs), ...(options.images ? { images: options.images } : {}) });
  const { app } = createApp(config, services);
  const server: Server = createHttpServer(app, services);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, config.host, resolve));
  await services.images.ready();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config,
    services,
    logs,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      if (!options.images) await services.images.close();
    },
  };
}
