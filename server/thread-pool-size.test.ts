import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libuvPoolSize, poolSizeNeeded, threadPoolProblem } from './thread-pool-size.ts';

test('libuvPoolSize follows libuv: 4 when unset or empty, the value when set, at most 1024, undefined for anything but a whole number from 1', () => {
  const cases: Array<[string | undefined, number | undefined]> = [
    [undefined, 4],
    ['', 4],
    ['1', 1],
    ['12', 12],
    [' 6 ', 6],
    ['5000', 1024],
    ['0', undefined],
    ['-3', undefined],
    ['8x', undefined],
    ['eight', undefined],
  ];
  for (const [value, expected] of cases) assert.equal(libuvPoolSize({ UV_THREADPOOL_SIZE: value }), expected, `UV_THREADPOOL_SIZE=${value}`);
});

test('the pool needs one thread per image processed at once and two more', () => {
  assert.equal(poolSizeNeeded(1), 3);
  assert.equal(poolSizeNeeded(8), 10);
});

test('threadPoolProblem accepts a pool large enough for CONCURRENCY and names the variable and the size to set otherwise', () => {
  assert.equal(threadPoolProblem({}, 2), undefined);
  assert.equal(threadPoolProblem({ UV_THREADPOOL_SIZE: '10' }, 8), undefined);
  assert.match(threadPoolProblem({}, 8)!, /default of 4 \(UV_THREADPOOL_SIZE is not set\), but CONCURRENCY=8 needs 10 threads.*UV_THREADPOOL_SIZE=10/);
  assert.match(threadPoolProblem({ UV_THREADPOOL_SIZE: '6' }, 8)!, /has UV_THREADPOOL_SIZE=6, but CONCURRENCY=8 needs 10 threads/);
  assert.match(threadPoolProblem({ UV_THREADPOOL_SIZE: 'many' }, 1)!, /Expected a whole number from 1 for UV_THREADPOOL_SIZE but received "many"/);
});

/**
 * Runs an ES module file that blocks libuv's pool with reads of FIFOs nobody writes to (each holds a
 * pool thread in open(2) until a writer comes) and prints how many threads the kernel shows
 * waiting there: the pool's size, up to the number of FIFOs. Linux only (/proc).
 */
async function poolSizeOf(moduleSetsSize: string | undefined, env: Record<string, string>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'pool-size-'));
  try {
    const fifos = Array.from({ length: 16 }, (_, i) => join(dir, `fifo-${i}`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    const script = `
      ${moduleSetsSize === undefined ? '' : `process.env.UV_THREADPOOL_SIZE = '${moduleSetsSize}';`}
      const { openSync, readdirSync, readFileSync, constants } = await import('node:fs');
      const { open } = await import('node:fs/promises');
      const fifos = ${JSON.stringify(fifos)};
      const opened = fifos.map((fifo) => open(fifo, 'r'));
      const waiting = () => readdirSync('/proc/self/task').filter((t) => readFileSync('/proc/self/task/' + t + '/wchan', 'utf8') === 'wait_for_partner').length;
      // Until every FIFO has a thread, or the count has held still for a second.
      let count = 0;
      for (let still = 0, deadline = Date.now() + 10000; count < fifos.length && still < 20 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const now = waiting();
        still = now === count ? still + 1 : 0;
        count = now;
      }
      // A writer for each FIFO (O_RDWR never waits), so every open completes.
      const writers = fifos.map((fifo) => openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
      for (const handle of await Promise.all(opened)) await handle.close();
      console.log(count);
    `;
    const { UV_THREADPOOL_SIZE: _, ...inherited } = process.env;
    // A module file, as the server's entry is (code given with -e is not read from a file).
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, script);
    const child = spawn(process.execPath, [entry], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await once(child, 'exit');
    clearTimeout(timer);
    return Number(out.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const linuxOnly = process.platform === 'linux' ? false : 'counts the pool threads through /proc';

test('an ES module that sets UV_THREADPOOL_SIZE itself still runs on libuv default 4 threads: only the environment the process starts with sizes the pool', {
  skip: linuxOnly,
}, async () => {
  assert.equal(await poolSizeOf('9', {}), 4);
  assert.equal(await poolSizeOf(undefined, { UV_THREADPOOL_SIZE: '9' }), 9);
});

test('the server refuses to start, exit 2, when its environment gives libuv fewer threads than CONCURRENCY needs, and names the setting', async () => {
  const { UV_THREADPOOL_SIZE: _, ...inherited } = process.env;
  const main = new URL('./main.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...inherited, HOST: '127.0.0.1', PORT: '0', CONCURRENCY: '6' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // Started after all (the check is gone): stop it rather than leave it serving.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  assert.equal(code, 2, stderr);
  assert.match(stderr, /CONCURRENCY=6 needs 8 threads.*UV_THREADPOOL_SIZE=8/);
});
