// Structured logs: one JSON object per line on stdout, filtered by LOG_LEVEL, written by pino
// through its own asynchronous destination (sonic-boom), so a slow log reader never stalls the
// event loop (a synchronous write to a full pipe would). Lines are written in batches of 4 KiB,
// or every 100 ms, whichever comes first, as pino's documentation on asynchronous logging
// configures it: one write per line costs measurably more CPU per answered request
// (docs/benchmarks.md). The buffer is bounded: past it, lines are dropped.
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
   * included (call before process.exit; pino writes any later line synchronously at exit).
   * After `timeoutMs` (default 2000) with the reader still not reading, drops what is left and
   * resolves, so that the exit cannot hang on it. Never rejects.
   */
  flush(timeoutMs?: number): Promise<void>;
}

/** Lines buffered while the reader is slow, in bytes, before new lines are dropped. */
const MAX_BUFFERED = 16 * 1024 * 1024;
/** The message of access-log lines (one per answered request). */
export const ACCESS_LINE = 'request';
/** Longest a flush waits for a reader that does not read. */
const FLUSH_TIMEOUT_MS = 2_000;
/** Lines are written once this many bytes are waiting… */
const BATCH_BYTES = 4096;
/** …or this often, so a quiet server's lines appear within a tenth of a second. */
const BATCH_MS = 100;

/**
 * A logger writing lines such as {"level":"info","time":"…","msg":"listening","port":8080} to
 * `fd` (default 1, stdout), each within a tenth of a second of being logged.
 */
export function createLogger(level: LogLevel, base: LogFields = {}, fd = 1): Logger {
  const destination = pino.destination({ dest: fd, sync: false, minLength: BATCH_BYTES, periodicFlush: BATCH_MS, maxLength: MAX_BUFFERED });
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
  // Set when a flush gives up on a stuck reader: the destination is closed, later lines go nowhere.
  let closed = false;
  const line = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields: LogFields | undefined) => {
    if (closed) return;
    log[level](fields ?? {}, msg);
  };
  return {
    debug: (msg, fields) => line('debug', msg, fields),
    info: (msg, fields) => line('info', msg, fields),
    warn: (msg, fields) => line('warn', msg, fields),
    error: (msg, fields) => line('error', msg, fields),
    flush: (timeoutMs = FLUSH_TIMEOUT_MS) =>
      new Promise<void>((resolve) => {
        // Not flushSync: a line already handed to an asynchronous write would land after the
        // synchronous ones, or be lost if the process exits before that write completes.
        const timer = setTimeout(() => {
          // The reader is stuck: pino's own synchronous flush at exit would wait for it
          // forever. A destroyed destination is skipped at exit.
          closed = true;
          destination.destroy();
          resolve();
        }, timeoutMs);
        try {
          // Called once the write in progress and every line after it are written (or failed).
          destination.flush(() => {
            clearTimeout(timer);
            resolve();
          });
        } catch {
          clearTimeout(timer);
          resolve();
        }
      }),
  };
}
