// One HTTP request over node:http(s), because fetch drops a caller's Host header (it is a
// "forbidden" header in the Fetch standard) and `--header "Host: ..."` must reach an Ingress.
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Whole request, from connect to the last body byte, in milliseconds. */
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased, as node:http gives them. */
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The error for a request that ran out of time; `name` matches AbortSignal.timeout's. */
export class RequestTimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Sends the request and reads the whole response body.
 * @throws the socket error (with its `code`, e.g. ECONNREFUSED) or RequestTimeoutError.
 */
export function httpRequest(r: HttpRequest): Promise<HttpResponse> {
  const transport = r.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body) headers['content-length'] = r.body.byteLength;
    const request = transport.request(r.url, { method: r.method, headers });
    const timer = setTimeout(() => {
      request.destroy(new RequestTimeoutError(`no response within ${r.timeoutMs} ms`));
    }, r.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      response.once('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
    });
    request.end(r.body);
  });
}
