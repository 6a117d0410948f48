// The server's JSON response, as the client reads it: the server's own type (a type-only
// import: nothing of the server is loaded by the client at run time).
import type { HistogramResponse } from '../../server/histogram/histogram-response.ts';
import type { ChannelSummary as ChannelStats } from '../../server/histogram/histogram-summary.ts';

export type { ChannelStats };

/** The body of a 200 JSON answer from POST /v1/histogram. */
export type HistogramJson = HistogramResponse;

/**
 * The answer of an older server, such as the Python service this one replaces: `{"histogram":
 * [counts]}` and nothing else, the luma histogram (Pillow's `convert("L")`) in 256 bins over the
 * image's own luma min..max (`numpy.histogram(gray, bins=256)`), not over 0..255.
 */
export interface LegacyHistogram {
  histogram: number[];
  /** The sum of the counts: every pixel is in one bin. */
  pixels: number;
}

/** A 200 JSON answer: this service's full histogram, or an older server's luma-only one. */
export type HistogramAnswer = { kind: 'full'; json: HistogramJson } | { kind: 'legacy'; legacy: LegacyHistogram };

/**
 * Reads a 200 JSON answer: `histogram` with `channels` is this service's answer; `histogram`
 * (an array of counts) without `channels` is an older server's luma-only answer.
 * @throws Error when the body is not JSON or has no `histogram` array of counts (e.g. the URL
 *   points at some other service that also answers 200).
 */
export function parseHistogramAnswer(body: Buffer): HistogramAnswer {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error(`expected a JSON histogram but the server sent ${describeBody(body)}`);
  }
  const candidate = value as Partial<HistogramJson> | null;
  const histogram = candidate !== null && typeof candidate === 'object' ? candidate.histogram : undefined;
  const counts = Array.isArray(histogram) && histogram.length > 0 && histogram.every((n) => Number.isInteger(n) && n >= 0);
  if (!counts) {
    throw new Error(`expected a JSON histogram (an object with a "histogram" array of counts) but the server sent ${describeBody(body)}`);
  }
  if (candidate!.channels !== undefined && candidate!.channels !== null && typeof candidate!.channels === 'object') {
    return { kind: 'full', json: candidate as HistogramJson };
  }
  const legacy = histogram as number[];
  return { kind: 'legacy', legacy: { histogram: legacy, pixels: legacy.reduce((a, b) => a + b, 0) } };
}

/**
 * Parses and checks this service's full answer.
 * @throws Error when the body is not JSON or lacks `histogram`/`channels`.
 */
export function parseHistogramJson(body: Buffer): HistogramJson {
  const answer = parseHistogramAnswer(body);
  if (answer.kind === 'full') return answer.json;
  throw new Error(`expected a JSON histogram (with "histogram" and "channels") but the server sent ${describeBody(body)}`);
}

/** A short, printable description of a response body for error messages. */
export function describeBody(body: Buffer): string {
  if (body.length === 0) return 'an empty body';
  const text = body.subarray(0, 120).toString('utf8').replace(/\s+/g, ' ').trim();
  // Binary bodies (an image, say) are not worth printing.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what marks binary data here
  if (/[\u0000-\u0008\uFFFD]/.test(text)) return `${body.length} bytes of binary data`;
  return JSON.stringify(body.length > 120 ? `${text}…` : text);
}
