// Expands `--image` arguments (files, folders, globs) into the list of files to upload.
import { readdir, stat } from 'node:fs/promises';
import { extname, isAbsolute, join } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** File name extensions a folder is scanned for (the server decides the format from the bytes). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.avif',
  '.tif',
  '.tiff',
  '.heic',
  '.heif',
  '.svg',
  '.bmp',
  '.jp2',
  '.jxl',
]);

// Natural order: photo-2 before photo-10, as a person numbers files (plain sort puts photo-10,
// photo-11 before photo-2). A fixed locale, so the order is the same on every machine.
const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/** A problem with the `--image` arguments themselves, found before anything is uploaded. */
export class InputError extends Error {
  override name = 'InputError';
}

export interface ExpandedInputs {
  files: string[];
  /** True when the user named exactly one file (no folder, no glob): the single-image mode. */
  single: boolean;
}

/**
 * Files stay as given (whatever their extension); a folder gives its image files (by
 * extension, not recursive, in natural order: 2 before 10); a glob gives the files it matches
 * (in natural order). Duplicates
 * are dropped, keeping the first occurrence.
 * @throws InputError naming the argument when a path does not exist, a glob matches nothing or
 *   a folder holds no images.
 */
export async function expandInputs(args: readonly string[]): Promise<ExpandedInputs> {
  if (args.length === 0) throw new InputError('no image given: pass --image FILE, a folder or a glob');
  const files: string[] = [];
  let single = args.length === 1;
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    if (info?.isFile()) files.push(arg);
    else if (info?.isDirectory()) {
      single = false;
      const names = (await readdir(arg)).filter((name) => IMAGE_EXTENSIONS.has(extname(name).toLowerCase())).sort(naturalOrder);
      const found: string[] = [];
      for (const name of names) {
        if ((await stat(join(arg, name)).catch(() => undefined))?.isFile()) found.push(join(arg, name));
      }
      if (found.length === 0) {
        throw new InputError(`folder ${arg} holds no images (looked for ${[...IMAGE_EXTENSIONS].join(' ')})`);
      }
      files.push(...found);
    } else if (isDynamicPattern(arg)) {
      single = false;
      const matches = await expandGlob(arg);
      if (matches.length === 0) throw new InputError(`no files match ${arg}`);
      files.push(...matches);
    } else {
      throw new InputError(`no such file or folder: ${arg}`);
    }
  }
  return { files: [...new Set(files)], single };
}

/**
 * The files a glob matches (symlinked files included), in natural order, in the form the glob was given:
 * absolute for an absolute glob, else relative to the working directory. Dot files match like
 * any other; node_modules and .git are not searched.
 */
async function expandGlob(pattern: string): Promise<string[]> {
  const found = await glob(pattern, {
    absolute: isAbsolute(pattern),
    dot: true,
    onlyFiles: true,
    expandDirectories: false,
    followSymbolicLinks: true,
    ignore: ['**/node_modules/**', '**/.git/**'],
  });
  return found.sort(naturalOrder);
}
