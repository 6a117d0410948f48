import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CONFIG_VARIABLES, ConfigError, INTEGER_VARIABLES, containerCpus, loadConfig } from './config.ts';

const OPERATIONS_DOC = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');

function docTable(name: string): string[][] {
  const section = OPERATIONS_DOC.split(`<!-- ${name}:begin -->`)[1]!.split(`<!-- ${name}:end -->`)[0]!;
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('|---'))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

test('serves on 0.0.0.0:8080 with the documented defaults when nothing is set', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.maxUploadBytes, 25 * 1024 * 1024);
  assert.equal(config.maxPixels, 50_000_000);
  assert.equal(config.maxQueue, 64);
  assert.equal(config.requestTimeoutMs, 30_000);
  assert.equal(config.shutdownGraceMs, 25_000);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.apiToken, undefined);
  assert.ok(config.concurrency >= 1);
  assert.ok(Object.isFrozen(config));
});

test('reports every invalid variable at once, naming each and what it received', () => {
  try {
    loadConfig({ PORT: 'eighty', MAX_QUEUE: '-1', CONCURRENCY: '0', LOG_LEVEL: 'loud', MAX_PIXELS: '1.5' });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 5);
    assert.match(error.message, /Expected integer between 0 and 65535 for PORT but received "eighty"/);
    assert.match(error.message, /for MAX_QUEUE but received "-1"/);
    assert.match(error.message, /for CONCURRENCY but received "0"/);
    assert.match(error.message, /for MAX_PIXELS but received "1.5"/);
    assert.match(error.message, /LOG_LEVEL but received "loud"/);
  }
});

test('reads the cgroup v2 CPU quota, rounding up, and v1 when v2 is absent', () => {
  const files = (map: Record<string, string>) => (path: string) => {
    if (path in map) return map[path]!;
    throw new Error('ENOENT');
  };
  // 1.5 CPUs rounds up to 2, capped by the CPUs the machine has.
  assert.equal(containerCpus(files({ '/sys/fs/cgroup/cpu.max': '150000 100000' })), Math.min(2, availableParallelism()));
  assert.equal(containerCpus(files({})), availableParallelism());
  assert.equal(containerCpus(files({ '/sys/fs/cgroup/cpu.max': '50000 100000' })), 1);
  assert.equal(containerCpus(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '100000', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' })), 1);
  assert.ok(containerCpus(files({ '/sys/fs/cgroup/cpu.max': 'max 100000' })) >= 1);
});

test('the configuration table in docs/operations.md lists exactly the variables the server reads, with their defaults', () => {
  const rows = docTable('config');
  const names = rows.map((row) => row[0]!.replaceAll('`', ''));
  assert.deepEqual([...names].sort(), [...CONFIG_VARIABLES].sort());
  const defaults = loadConfig({});
  for (const [name, spec] of Object.entries(INTEGER_VARIABLES)) {
    const cell = rows.find((row) => row[0] === `\`${name}\``)![1]!;
    if (!cell.startsWith('`')) continue; // computed default (CPUs), described in words
    assert.equal(cell, `\`${defaults[spec.key]}\``, `${name} default`);
  }
});
