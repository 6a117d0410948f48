// Writes an output file only once its content is what the file's extension says: the bytes are
// checked first, then written under a temporary name in the same folder and renamed into place,
// so a failed or interrupted run never leaves a file that holds something else, or half of it.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeBody } from './histogram-json.ts';

export type OutputKind = 'png' | 'json' | 'csv';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Why `body` is not a `kind` file, or null when it is one: a PNG starts with the PNG signature;
 * JSON parses; CSV is text whose first line is a header of comma-separated names (and not JSON).
 */
export function contentProblem(kind: OutputKind, body: Buffer, contentType?: string): string | null {
  const sent = contentType ? `${contentType}: ${describeBody(body)}` : describeBody(body);
  if (kind === 'png') return body.subarray(0, 8).equals(PNG_SIGNATURE) ? null : `expected a PNG chart but received ${sent}`;
  const text = body.toString('utf8');
  if (kind === 'json') {
    try {
      JSON.parse(text);
      return null;
    } catch {
      return `expected JSON but received ${sent}`;
    }
  }
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  return /^[A-Za-z_][\w.-]*(,[A-Za-z_][\w.-]*)+\r?$/.test(header) ? null : `expected a CSV table but received ${sent}`;
}

/**
 * Checks `body` is a `kind` file, then writes it to `path` (folders created) through a temporary
 * file renamed into place. An existing file at `path` is replaced only by a complete, checked one.
 * @throws Error saying what arrived instead when the content is not a `kind` file (nothing is
 *   written); file-system errors as thrown by node:fs (the temporary file is removed).
 */
export async function writeOutput(path: string, kind: OutputKind, body: Buffer | string, contentType?: string): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const problem = contentProblem(kind, bytes, contentType);
  if (problem) throw new Error(problem);
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  // Hidden, unique, and in the same folder: rename() is atomic only within one file system.
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    // Name the file the user asked for, not the temporary one, in the error.
    const failure = error as { path?: unknown };
    if (failure?.path === temporary) failure.path = path;
    throw error;
  }
}
