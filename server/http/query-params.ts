// The histogram routes' query parameters: one zod schema that both validates requests and
// describes them in the OpenAPI document. Messages name the parameter, what was expected and
// what arrived.
import { z } from '@hono/zod-openapi';
import { parseAccept } from 'hono/utils/accept';
import { CHANNEL_NAMES, type ChannelName } from '../histogram/histogram-summary.ts';

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

export const OUTPUT_FORMATS = ['json', 'png', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

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

/** Query parameters of POST /v1/histogram and POST /process-image. */
export const HistogramQuery = z.object({
  bins: intParam('bins', 1, 256, 256, 'Equal-width bins over 0..255; value v goes to bin floor(v × bins / 256).'),
  channels: channelsParam,
  format: choiceParam(
    'format',
    OUTPUT_FORMATS,
    'Output; overrides `Accept`, which is read with its q-values: `image/png` → png, `text/csv` → csv; json when `Accept` prefers it, is absent, or leaves nothing else (`image/png;q=0, */*` → json).',
  ),
  width: intParam('width', 200, 4000, 800, 'Chart width in pixels (png only).'),
  height: intParam('height', 100, 3000, 400, 'Chart height in pixels (png only).'),
  scale: choiceParam('scale', ['linear', 'log'] as const, 'Chart y axis (png only). Default linear.'),
  type: choiceParam('type', ['line', 'bar'] as const, 'Chart kind (png only). Default line.'),
});

export type HistogramQuery = z.output<typeof HistogramQuery>;

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
