// How the suite starts a Node server checkout: the node options of its `npm start` script (the
// image's CMD carries the same) and the allocator settings its server image sets, so the
// figures are those of the server as it is deployed, not of a bare `node dist/server/main.js`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envOf, parseDockerfile } from '../test/helpers/k8s-dockerfile.ts';

/**
 * The node options before the entry file in `root`'s `npm start` script, e.g.
 * `["--initial-old-space-size=128"]` for `node --initial-old-space-size=128 dist/server/main.js`;
 * none when there is no such script or it does not run node.
 */
export function startNodeOptions(root: string): string[] {
  const start = readJson(join(root, 'package.json'))?.scripts?.start;
  const words = typeof start === 'string' ? start.trim().split(/\s+/) : [];
  // `node` may follow a prefix (`exec env UV_THREADPOOL_SIZE=… node …`).
  const at = words.indexOf('node');
  if (at < 0) return [];
  const options: string[] = [];
  for (const word of words.slice(at + 1)) {
    if (!word.startsWith('-')) break;
    options.push(word);
  }
  return options;
}

/**
 * The glibc allocator settings (the MALLOC_* variables and GLIBC_TUNABLES) that the runtime stage
 * of `root`'s Dockerfile.server sets; none when there is no such file.
 */
export function imageAllocatorEnv(root: string): Record<string, string> {
  const file = join(root, 'Dockerfile.server');
  if (!existsSync(file)) return {};
  const runtime = parseDockerfile(file).at(-1);
  return Object.fromEntries(Object.entries(runtime ? envOf(runtime) : {}).filter(([name]) => isAllocatorVariable(name)));
}

/** True for the environment variables that set glibc's allocator: MALLOC_* and GLIBC_TUNABLES. */
export function isAllocatorVariable(name: string): boolean {
  return name.startsWith('MALLOC_') || name === 'GLIBC_TUNABLES';
}

function readJson(path: string): { scripts?: Record<string, unknown> } | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { scripts?: Record<string, unknown> };
  } catch {
    return null;
  }
}
