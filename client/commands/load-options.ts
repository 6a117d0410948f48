// The options `client bench` and `client capacity` share: the target, the images sent in turn,
// how many connections, the shard of a Job, and waiting for the target and a common start.
import type { Argv } from 'yargs';
import { parseHeaders } from '../http/parse-headers.ts';
import { SYNTHETIC_FORMATS, SYNTHETIC_KINDS, type SyntheticFormat, type SyntheticKind } from '../generate/synthetic-kinds.ts';
import { parseDuration } from '../bench/parse-duration.ts';
import type { AcceptKind, ImageInput } from '../bench/prepare-requests.ts';
import { resolveShard } from '../bench/shard.ts';

export interface LoadArgs {
  url: string;
  image?: string[];
  generate: string;
  count: number;
  generateKind: SyntheticKind;
  generateFormat: SyntheticFormat;
  connections: number;
  timeout: string;
  accept: AcceptKind;
  header: string[];
  shardIndex?: number;
  shardCount?: number;
  untilReady: boolean;
  readyTimeout: string;
  startAt?: string;
  json: boolean;
}

/** Adds the shared options; `defaults` differ per command. */
export function withLoadOptions(yargs: Argv, defaults: { connections: number; timeout: string; shardOf: string }): Argv {
  return yargs
    .option('url', { type: 'string', default: 'http://localhost:8080/v1/histogram', describe: 'target URL, path and query included' })
    .option('image', { type: 'string', array: true, describe: 'image files or folders, uploaded in turn' })
    .option('generate', { type: 'string', default: '512x512', describe: 'without --image: size of generated images' })
    .option('count', { type: 'number', default: 8, describe: 'without --image: how many generated images' })
    .option('generate-kind', { choices: SYNTHETIC_KINDS, default: 'noise' as SyntheticKind, describe: 'content of generated images' })
    .option('generate-format', { choices: SYNTHETIC_FORMATS, default: 'png' as SyntheticFormat, describe: 'encoding of generated images' })
    .option('connections', { alias: 'c', type: 'number', default: defaults.connections, describe: 'concurrent connections (per pod)' })
    .option('timeout', { type: 'string', default: defaults.timeout, describe: 'a request without response after this long counts as a timeout' })
    .option('accept', { choices: ['json', 'png'] as const, default: 'json' as AcceptKind, describe: 'response asked for' })
    .option('header', { alias: 'H', type: 'string', array: true, default: [] as string[], describe: "extra header 'Name: value' (repeatable)" })
    .option('shard-index', { type: 'number', describe: `this pod's share of ${defaults.shardOf} [default: $JOB_COMPLETION_INDEX or 0]` })
    .option('shard-count', { type: 'number', describe: `pods sharing ${defaults.shardOf} [default: $JOB_COMPLETIONS or 1]` })
    .option('until-ready', { type: 'boolean', default: false, describe: 'poll /readyz (same base URL and headers) until 200 before starting' })
    .option('ready-timeout', { type: 'string', default: '120s', describe: 'give up waiting for /readyz after this long' })
    .option('start-at', { type: 'string', describe: 'ISO time to start at, so the pods of a Job start together' })
    .check((argv) => {
      for (const name of ['connections', 'count'] as const) {
        const value = argv[name] as number;
        if (!(Number.isInteger(value) && value >= 1)) throw new Error(`Expected a whole number >= 1 for --${name} but received ${value}`);
      }
      return true;
    });
}

/** What the shared options resolve to before any load. @throws Error naming a bad value. */
export async function resolveLoad(
  args: LoadArgs,
): Promise<{ images: ImageInput[]; headers: Record<string, string>; timeoutMs: number; shard: { index: number; count: number }; untilReadyMs: number | null }> {
  let url: URL | undefined;
  try {
    url = new URL(args.url);
  } catch {
    // reported below
  }
  if (url?.protocol !== 'http:') throw new Error(`Expected an http:// URL for --url but received "${args.url}" (TLS is left to the Ingress)`);
  if (args.startAt !== undefined && Number.isNaN(Date.parse(args.startAt)))
    throw new Error(`Expected an ISO 8601 time for --start-at but received "${args.startAt}"`);
  const headers = parseHeaders(args.header);
  const timeoutMs = parseDuration(args.timeout, 'timeout');
  const untilReadyMs = args.untilReady ? parseDuration(args.readyTimeout, 'ready-timeout') : null;
  const shard = resolveShard(args.shardIndex, args.shardCount, process.env);
  // Loaded here, not at the top: generated images need sharp, parsing the command line does not.
  const { generateImages, readImages } = await import('../bench/prepare-requests.ts');
  const images =
    args.image && args.image.length > 0
      ? await readImages(args.image)
      : await generateImages(args.generate, args.count, args.generateKind, args.generateFormat);
  return { images, headers, timeoutMs, shard, untilReadyMs };
}
