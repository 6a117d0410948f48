// One fuzz case from (run seed, index): the input (a mutated seed image, a format confusion or
// an unmutated control), how it is sent (multipart or raw, length or chunked, keep-alive or a
// client that writes the whole body before reading), random query parameters, and what the
// contract allows as the answer.
import { Prng, caseSeed } from './prng.ts';
import { mutate } from './mutations.ts';
import { magicOnly, type Confusion } from './confusions.ts';
import type { SeedImage } from './seed-images.ts';
import { QUERY_PARAMS, randomQuery, type QueryPlan } from './fuzz-query.ts';

export type Framing = 'length' | 'chunked';
/** keep-alive: a pooled node:http client; write-first: `Connection: close`, whole body written before the answer is read. */
export type ClientStyle = 'keep-alive' | 'write-first';

export interface OutgoingRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  framing: Framing;
  client: ClientStyle;
}

export interface Expectation {
  /** Statuses the contract allows. */
  statuses: readonly number[];
  /** Why, for failure reports. */
  rule: string;
  /** Invalid query parameters sent: a 400 must name each. */
  invalidParams: readonly string[];
  output: 'json' | 'png' | 'csv';
  bins: number;
  /** Channels asked for (deduplicated), or null for the default. */
  channels: readonly string[] | null;
  chart: { width: number; height: number };
  /** For unmutated controls: the image's known size and format. */
  control?: { width: number; height: number; format: string };
  /** An X-Request-Id the server must echo. */
  requestId?: string;
}

export interface FuzzCase {
  index: number;
  seed: number;
  /** What the input is: a seed name ("png-palette"), "confusion:<name>" or "control:<name>". */
  family: string;
  kind: 'mutated' | 'confusion' | 'control';
  /** Mutation steps, or the confusion's name. */
  steps: string[];
  /** The file bytes (the multipart part's content, or the raw body). */
  image: Buffer;
  transport: 'multipart' | 'raw';
  request: OutgoingRequest;
  expect: Expectation;
  /** What the body alone deserves (the expectation with valid query parameters). */
  bodyExpect: { statuses: readonly number[]; rule: string };
}

export interface CaseSources {
  seeds: readonly SeedImage[];
  confusions: readonly Confusion[];
}

const FILE_NAMES = ['image.png', 'photo.jpg', 'picture.webp', 'anim.gif', 'scan.tiff', 'x', 'no-extension', '../../etc/passwd', 'файл.jpeg', 'a b c.avif'];
const RAW_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'image/tiff',
  'image/avif',
  'image/svg+xml',
  'image/x-anything',
  'application/octet-stream',
];
// Accept headers and the output content negotiation picks for each, worked out by hand: the
// highest q among application/json, image/png and text/csv (the most specific range that
// matches each), q=0 excluded, JSON when nothing matches or all tie.
const ACCEPTS: ReadonlyArray<readonly [string | undefined, Expectation['output']]> = [
  [undefined, 'json'],
  ['application/json', 'json'],
  ['*/*', 'json'],
  ['image/png', 'png'],
  ['text/csv', 'csv'],
  ['image/*', 'png'],
  ['text/html,image/png;q=0.9', 'png'],
  ['text/csv;q=0.5, application/json', 'json'],
  ['text/*;q=0.8, */*;q=0.1', 'csv'],
  ['application/json;q=0, image/png;q=0.2', 'png'],
  ['image/png;q=0', 'json'],
  ['text/html', 'json'],
];

/**
 * Builds case `index` of a run seeded with `runSeed`; the same arguments give the same case.
 * The first cases cover everything once, with valid query parameters: each confusion, then
 * each seed image unmutated; after them every case is drawn at random.
 */
export function makeCase(runSeed: number, index: number, sources: CaseSources): FuzzCase {
  const seed = caseSeed(runSeed, index);
  const rng = new Prng(seed);
  const fixed = index < sources.confusions.length + sources.seeds.length;
  const kind =
    index < sources.confusions.length
      ? 'confusion'
      : fixed
        ? 'control'
        : rng.weighted([
            ['mutated', 78],
            ['confusion', 16],
            ['control', 6],
          ] as const);
  let family: string;
  let image: Buffer;
  let steps: string[];
  let statuses: readonly number[];
  let rule: string;
  let control: Expectation['control'];
  if (kind === 'confusion') {
    const confusion = fixed ? sources.confusions[index]! : rng.chance(0.15) ? magicOnly(rng.pick(sources.seeds), rng) : rng.pick(sources.confusions);
    family = `confusion:${confusion.name}`;
    image = confusion.bytes;
    steps = [confusion.name];
    statuses = confusion.expected;
    rule = confusion.rule;
  } else {
    const source = fixed ? sources.seeds[index - sources.confusions.length]! : rng.pick(sources.seeds);
    if (kind === 'control') {
      family = `control:${source.name}`;
      image = source.bytes;
      steps = [];
      statuses = [200];
      rule = 'an unmutated valid image: 200';
      control = { width: source.width, height: source.height, format: source.format };
    } else {
      const donor = rng.pick(sources.seeds);
      const mutated = mutate(source.bytes, rng, donor);
      family = source.name;
      image = mutated.bytes;
      steps = mutated.steps;
      statuses = mutated.bytes.length === 0 ? [400] : [200, 415, 422];
      rule = mutated.bytes.length === 0 ? 'empty body: 400' : 'a mutated image: 200, 415 (no longer recognisable) or 422 (corrupt, truncated, too many pixels)';
    }
  }

  const query: QueryPlan = randomQuery(rng, !fixed);
  const headers: Record<string, string> = {};
  const [accept, acceptOutput] = rng.pick(ACCEPTS);
  if (accept) headers.accept = accept;
  const output = query.format ?? acceptOutput;
  let requestId: string | undefined;
  if (rng.chance(0.1)) {
    requestId = `fuzz-${seed.toString(16)}`;
    headers['x-request-id'] = requestId;
  }

  const transport = rng.chance(0.55) ? 'multipart' : 'raw';
  let body: Buffer;
  if (transport === 'multipart') {
    const boundary = `----fuzz${rng.next32().toString(16)}${rng.next32().toString(16)}`;
    const parts: Buffer[] = [];
    if (rng.chance(0.2)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nfuzz case ${index}\r\n`));
    const partType = rng.chance(0.7) ? `Content-Type: ${rng.pick(RAW_TYPES)}\r\n` : '';
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${rng.pick(FILE_NAMES)}"\r\n${partType}\r\n`),
      image,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    body = Buffer.concat(parts);
    headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  } else {
    body = image;
    headers['content-type'] = rng.pick(RAW_TYPES);
  }
  const framing: Framing = rng.chance(0.15) ? 'chunked' : 'length';
  const client: ClientStyle = rng.chance(0.15) ? 'write-first' : 'keep-alive';
  const route = rng.chance(0.8) ? '/v1/histogram' : '/process-image';
  const path = query.search ? `${route}?${query.search}` : route;

  const expect: Expectation = {
    statuses: query.invalid.length > 0 ? [400] : statuses,
    rule:
      query.invalid.length > 0
        ? `invalid query parameter${query.invalid.length > 1 ? 's' : ''} ${query.invalid.join(', ')}: 400 naming ${query.invalid.length > 1 ? 'each' : 'it'}`
        : rule,
    invalidParams: query.invalid,
    output,
    bins: query.bins,
    channels: query.channels,
    chart: { width: query.width, height: query.height },
    ...(control ? { control } : {}),
    ...(requestId ? { requestId } : {}),
  };
  return { index, seed, family, kind, steps, image, transport, request: { path, headers, body, framing, client }, expect, bodyExpect: { statuses, rule } };
}

export { QUERY_PARAMS };
