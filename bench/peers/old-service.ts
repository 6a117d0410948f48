// The old Python service as a benchmark peer: finds a Python with its packages (or says which
// Debian packages to install) and describes how to start bench/peers/old-service/serve.py.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildSpec } from '../suite-processes.ts';

const HERE = fileURLToPath(new URL('old-service', import.meta.url));

/** Module the app imports → the Debian package that provides it. */
export const OLD_SERVICE_PACKAGES: Readonly<Record<string, string>> = {
  fastapi: 'python3-fastapi',
  uvicorn: 'python3-uvicorn',
  multipart: 'python3-multipart',
  PIL: 'python3-pil',
  numpy: 'python3-numpy',
};

/**
 * The Python to use: BENCH_PYTHON, else Debian's /usr/bin/python3 (a pyenv or venv python3
 * first on PATH would not see Debian's packages), else python3 on PATH.
 */
export function oldServicePython(env: NodeJS.ProcessEnv): string {
  if (env.BENCH_PYTHON) return env.BENCH_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** The install hint for missing modules (all of them when Python itself is missing). */
export function installHint(missing: readonly string[]): string {
  const packages = missing.map((m) => OLD_SERVICE_PACKAGES[m] ?? m);
  return `apt-get install ${packages.join(' ')}`;
}

/** null when `python` can run the old service, else what is missing and what to install. */
export function oldServiceMissing(python: string): string | null {
  const modules = Object.keys(OLD_SERVICE_PACKAGES);
  const probe = spawnSync(python, ['-c', `import importlib.util as u\nprint(" ".join(m for m in ${JSON.stringify(modules)} if u.find_spec(m) is None))`], {
    encoding: 'utf8',
  });
  if (probe.error || probe.status !== 0) {
    return `${python} cannot be run (${probe.error?.message ?? probe.stderr.trim()}): ${installHint(['python3', ...modules])}, or set BENCH_PYTHON`;
  }
  const missing = probe.stdout.trim().split(/\s+/).filter(Boolean);
  if (missing.length === 0) return null;
  return `${python} lacks ${missing.join(', ')}: ${installHint(missing)} (Debian), or set BENCH_PYTHON to a Python that has them`;
}

/** How to start it: uvicorn, one worker, on 127.0.0.1 and a port of the kernel's choosing. */
export function oldServiceSpec(python: string, cpus: string | null): ChildSpec {
  return { name: 'old service', cpus, command: python, args: ['serve.py', '127.0.0.1', '0'], cwd: HERE, env: { PYTHONDONTWRITEBYTECODE: '1' } };
}

/** "Python 3.11.2, FastAPI 0.92.0, …" from serve.py's listening line. */
export function oldServiceVersions(info: Record<string, unknown>): string {
  const v = (key: string) => String(info[key] ?? '?');
  return `Python ${v('python')}, FastAPI ${v('fastapi')}, uvicorn ${v('uvicorn')} (${v('loop')} loop, ${v('http')} HTTP), Pillow ${v('pillow')}, numpy ${v('numpy')}`;
}
