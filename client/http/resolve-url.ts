// Turns the user's `--url` into the endpoint to POST images to.

/** The canonical route, used when `--url` is a bare base such as `http://host:8080`. */
export const DEFAULT_ROUTE = '/v1/histogram';

/**
 * Validates `input` as an http(s) URL. A URL without a path (or just `/`) gets `/v1/histogram`;
 * any other path (e.g. `/process-image`, or a prefix behind an Ingress) is kept as given.
 * @throws Error with an example of a valid URL when `input` is not an absolute http(s) URL.
 */
export function resolveHistogramUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new Error(`Expected an http(s) URL such as http://localhost:8080 but received ${JSON.stringify(input)}`);
  }
  // `new URL('localhost:8080')` parses with protocol "localhost:", hence the explicit check.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `Expected an http(s) URL such as http://localhost:8080 but received ${JSON.stringify(input)}` + ` (protocol ${JSON.stringify(url.protocol)})`,
    );
  }
  if (url.pathname === '' || url.pathname === '/') url.pathname = DEFAULT_ROUTE;
  return url;
}

/** `url` with `params` added to its query (values undefined are left out). */
export function withQuery(url: URL, params: Record<string, string | number | undefined>): URL {
  const out = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) out.searchParams.set(name, String(value));
  }
  return out;
}
