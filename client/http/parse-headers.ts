// Parses repeated `--header "Name: value"` options into a header record.

/** RFC 9110 token characters: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Turns `['Host: a.example', 'X-Token: t']` into `{ Host: 'a.example', 'X-Token': 't' }`.
 * The value is trimmed and may contain colons; a repeated name keeps the last value.
 * @throws Error naming the bad entry when it has no colon, an empty or invalid name.
 */
export function parseHeaders(list: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of list) {
    const colon = entry.indexOf(':');
    const name = colon === -1 ? '' : entry.slice(0, colon).trim();
    if (colon === -1 || !HEADER_NAME.test(name)) {
      throw new Error(`Expected a header as "Name: value" but received ${JSON.stringify(entry)}`);
    }
    const value = entry.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) {
      throw new Error(`Expected a header value without line breaks but received ${JSON.stringify(entry)}`);
    }
    headers[name] = value;
  }
  return headers;
}
