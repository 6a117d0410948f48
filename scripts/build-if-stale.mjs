// `npm start`'s prestart: builds dist/ with `npm run build` unless the last build it made is
// newer than every source file, and says which it did (a full tsc build takes a while on a
// small machine, so starting without one when nothing changed saves that wait). A SIGTERM or
// SIGINT during the build stops the whole build (npm, its shell, tsc) and this script with it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// What the build reads: the compiled folders (tests excluded, as tsconfig.build.json does),
// the web page copied beside them, the compiler settings and the build's own script.
const SOURCE_DIRS = ['server', 'client'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/copy-web-assets.mjs'];
// Written only after a build succeeded: tsc emits files even when it reports errors, so the
// age of dist/ alone cannot tell a good build from a failed one.
const STAMP = 'dist/.build-complete';
const ENTRY = 'dist/server/main.js';

/** The newest source file as [path, mtimeMs]. */
function newestSource() {
  let newest = ['', 0];
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (!path.endsWith('.test.ts') && stat.mtimeMs > newest[1]) {
      newest = [path, stat.mtimeMs];
    }
  };
  for (const path of [...SOURCE_DIRS, ...SOURCE_FILES]) if (existsSync(path)) visit(path);
  return newest;
}

function why() {
  if (!existsSync(ENTRY)) return 'no build in dist/ yet';
  if (!existsSync(STAMP)) return 'dist/ has no record of a complete build';
  const [path, mtime] = newestSource();
  const built = statSync(STAMP).mtimeMs;
  return mtime > built ? `${path} changed since the last build` : undefined;
}

const reason = why();
if (reason === undefined) {
  const built = new Date(statSync(STAMP).mtimeMs).toISOString();
  console.error(`npm start: dist/ is current (built ${built}, after the last change to the sources): starting it without a build`);
} else {
  console.error(`npm start: building dist/ first (${reason}): npm run build`);
  const started = new Date();
  // In a process group of its own, so a signal can reach every process of the build at once:
  // npm passes a signal to the script's shell only, which would leave tsc running.
  const build = spawn('npm', ['run', '--silent', 'build'], { stdio: 'inherit', detached: true });
  let stoppedBy;
  const stop = (signal) => {
    stoppedBy = signal;
    try {
      process.kill(-build.pid, signal);
    } catch {
      // the build has exited already
    }
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const [code] = await once(build, 'exit');
  if (stoppedBy) {
    console.error(`npm start: the build was stopped (${stoppedBy}); not starting`);
    // Ended by the signal, as without the handler, so npm reports the signal, not a failure.
    process.kill(process.pid, stoppedBy);
  } else if (code !== 0) {
    console.error('npm start: the build failed; not starting');
    process.exit(code ?? 1);
  }
  // Dated to the build's start, so a file saved while tsc ran counts as changed next time.
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
  console.error('npm start: built; starting');
}
