// The servers the suite measures side by side: this checkout's, a baseline checkout's
// (BENCH_BASELINE, built there with `npm run build`) and the old Python service. Each says how
// it starts, where its probes are, and, when it cannot run here, why and what to do about it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { oldServiceMissing, oldServicePython, oldServiceSpec, oldServiceVersions } from './peers/old-service.ts';
import { imageAllocatorEnv, startNodeOptions } from './server-launch.ts';
import { ROOT, serverArgs, startListening, waitFor200, type Child, type ChildSpec } from './suite-processes.ts';
import type { SubjectId, SubjectInfo } from './suite-types.ts';

export interface Subject {
  info: SubjectInfo;
  /** null when it cannot run here (info.missing says why). */
  spec: ChildSpec | null;
  /** Starts a fresh process and waits until it is ready. */
  start(): Promise<Child>;
  /** Where to probe liveness on a running child, or null (no probe route). */
  healthzUrl(child: Child): string | null;
}

function git(root: string, args: string[]): string | null {
  const run = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : null;
}

/** "suite 1a2b3c4" (+ "with local changes" when server/ or client/ differ from the commit). */
function describeCheckout(root: string): string {
  const sha = git(root, ['rev-parse', '--short', 'HEAD']) ?? 'unknown commit';
  const branch = git(root, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no', '--', 'server', 'client', 'package.json']);
  return `${branch && branch !== 'HEAD' ? `${branch} ` : ''}${sha}${dirty ? ' with local changes' : ''}`;
}

/** "A=1 B=2" → { A: "1", B: "2" }. @throws Error on a word without "=". */
export function parseEnvList(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of (text ?? '').split(/\s+/).filter(Boolean)) {
    const at = word.indexOf('=');
    if (at <= 0) throw new Error(`Expected NAME=value words in BENCH_SERVER_ENV but received "${word}"`);
    out[word.slice(0, at)] = word.slice(at + 1);
  }
  return out;
}

/** A Node server checkout, started with its `npm start` node options and its image's allocator settings. */
function nodeServer(id: SubjectId, label: string, root: string, args: string[], cpus: string | null, env: Record<string, string>): Subject {
  const spec: ChildSpec = {
    name: label,
    cpus,
    command: process.execPath,
    args: [...startNodeOptions(root), ...args],
    cwd: root,
    env: { ...imageAllocatorEnv(root), ...env },
  };
  return {
    info: { id, label, measured: true, missing: null, command: null, versions: null },
    spec,
    async start() {
      const child = await startListening(spec);
      await waitFor200(`${child.adminUrl ?? child.url}/readyz`);
      return child;
    },
    healthzUrl: (child) => `${child.adminUrl ?? child.url}/healthz`,
  };
}

function unavailable(id: SubjectId, label: string, missing: string): Subject {
  return {
    info: { id, label, measured: false, missing, command: null, versions: null },
    spec: null,
    start: () => Promise.reject(new Error(`${label} is not available: ${missing}`)),
    healthzUrl: () => null,
  };
}

/**
 * The subjects for this run, from the environment: BENCH_BASELINE (a built checkout),
 * BENCH_OLD_SERVICE=0 (leave the old service out), BENCH_PYTHON, BENCH_SERVER_ENV (extra
 * variables for both Node servers, "NAME=value …").
 */
export function subjectsFrom(env: NodeJS.ProcessEnv, cpus: string | null, concurrency: number): Subject[] {
  const serverEnv = {
    HOST: '127.0.0.1',
    PORT: '0',
    CONCURRENCY: String(concurrency),
    LOG_LEVEL: 'info',
    POD_NAME: 'bench-server',
    // No drain delay between the suite's cells (the server's default waits 3 s after SIGTERM).
    SHUTDOWN_DELAY_MS: '0',
    ...parseEnvList(env.BENCH_SERVER_ENV),
  };
  const subjects: Subject[] = [];

  const baselineRoot = env.BENCH_BASELINE ? resolve(env.BENCH_BASELINE) : null;
  if (baselineRoot === null) {
    subjects.push(
      unavailable(
        'baseline',
        'before',
        'BENCH_BASELINE is not set (a checkout built with `npm run build`, e.g. `git worktree add ../baseline main && cp -a node_modules ../baseline/ && (cd ../baseline && npm run build)`)',
      ),
    );
  } else if (!existsSync(join(baselineRoot, 'dist/server/main.js'))) {
    subjects.push(unavailable('baseline', 'before', `${baselineRoot} has no dist/server/main.js: run \`npm run build\` there`));
  } else {
    subjects.push(nodeServer('baseline', `before (${describeCheckout(baselineRoot)})`, baselineRoot, ['dist/server/main.js'], cpus, serverEnv));
  }
  subjects.push(nodeServer('this', `this branch (${describeCheckout(ROOT)})`, ROOT, serverArgs(ROOT), cpus, serverEnv));

  if (env.BENCH_OLD_SERVICE === '0') {
    subjects.push(unavailable('old', 'old service', 'left out with BENCH_OLD_SERVICE=0'));
  } else {
    const python = oldServicePython(env);
    const missing = oldServiceMissing(python);
    if (missing !== null) {
      subjects.push(unavailable('old', 'old service', missing));
    } else {
      const spec = oldServiceSpec(python, cpus);
      subjects.push({
        info: { id: 'old', label: 'old service', measured: true, missing: null, command: null, versions: null },
        spec,
        async start() {
          const child = await startListening(spec);
          // serve.py announces the port once bound; uvicorn listens a moment later.
          await waitFor200(`${child.url}/openapi.json`);
          return child;
        },
        healthzUrl: () => null,
      });
    }
  }
  return subjects;
}

/** Fills in the command and versions once a subject has been started. */
export function recordStart(subject: Subject, child: Child): void {
  const info = subject.info;
  info.command = `${child.command}${subject.spec && subject.spec.cwd !== ROOT ? ` (in ${subject.spec.cwd})` : ''}`;
  if (info.id === 'old') info.versions = oldServiceVersions(child.info);
  else {
    const settings = ['concurrency', 'maxQueue'].filter((k) => child.info[k] !== undefined).map((k) => `${k} ${String(child.info[k])}`);
    info.versions =
      [settings.length > 0 ? `logged ${settings.join(', ')}` : null, child.adminUrl ? 'admin listener announced' : null].filter(Boolean).join('; ') || null;
  }
}
