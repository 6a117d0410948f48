// Replays a Dockerfile's stages offline: each stage's filesystem is a temporary folder, COPY
// copies from the repo (honouring .dockerignore) or from the folder of an earlier stage, and
// the RUN steps that shape the file set are run for real: `npm ci --omit=dev` (cached by the
// lockfile's hash; canvas builds from source the first time) and `npm run ...`. System
// packages (apt-get) cannot be replayed here and are listed as skipped.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { copyPaths, dockerignore, envOf, execForm, last, parseDockerfile, type Stage } from './k8s-dockerfile.ts';

/** The runtime stage's file set, ready to start. */
export interface ReplayedImage {
  /** The runtime stage's WORKDIR inside its temporary root. */
  dir: string;
  env: Record<string, string>;
  /** ENTRYPOINT, exec form, tini (an apt package of the image) left out. */
  entrypoint: string[];
  /** CMD, exec form: replaced by the arguments of `docker run IMAGE ARGS...`. */
  cmd: string[];
  /** RUN steps that install system packages and were not replayed. */
  skipped: string[];
}

/** Prod installs live here between runs, one folder per lockfile + npm arguments. */
export const NPM_CACHE_ROOT = join(tmpdir(), 'histogram-service-replay-npm');

// Stages already replayed in this process, by their instructions and those of their bases:
// Dockerfile.server and Dockerfile.client share toolchain, deps and build stages.
const replayed = new Map<string, { dir: string; workdir: string }>();
// Every stage folder made in this process, removed by removeReplayFolders() even after a failure.
const folders: string[] = [];

/** Deletes the stage folders of every replay in this process (not the npm cache). */
export function removeReplayFolders(): void {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  replayed.clear();
}

function stageKey(stages: Stage[], stage: Stage): string {
  const base = stages.find((s) => s.name === stage.from);
  return JSON.stringify([base ? stageKey(stages, base) : stage.from, stage.instructions]);
}

/** Replays `dockerfile` (relative to `repo`) up to its last stage. */
export function replayDockerfile(repo: string, dockerfile: string, log: (line: string) => void): ReplayedImage {
  const stages = parseDockerfile(join(repo, dockerfile));
  const ignored = dockerignore(join(repo, '.dockerignore'));
  const skipped: string[] = [];

  const replay = (stage: Stage): { dir: string; workdir: string } => {
    const dir = mkdtempSync(join(tmpdir(), `replay-${stage.name ?? 'stage'}-`));
    folders.push(dir);
    const base = stages.find((s) => s.name === stage.from);
    let workdir = '/';
    if (base) {
      const parent = stageResult(base);
      cpSync(parent.dir, dir, { recursive: true, verbatimSymlinks: true });
      workdir = parent.workdir;
    }
    // The folder stands for the stage's root: /app is dir/app.
    const inStage = (path: string) => join(dir, posix.resolve(workdir, path));
    for (const i of stage.instructions) {
      if (i.keyword === 'WORKDIR') {
        workdir = posix.resolve(workdir, i.args);
        mkdirSync(inStage('.'), { recursive: true });
      } else if (i.keyword === 'COPY') {
        const { sources, dest } = copyPaths(i);
        const from = i.flags.from ? stages.find((s) => s.name === i.flags.from) : undefined;
        if (i.flags.from && !from) throw new Error(`${dockerfile}: COPY --from=${i.flags.from} names no stage`);
        for (const source of sources) {
          let src: string;
          if (from) {
            const other = stageResult(from);
            src = join(other.dir, posix.resolve(other.workdir, source));
          } else {
            if (ignored(source)) throw new Error(`${dockerfile}: COPY ${source}, but .dockerignore excludes it`);
            src = join(repo, source);
          }
          if (!existsSync(src)) throw new Error(`${dockerfile}: COPY source ${source} does not exist${from ? ` in stage ${from.name}` : ''}`);
          const target = dest.endsWith('/') || sources.length > 1 ? join(inStage(dest), posix.basename(source)) : inStage(dest);
          mkdirSync(dirname(target), { recursive: true });
          cpSync(src, target, {
            recursive: true,
            verbatimSymlinks: true,
            filter: (file) => from !== undefined || !ignored(relative(repo, file).split('\\').join('/')),
          });
        }
      } else if (i.keyword === 'RUN') {
        runStep(repo, inStage('.'), i.args, skipped, log);
      }
    }
    return { dir, workdir };
  };
  const stageResult = (stage: Stage) => {
    const key = stageKey(stages, stage);
    if (!replayed.has(key)) replayed.set(key, replay(stage));
    return replayed.get(key)!;
  };

  const runtime = stages.at(-1)!;
  const result = stageResult(runtime);
  let entrypoint = execForm(last(runtime, 'ENTRYPOINT')) ?? [];
  if (/(^|\/)tini$/.test(entrypoint[0] ?? '')) entrypoint = entrypoint.slice(entrypoint[1] === '--' ? 2 : 1);
  const cmd = execForm(last(runtime, 'CMD')) ?? [];
  return { dir: join(result.dir, result.workdir), env: envOf(runtime), entrypoint, cmd, skipped };
}

function runStep(repo: string, cwd: string, script: string, skipped: string[], log: (line: string) => void): void {
  for (const step of script.split(/\s*&&\s*/)) {
    if (/^(apt-get|rm -rf \/var\/lib\/apt)/.test(step)) {
      skipped.push(step);
      continue;
    }
    const npmCi = /^npm ci(\s.*)?$/.exec(step);
    if (npmCi) {
      const args = (npmCi[1] ?? '').trim().split(/\s+/).filter(Boolean);
      linkNodeModules(repo, cwd, args, log);
      continue;
    }
    if (/^npm run [\w:-]+$/.test(step)) {
      log(`replay: ${step}`);
      const run = spawnSync('npm', step.split(' ').slice(1), { cwd, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${step} failed:\n${run.stdout}\n${run.stderr}`);
      continue;
    }
    throw new Error(`cannot replay RUN step "${step}": teach test/helpers/k8s-dockerfile-replay.ts what it does`);
  }
}

// `npm ci` with dev dependencies is what the repo's own node_modules is (same lockfile, checked);
// `npm ci --omit=dev` is run for real into a cache folder keyed by lockfile and arguments.
function linkNodeModules(repo: string, cwd: string, args: string[], log: (line: string) => void): void {
  const lock = readFileSync(join(cwd, 'package-lock.json'));
  const manifest = readFileSync(join(cwd, 'package.json'));
  if (!args.some((a) => a.startsWith('--omit'))) {
    if (!lock.equals(readFileSync(join(repo, 'package-lock.json')))) throw new Error("the stage's lockfile differs from the repo's");
    symlinkSync(join(repo, 'node_modules'), join(cwd, 'node_modules'), 'dir');
    return;
  }
  const key = createHash('sha256').update(manifest).update(lock).update(args.join(' ')).digest('hex').slice(0, 16);
  const cache = join(NPM_CACHE_ROOT, key);
  if (!existsSync(join(cache, '.complete'))) {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'package.json'), manifest);
    writeFileSync(join(cache, 'package-lock.json'), lock);
    const started = Date.now();
    log(`replay: npm ci ${args.join(' ')} --prefer-offline in ${cache} (canvas may build from source)`);
    const run = spawnSync('npm', ['ci', ...args, '--prefer-offline'], { cwd: cache, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`npm ci ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
    writeFileSync(join(cache, '.complete'), `${Date.now() - started} ms\n`);
    log(`replay: npm ci took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    log(`replay: npm ci ${args.join(' ')} reused from ${cache}`);
  }
  symlinkSync(join(cache, 'node_modules'), join(cwd, 'node_modules'), 'dir');
}
