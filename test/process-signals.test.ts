// `npm start` as a supervisor, a test harness or a script runs it: SIGTERM to the npm process
// reaches the server, which drains and exits, releasing its port and leaving no process behind;
// a taken port gets a message that names PORT. The real npm runs the real start and prestart
// scripts in a copy of the package whose dist/server/main.js loads the TypeScript sources (so the
// test needs no build and runs today's code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './helpers/free-port.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const linuxOnly = process.platform === 'linux' ? false : 'reads /proc to find the processes npm started';
/** Bounds every wait: start-up under a loaded machine, and the drain. */
const START_TIMEOUT_MS = 60_000;
const GRACE_MS = 10_000;

/**
 * A copy of the package in a temporary folder: the real package.json and prestart script, a
 * dist/server/main.js that loads the sources through tsx, and a build stamp newer than every
 * source it can see, so the prestart script starts without building.
 */
function packageCopy(t: { after(fn: () => void): void }): string {
  const dir = tempPackage(t, 'npm-start-');
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(root, 'scripts/build-if-stale.mjs'), join(dir, 'scripts/build-if-stale.mjs'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'dist/server'), { recursive: true });
  const main = new URL('../server/main.ts', import.meta.url).href;
  writeFileSync(join(dir, 'dist/server/main.js'), `import { register } from 'tsx/esm/api';\nregister();\nawait import(${JSON.stringify(main)});\n`);
  writeFileSync(join(dir, 'dist/.build-complete'), `${new Date().toISOString()}\n`);
  return dir;
}

/** An empty folder for a package, removed after the test with every process still running in it. */
function tempPackage(t: { after(fn: () => void): void }, prefix: string): string {
  // The real path: /proc shows working directories with symbolic links resolved.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  t.after(() => {
    // A failed test may leave the server running: kill it by process id before the folder goes.
    for (const { pid } of processesIn(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

interface NpmStart {
  npm: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

function npmStart(dir: string, env: Record<string, string>): NpmStart {
  const npm = spawn('npm', ['start'], {
    cwd: dir,
    env: { ...process.env, HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '0', SHUTDOWN_GRACE_MS: String(GRACE_MS), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  npm.stdout!.on('data', (chunk) => (stdout += chunk));
  npm.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { npm, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Processes whose working directory is `dir`: everything `npm start` started there. */
function processesIn(dir: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) !== dir) continue;
      found.push({ pid: Number(name), command: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return found;
}

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ...", and comm may hold spaces or parentheses.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      found.push({ pid: Number(name), command: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

const noneLeft = (dir: string) =>
  until(`every process in ${dir} to exit`, () => (processesIn(dir).length === 0 ? true : undefined), 10_000).catch(() => undefined);

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

test('SIGTERM to the npm process of `npm start` drains the server, which exits 0 within SHUTDOWN_GRACE_MS, releases its port and leaves no process behind', {
  skip: linuxOnly,
}, async (t) => {
  const dir = packageCopy(t);
  const port = await freePort();
  const run = npmStart(dir, { PORT: String(port) });
  await until('the human-readable listening line', () => (run.stderr().includes(`listening on http://127.0.0.1:${port}`) ? true : undefined), START_TIMEOUT_MS);
  await until(
    '/readyz 200',
    () =>
      fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => (r.status === 200 ? true : undefined),
        () => undefined,
      ),
    START_TIMEOUT_MS,
  );
  // The process npm started is node itself (the start script's shell replaced by it), with
  // libuv's pool sized from the CPUs in its environment.
  const started = childrenOf(run.npm.pid!);
  assert.equal(started.length, 1, `npm started one process: ${JSON.stringify(started)}`);
  assert.match(started[0]!.command, /^node .*dist\/server\/main\.js$/);
  const environ = readFileSync(`/proc/${started[0]!.pid}/environ`, 'utf8').split('\0');
  const cpus = Number(execFileSync('getconf', ['_NPROCESSORS_ONLN'], { encoding: 'utf8' }));
  assert.ok(environ.includes(`UV_THREADPOOL_SIZE=${cpus + 2}`), 'UV_THREADPOOL_SIZE set from the CPU count');

  const signalled = Date.now();
  run.npm.kill('SIGTERM');
  const [code, signal] = await Promise.race([
    run.exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`npm still running ${GRACE_MS + 5_000} ms after SIGTERM\n${run.stderr()}`)), GRACE_MS + 5_000),
    ),
  ]);
  assert.ok(Date.now() - signalled < GRACE_MS, 'exited within SHUTDOWN_GRACE_MS');
  assert.deepEqual([code, signal], [0, null], run.stderr());
  const messages = run
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
  assert.deepEqual(messages.slice(-2), ['draining', 'stopped']);
  assert.ok(await refused(port), 'the port is released');
  await noneLeft(dir);
  assert.deepEqual(processesIn(dir), [], 'no process left behind');
});

test('`npm start` on a port already in use exits non-zero with a message naming the port and PORT', { skip: linuxOnly }, async (t) => {
  const dir = packageCopy(t);
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.after(() => taken.close());
  const port = (taken.address() as { port: number }).port;
  const run = npmStart(dir, { PORT: String(port) });
  const [code] = await Promise.race([
    run.exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`npm start still running after ${START_TIMEOUT_MS} ms\n${run.stderr()}`)), START_TIMEOUT_MS),
    ),
  ]);
  assert.notEqual(code, 0);
  assert.match(
    run.stderr(),
    new RegExp(`cannot listen on port ${port} on 127\\.0\\.0\\.1: the port is already in use.*choose another port with PORT, e\\.g\\. PORT=\\d+ npm start`),
  );
  const logged = run
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; code?: string; port?: number });
  assert.ok(logged.some((entry) => entry.msg === 'cannot listen' && entry.code === 'EADDRINUSE' && entry.port === port));
  await noneLeft(dir);
  assert.deepEqual(processesIn(dir), [], 'no process left behind');
});

test('SIGTERM to `npm start` while the prestart script builds stops the build and every process it started', { skip: linuxOnly }, async (t) => {
  const dir = tempPackage(t, 'npm-start-build-');
  // A package whose build outlasts the test (and never finishes the start): no dist/ yet, so
  // the prestart script builds.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const scripts = { prestart: pkg.scripts.prestart, start: pkg.scripts.start, build: 'node -e "setTimeout(() => {}, 120000)" && echo built' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'build-stop', version: '1.0.0', type: 'module', scripts }));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(root, 'scripts/build-if-stale.mjs'), join(dir, 'scripts/build-if-stale.mjs'));
  const run = npmStart(dir, {});
  await until('the build to start', () => (processesIn(dir).some(({ command }) => command.includes('setTimeout')) ? true : undefined), START_TIMEOUT_MS);
  run.npm.kill('SIGTERM');
  const [code, signal] = await Promise.race([
    run.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`npm still running 15 s after SIGTERM\n${run.stderr()}`)), 15_000)),
  ]);
  assert.ok(code !== 0 || signal !== null, 'npm did not report success');
  assert.match(run.stderr(), /the build was stopped \(SIGTERM\); not starting/);
  await noneLeft(dir);
  assert.deepEqual(processesIn(dir), [], 'no process left behind');
});
