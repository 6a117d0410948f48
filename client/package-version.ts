// The version `--version` prints: package.json's, found by walking up from this module (it
// sits at client/ in the source tree and at dist/client/ in a build or the client image).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `version` of the nearest package.json above this module, or "unknown" when none is found. */
export function packageVersion(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here (or not readable): look one folder up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
