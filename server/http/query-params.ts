// The histogram routes' query parameters: one zod schema that both validates requests and
// describes them in the OpenAPI document, plus the checks that span parameters (bins against
// depth) and the refusal of names the API does not know. Messages name the parameter, what was
// expected and what arrived. The limits themselves are data in api/query-limits.ts.
import { z } from '@hono/zod-openapi';
import { parseAccept } from 'hono/utils/accept';
import {
  CHANNEL_NAMES,
  CHART_HEIGHT,
  CHART_SCALES,
  CHART_TYPES,
  CHART_WIDTH,
  DEFAULT_BINS,
  DEFAULT_DEPTH,
  MASKS,
  MAX_BINS,
  MIN_BINS,
  OUTPUT_FORMATS,
  QUERY_PARAMETERS,
  type Depth,
  type OutputFormat,
} from '../api/query-limits.ts';
import type { ChannelName } from '../histogram/histogram-summary.ts';
import type { BinRangeOption } from '../histogram/numpy-bins.ts';
import { nearestName } from '../api/nearest-name.ts';

export { OUTPUT_FORMATS, type OutputFormat } from '../api/query-limits.ts';

const intParam = (name: string, min: number, max: number, fallback: number, description: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
      if (Number.isInteger(value) && value >= min && value <= max) return value;
      ctx.addIssue({ code: 'custom', message: `Expected integer between ${min} and ${max} for ${name} but received "${raw}"` });
      return z.NEVER;
    })
    .openapi({ param: { name, in: 'query' }, type: 'integer', minimum: min, maximum: max, default: fallback, description });

const choiceParam = <T extends string>(name: string, choices: readonly T[], description: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      if (raw === undefined || raw === '') return undefined;
      const value = raw.trim().toLowerCase();
      if ((choices as readonly string[]).includes(value)) return value as T;
      ctx.addIssue({ code: 'custom', message: `Expected one of ${choices.join(', ')} for ${name} but received "${raw}"` });
      return z.NEVER;
    })
    .openapi({ param: { name, in: 'query' }, type: 'string', enum: [...choices], description });

const channelsParam = z
  .string()
  .optional()
  .transform((raw, ctx): ChannelName[] | null => {
    if (raw === undefined || raw.trim() === '') return null;
    const names = raw.split(',').map((name) => name.trim().toLowerCase());
    const unknown = names.filter((name) => !(CHANNEL_NAMES as readonly string[]).includes(name));
    if (unknown.length === 0) return [...new Set(names)] as ChannelName[];
    ctx.addIssue({ code: 'custom', message: `Expected a comma list of ${CHANNEL_NAMES.join(', ')} for channels but received "${raw}"` });
    return z.NEVER;
  })
  .openapi({
    param: { name: 'channels', in: 'query' },
    type: 'string',
    example: 'red,green,blue,luma',
    description: `Comma list from ${CHANNEL_NAMES.join(', ')}. Default: every channel the image has, plus luma.`,
  });

const depthParam = z
  .string()
  .optional()
  .transform((raw, ctx): Depth => {
    if (raw === undefined || raw === '') return DEFAULT_DEPTH;
    const value = raw.trim();
    if (value === '8' || value === '16') return Number(value) as Depth;
    ctx.addIssue({ code: 'custom', message: `Expected one of 8, 16 for depth but received "${raw}"` });
    return z.NEVER;
  })
  .openapi({
    param: { name: 'depth', in: 'query' },
    type: 'integer',
    enum: [8, 16],
    default: DEFAULT_DEPTH,
    description:
      "Depth to count at. 16 counts 16-bit images over 0..65535; an 8-bit image is counted at its own depth (8) whatever is asked. The answer's `depth` says which depth was counted.",
  });

// A decimal number as people write them: optional sign, digits with an optional fraction, an
// optional exponent. Not hex, not Infinity, not an empty string (which Number() reads as 0).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const rangeParam = z
  .string()
  .optional()
  .transform((raw, ctx): BinRangeOption => {
    if (raw === undefined || raw.trim() === '') return { kind: 'full' };
    const value = raw.trim().toLowerCase();
    if (value === 'full' || value === 'data') return { kind: value };
    const parts = value.split(',').map((part) => part.trim());
    const [lo, hi] = parts.map(Number) as [number, number];
    if (parts.length === 2 && parts.every((part) => DECIMAL.test(part)) && Number.isFinite(lo) && Number.isFinite(hi)) {
      if (lo <= hi) return { kind: 'explicit', lo, hi };
      ctx.addIssue({ code: 'custom', message: `Expected LO <= HI for range but received "${raw}" (${lo} > ${hi})` });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', message: `Expected full, data or LO,HI (two finite decimal numbers) for range but received "${raw}"` });
    return z.NEVER;
  })
  .openapi({
    param: { name: 'range', in: 'query' },
    type: 'string',
    default: 'full',
    example: '0,128',
    description:
      "`full`: equal-width bins over the depth's whole scale, as `numpy.histogram(a, bins, range=(0, 2**depth))`. `data`: each channel over its own min..max, as `numpy.histogram(a, bins)` (so `/process-image?range=data` gives the original service's bins). `LO,HI`: as `numpy.histogram(a, bins, range=(LO, HI))`; values outside are not counted. Statistics stay over every counted pixel.",
  });

// bins is checked against the depth asked in parseHistogramQuery, which sees both: here it is
// only read as a number (NaN when it is not a whole decimal number).
const binsParam = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw === '' ? DEFAULT_BINS : /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN))
  .openapi({
    param: { name: 'bins', in: 'query' },
    type: 'integer',
    minimum: MIN_BINS,
    maximum: MAX_BINS[16],
    default: DEFAULT_BINS,
    description: `Equal-width bins over the range: ${MIN_BINS}..${MAX_BINS[8]} at depth 8, ${MIN_BINS}..${MAX_BINS[16]} at depth 16 (the depth asked). With range full, value v goes to bin floor(v × bins / 2^depth).`,
  });

/** Query parameters of POST /v1/histogram and POST /process-image. */
export const HistogramQuery = z.object({
  bins: binsParam,
  depth: depthParam,
  range: rangeParam,
  mask: choiceParam(
    'mask',
    MASKS,
    "`alpha`: count only pixels whose alpha is not 0 (an image without alpha counts every pixel). The answer's `counted` says how many were counted.",
  ),
  channels: channelsParam,
  format: choiceParam(
    'format',
    OUTPUT_FORMATS,
    'Output; overrides `Accept`, which is read with its q-values: `image/png` → png, `text/csv` → csv; json when `Accept` prefers it, is absent, or leaves nothing else (`image/png;q=0, */*` → json).',
  ),
  width: intParam('width', CHART_WIDTH.min, CHART_WIDTH.max, CHART_WIDTH.default, 'Chart width in pixels (png only).'),
  height: intParam('height', CHART_HEIGHT.min, CHART_HEIGHT.max, CHART_HEIGHT.default, 'Chart height in pixels (png only).'),
  scale: choiceParam('scale', CHART_SCALES, 'Chart y axis (png only). Default linear.'),
  type: choiceParam('type', CHART_TYPES, 'Chart kind (png only). Default line.'),
});

export type HistogramQuery = z.output<typeof HistogramQuery>;

export type ParsedQuery = { success: true; data: HistogramQuery } | { success: false; message: string };

/**
 * Validates the raw query of a histogram request: names the API does not know (each with the
 * nearest known name when one is close), every value, and bins against the depth asked. Every
 * problem found is in the one message. Never throws.
 */
export function parseHistogramQuery(raw: Record<string, string>): ParsedQuery {
  const known = QUERY_PARAMETERS as readonly string[];
  const problems: string[] = [];
  const unknown = Object.keys(raw).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const names = unknown.map((name) => {
      const near = nearestName(name, known);
      return `unknown parameter "${name}"${near ? `; did you mean "${near}"?` : ''}`;
    });
    problems.push(`${names.join('; ')} (known parameters: ${known.join(', ')})`);
  }
  const knownOnly = Object.fromEntries(Object.entries(raw).filter(([name]) => known.includes(name)));
  const parsed = HistogramQuery.safeParse(knownOnly);
  // The depth asked decides the bins allowed; an invalid depth is reported below, and bins are
  // judged as for the default depth.
  const depth: Depth = raw.depth?.trim() === '16' ? 16 : DEFAULT_DEPTH;
  const bins = parsed.success ? parsed.data.bins : binsParam.parse(raw.bins);
  if (!(Number.isInteger(bins) && bins >= MIN_BINS && bins <= MAX_BINS[depth])) {
    const deeper = depth === 8 && Number.isInteger(bins) && bins <= MAX_BINS[16] && bins > MAX_BINS[8] ? ` (up to ${MAX_BINS[16]} with depth=16)` : '';
    problems.push(`Expected integer between ${MIN_BINS} and ${MAX_BINS[depth]} for bins but received "${raw.bins}"${deeper}`);
  }
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => issue.message));
  if (!parsed.success || problems.length > 0) return { success: false, message: problems.join('; ') };
  return parsed;
}

const MEDIA_TYPES: Record<OutputFormat, string> = { json: 'application/json', png: 'image/png', csv: 'text/csv' };

/** How specifically `range` (`image/png`, `image/*`, `*\/*`) matches `type`: 3, 2, 1, or 0 for no match. */
function specificity(range: string, type: string): number {
  if (range === type) return 3;
  if (range === '*/*' || range === '*') return 1;
  if (range.endsWith('/*') && type.startsWith(range.slice(0, -1))) return 2;
  return 0;
}

/**
 * The output format: `format` if given, else the one the Accept header prefers (RFC 9110
 * §12.5.1). Each format takes the q-value of the most specific media range that matches it
 * (`image/png` over `image/*` over `*\/*`), and q=0 refuses it; the highest q wins, then the more
 * specific match, then the earlier range in the header, then json, png, csv in that order. With
 * no Accept header, or nothing acceptable left (`Accept: text/html`), JSON: the routes have no
 * 406. Examples: `image/png;q=0, *\/*` gives json; `text/csv;q=0.5, image/png` gives png.
 */
export function outputFormat(query: HistogramQuery, accept: string | undefined): OutputFormat {
  if (query.format) return query.format;
  // hono's parser (behind hono/accepts): ranges sorted by q, header order kept among equals.
  const ranges = parseAccept(accept ?? '').map((range, index) => ({ type: range.type.toLowerCase(), q: range.q, index }));
  let best: { format: OutputFormat; q: number; specificity: number; index: number } | undefined;
  for (const format of OUTPUT_FORMATS) {
    let match: { q: number; specificity: number; index: number } | undefined;
    for (const range of ranges) {
      const s = specificity(range.type, MEDIA_TYPES[format]);
      if (s > (match?.specificity ?? 0)) match = { q: range.q, specificity: s, index: range.index };
    }
    if (!match || match.q <= 0) continue;
    const better =
      !best ||
      match.q > best.q ||
      (match.q === best.q && (match.specificity > best.specificity || (match.specificity === best.specificity && match.index < best.index)));
    if (better) best = { format, ...match };
  }
  return best?.format ?? 'json';
}
