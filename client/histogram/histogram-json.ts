// The server's JSON response, as the client reads it: the server's own type (a type-only
// import: nothing of the server is loaded by the client at run time).
import type { HistogramResponse } from '../../server/histogram/histogram-response.ts';
import type { ChannelSummary as ChannelStats } from '../../server/histogram/histogram-summary.ts';

export type { ChannelStats };

/** The body of a 200 JSON answer from POST /v1/histogram. */
export type HistogramJson = HistogramResponse;

/**
 * Parses and checks the fields the client relies on.
 * @throws Error when the body is not JSON or lacks `histogram`/`channels` (e.g. the URL points
 *   at some other service that also answers 200).
 */
export function parseHistogramJson(body: Buffer): HistogramJson {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error(`expected a JSON histogram but the server sent ${describeBody(body)}`);
  }
  const candidate = value as Partial<HistogramJson> | null;
  if (candidate === null || typeof candidate !== 'object' || !Array.isArray(candidate.histogram) || typeof candidate.channels !== 'object') {
    throw new Error(`expected a JSON histogram (with "histogram" and "channels") but the server sent ${describeBody(body)}`);
  }
  return candidate as HistogramJson;
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
