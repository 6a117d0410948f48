import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { pbkdf2 as pbkdf2Callback } from 'node:crypto';
import { ACCESS_LINE, createLogger } from './logger.ts';

const pbkdf2 = promisify(pbkdf2Callback);

function logFile(t: { after(fn: () => void): void }): { fd: number; lines: () => Array<Record<string, unknown>> } {
  const dir = mkdtempSync(join(tmpdir(), 'logger-test-'));
  const path = join(dir, 'out.log');
  const fd = openSync(path, 'w');
  t.after(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  const lines = () =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { fd, lines };
}

test('a lone line is written within a few batching intervals without a flush, with the base fields and its level', async (t) => {
  const { fd, lines } = logFile(t);
  const logger = createLogger('info', { servedBy: 'test' }, fd);
  logger.info(ACCESS_LINE, { n: 1 });
  const deadline = Date.now() + 3000;
  while (lines().length === 0 && Date.now() < deadline) await sleep(20);
  assert.deepEqual(
    lines().map(({ msg, n, servedBy, level }) => ({ msg, n, servedBy, level })),
    [{ msg: ACCESS_LINE, n: 1, servedBy: 'test', level: 'info' }],
  );
});

test('flush() writes every waiting line, the one being written included, in order, and lines under LOG_LEVEL are left out', async (t) => {
  const { fd, lines } = logFile(t);
  const logger = createLogger('info', {}, fd);
  logger.debug('left out');
  // Keep libuv's pool busy, so the asynchronous write the first line is handed to waits in its
  // queue while the others are logged behind it.
  const busy = Array.from({ length: 8 }, () => pbkdf2(Buffer.from('x'), Buffer.from('y'), 100_000, 32, 'sha256'));
  // 1 KiB lines: the fifth fills a batch and starts a write, the ones after wait behind it.
  const filler = 'x'.repeat(1024);
  for (let i = 0; i < 8; i++) logger.info('line', { i, filler });
  logger.warn('last');
  await logger.flush();
  // Read before the busy work is awaited: only the flush can have waited for the writes.
  const written = lines().map(({ msg, i }) => [msg, i]);
  await Promise.all(busy);
  assert.deepEqual(written, [...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => ['line', i]), ['last', undefined]]);
});

test('a process whose log reader never reads exits after flush() gives up, instead of hanging at exit', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'logger-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A FIFO that nobody reads, opened for reading and writing (so opening does not wait for a
  // reader): once its buffer is full, every write waits.
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const logger = new URL('./logger.ts', import.meta.url).href;
  const script = `
    import { openSync, constants } from 'node:fs';
    import { createLogger } from ${JSON.stringify(logger)};
    const log = createLogger('info', {}, openSync(${JSON.stringify(fifo)}, constants.O_RDWR | constants.O_NONBLOCK));
    for (let i = 0; i < 64; i++) log.info('line', { filler: 'x'.repeat(4096) });
    await log.flush(200);
    log.info('after the flush, dropped');
    process.exit(0);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearTimeout(timer);
  assert.deepEqual([code, signal], [0, null], `the process did not exit by itself\n${stderr}`);
});
