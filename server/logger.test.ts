import { test } from 'node:test';
import assert from 'node:assert/strict';
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

test('a lone access-log line is written within a few batching intervals, without a flush', async (t) => {
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
  for (let i = 0; i < 5; i++) logger.info('line', { i });
  logger.warn('last');
  await logger.flush();
  await Promise.all(busy);
  assert.deepEqual(
    lines().map(({ msg, i }) => [msg, i]),
    [...[0, 1, 2, 3, 4].map((i) => ['line', i]), ['last', undefined]],
  );
});

test('access-log lines wait for their batch; any other line is written at once, with the ones waiting before it', async (t) => {
  const { fd, lines } = logFile(t);
  // A batching interval far longer than the test: only a prompt line can write anything.
  const logger = createLogger('info', {}, fd, 60_000);
  logger.info(ACCESS_LINE, { n: 1 });
  logger.info(ACCESS_LINE, { n: 2 });
  await sleep(50);
  assert.deepEqual(lines(), [], 'access-log lines were written before their batch was due');
  logger.info('ready');
  const deadline = Date.now() + 5000;
  while (lines().length < 3 && Date.now() < deadline) await sleep(10);
  assert.deepEqual(
    lines().map(({ msg, n }) => [msg, n]),
    [
      [ACCESS_LINE, 1],
      [ACCESS_LINE, 2],
      ['ready', undefined],
    ],
  );
  await logger.flush();
});
