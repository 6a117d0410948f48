// Names the per-image output files of a batch: `<image stem>.<format>` in the output folder.
import { basename, extname, join } from 'node:path';

/**
 * One output path per input, in order, all distinct: `photos/a.jpg` -> `<outDir>/a.png`.
 * Two inputs with the same stem keep their extension (`a.jpg.png`, `a.webp.png`); a name still
 * taken gets `-2`, `-3`, ...
 */
export function outputNames(files: readonly string[], outDir: string, format: string): string[] {
  const stem = (file: string) => basename(file, extname(file));
  const stemCount = new Map<string, number>();
  for (const file of files) stemCount.set(stem(file), (stemCount.get(stem(file)) ?? 0) + 1);
  const taken = new Set<string>();
  return files.map((file) => {
    const base = stemCount.get(stem(file))! > 1 ? basename(file) : stem(file);
    let name = `${base}.${format}`;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}.${format}`;
    taken.add(name);
    return join(outDir, name);
  });
}
