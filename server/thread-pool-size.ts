// The size of libuv's thread pool: what the process was started with, and what CONCURRENCY
// needs. libuv reads UV_THREADPOOL_SIZE once, when its pool first starts, and under Node 20 the
// ES module loader reads the entry module's files through that pool: the pool has started
// before any of the server's code runs, so setting the variable from inside the process changes
// nothing. It must be in the environment the process is started with (`npm start` sets it).

/** libuv's pool size when UV_THREADPOOL_SIZE is not set (libuv src/threadpool.c). */
export const LIBUV_DEFAULT_POOL_SIZE = 4;
/** libuv's largest pool (MAX_THREADPOOL_SIZE in libuv src/threadpool.c). */
export const LIBUV_MAX_POOL_SIZE = 1024;

/**
 * The threads libuv's pool has when started with `env`: LIBUV_DEFAULT_POOL_SIZE when the
 * variable is unset or empty, else its value, capped at LIBUV_MAX_POOL_SIZE; undefined when the
 * value is not a whole number from 1 up (libuv would read it with atoi, so "8x" counts as 8 and
 * "x" as 1: such a value is a mistake, not a size).
 */
export function libuvPoolSize(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env.UV_THREADPOOL_SIZE?.trim();
  if (raw === undefined || raw === '') return LIBUV_DEFAULT_POOL_SIZE;
  if (!/^[1-9]\d*$/.test(raw)) return undefined;
  return Math.min(Number(raw), LIBUV_MAX_POOL_SIZE);
}

/**
 * Threads the pool needs for `concurrency` images at once: sharp holds one for each image it
 * decodes or encodes, and two more keep file system and DNS work from queueing behind them.
 */
export function poolSizeNeeded(concurrency: number): number {
  return concurrency + 2;
}

/**
 * Why the pool the process was started with (from `env`) cannot serve `concurrency` images at
 * once, as a message for the operator; undefined when it can.
 */
export function threadPoolProblem(env: Readonly<Record<string, string | undefined>>, concurrency: number): string | undefined {
  const size = libuvPoolSize(env);
  const needed = poolSizeNeeded(concurrency);
  const fix = `start the server with UV_THREADPOOL_SIZE=${needed} (or more) in its environment; setting it from inside the process has no effect, as libuv's pool has started by then`;
  if (size === undefined) return `Expected a whole number from 1 for UV_THREADPOOL_SIZE but received "${env.UV_THREADPOOL_SIZE}": ${fix}`;
  if (size >= needed) return undefined;
  const given = env.UV_THREADPOOL_SIZE?.trim() ? `UV_THREADPOOL_SIZE=${size}` : `libuv's default of ${size} (UV_THREADPOOL_SIZE is not set)`;
  return `libuv's thread pool has ${given}, but CONCURRENCY=${concurrency} needs ${needed} threads (one per image in flight, two for file and DNS work): ${fix}`;
}
