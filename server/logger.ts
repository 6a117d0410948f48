// Structured logs: one JSON object per line on stdout, filtered by LOG_LEVEL, written by pino
// through an asynchronous destination, so a slow log reader never stalls the event loop (a
// synchronous write to a full pipe would). The buffer is bounded: past it, lines are dropped.
// Access-log lines (one per answered request) are written in batches of at least 4 KiB, or
// every 100 ms, whichever comes first, rather than one asynchronous write (a hand-off to
// libuv's thread pool) each: 1–2 % more 225×225 JPEGs per second on one CPU. Every other line
// (start-up, readiness, drain, warnings, errors) is written at once, with what waits before it,
// so whoever watches for "listening" or "ready" sees it without delay.
import pino from 'pino';
import type { LogLevel } from './config.ts';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /**
   * Resolves once every line logged so far is written, the one being written at the time
   * included (call before process.exit); after `timeoutMs` (default 2000), writes what is still
   * buffered synchronously and resolves. Never rejects.
   */
  flush(timeoutMs?: number): Promise<void>;
}

/** Lines buffered while the reader is slow, in bytes, before new lines are dropped. */
const MAX_BUFFERED = 16 * 1024 * 1024;
/** The message of access-log lines, the ones written in batches. */
export const ACCESS_LINE = 'request';
/** Longest a flush waits for the writes in progress before writing the rest synchronously. */
const FLUSH_TIMEOUT_MS = 2_000;
/** Batched lines are written once this many bytes are waiting… */
const BATCH_BYTES = 4096;
/** …or this often, so a quiet server's lines appear within a tenth of a second. */
const BATCH_MS = 100;

/**
 * A logger writing lines such as {"level":"info","time":"…","msg":"listening","port":8080} to
 * `fd` (default 1, stdout); access-log lines wait up to `batchMs` (default 100) for a batch.
 */
export function createLogger(level: LogLevel, base: LogFields = {}, fd = 1, batchMs = BATCH_MS): Logger {
  const destination = pino.destination({ dest: fd, sync: false, maxLength: MAX_BUFFERED, minLength: BATCH_BYTES, periodicFlush: batchMs });
  // A closed stdout (a log reader gone, `| head`) must not crash the server: drop the lines.
  destination.on('error', () => {});
  const log = pino(
    {
      level,
      base,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  // A line other than an access-log line is written at once with what waits before it (an
  // asynchronous write; while one is in progress, within the batching interval at the latest).
  const line = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: LogFields | undefined) => {
    if (!log.isLevelEnabled(level)) return;
    log[level](fields ?? {}, msg);
    if (msg === ACCESS_LINE) return;
    try {
      destination.flush();
    } catch {
      // stdout is gone: the line is dropped, as the destination's errors are
    }
  };
  return {
    debug: (msg, fields) => line('debug', msg, fields),
    info: (msg, fields) => line('info', msg, fields),
    warn: (msg, fields) => line('warn', msg, fields),
    error: (msg, fields) => line('error', msg, fields),
    // Not flushSync alone: a line already handed to an asynchronous write would land after the
    // synchronous ones, or be lost if the process exits before that write completes.
    flush: (timeoutMs = FLUSH_TIMEOUT_MS) =>
      new Promise<void>((resolve) => {
        const writeRest = () => {
          try {
            destination.flushSync();
          } catch {
            // nothing to flush, or stdout is gone
          }
          resolve();
        };
        const timer = setTimeout(writeRest, timeoutMs);
        try {
          // Called once the write in progress (or one started now) is done; what is still
          // buffered then goes out synchronously, after it and in order.
          destination.flush(() => {
            clearTimeout(timer);
            writeRest();
          });
        } catch {
          clearTimeout(timer);
          resolve();
        }
      }),
  };
}
