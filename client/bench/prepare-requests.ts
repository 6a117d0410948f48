// Builds the bench's requests once, before the clock starts: one multipart body per image
// (field `file`, as the original clients sent), sent in turn by every connection.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { encodeMultipart } from '../http/multipart-body.ts';
import { synthesizeImage, type SyntheticFormat, type SyntheticKind } from '../generate/synthesize-image.ts';

/** An image to upload. */
export interface ImageInput {
  name: string;
  bytes: Buffer;
}

/** One request ready to write with node:http: method, path, headers and the body bytes. */
export interface PreparedRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Image name, for the recorded options. */
  name: string;
}

const ACCEPT = { json: 'application/json', png: 'image/png' } as const;
export type AcceptKind = keyof typeof ACCEPT;

/** Reads files; a directory contributes its files (not recursively), sorted by name. */
export async function readImages(paths: readonly string[]): Promise<ImageInput[]> {
  const images: ImageInput[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      for (const name of (await readdir(path)).sort()) {
        const file = join(path, name);
        if ((await stat(file)).isFile()) images.push({ name, bytes: await readFile(file) });
      }
    } else {
      images.push({ name: basename(path), bytes: await readFile(path) });
    }
  }
  if (images.length === 0) throw new Error(`Expected at least one image file in ${paths.join(', ')} but found none`);
  return images;
}

/** Parses "512x512". @throws Error naming the bad value. */
export function parseSize(text: string): { width: number; height: number } {
  const match = /^(\d+)x(\d+)$/i.exec(text.trim());
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 1 || height < 1) throw new Error(`Expected a size as WIDTHxHEIGHT (e.g. 512x512) but received "${text}"`);
  return { width, height };
}

/** `count` synthetic images of one size, seeds 1..count, so each upload differs. */
export async function generateImages(size: string, count: number, kind: SyntheticKind, format: SyntheticFormat): Promise<ImageInput[]> {
  const { width, height } = parseSize(size);
  const images: ImageInput[] = [];
  for (let seed = 1; seed <= count; seed++) {
    const bytes = await synthesizeImage({ kind, width, height, format, seed });
    images.push({ name: `${kind}-${width}x${height}-${seed}.${format === 'jpeg' ? 'jpg' : format}`, bytes });
  }
  return images;
}

/** One POST per image to `url`'s path and query, with `headers` and the Accept for `accept`. */
export async function prepareUploads(url: URL, images: readonly ImageInput[], accept: AcceptKind, headers: Record<string, string>): Promise<PreparedRequest[]> {
  return Promise.all(
    images.map(async (image): Promise<PreparedRequest> => {
      const { body, type } = await encodeMultipart(image.bytes, image.name);
      return {
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: {
          accept: ACCEPT[accept],
          ...lowerCaseKeys(headers),
          // No content-length here: node:http adds it from the body given to `end()`.
          'content-type': type,
        },
        body,
        name: image.name,
      };
    }),
  );
}

/** A bodiless GET of `url` (e.g. /healthz probes measured alongside a load). */
export function prepareGet(url: URL, headers: Record<string, string>): PreparedRequest[] {
  return [{ method: 'GET', path: `${url.pathname}${url.search}`, headers: lowerCaseKeys(headers), name: url.pathname }];
}

// One spelling per header, so a user's `Accept:` replaces ours instead of doubling it.
function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
