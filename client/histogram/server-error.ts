// Turns a non-200 answer into a one-line message that says why, using the server's own words.
import type { IncomingHttpHeaders } from 'node:http';
import { describeBody } from './histogram-json.ts';

/** The `{"error": {...}}` body of the server's error responses (docs/api.md, "Errors"). */
interface ErrorBody {
  error?: { code?: string; message?: string; requestId?: string };
}

/** A failure the server reported; `code` is its error code when it sent one. */
export interface ServerFailure {
  status: number;
  code?: string;
  message: string;
}

/** Reads status, error code and message from an error response of this service or any other. */
export function describeServerError(status: number, headers: IncomingHttpHeaders, body: Buffer, url: URL): ServerFailure {
  const type = String(headers['content-type'] ?? '');
  if (type.includes('json')) {
    try {
      const parsed = JSON.parse(body.toString('utf8')) as ErrorBody;
      if (parsed.error?.message) {
        const code = parsed.error.code;
        return { status, code, message: `${status}${code ? ` ${code}` : ''}: ${parsed.error.message}` };
      }
    } catch {
      // not this service's error shape: fall through to the generic description
    }
  }
  if (status === 404 || status === 405) {
    return {
      status,
      message:
        `${status} from ${url.href}: no histogram endpoint there ` +
        `(give a base URL such as http://host:8080, or one ending in /v1/histogram or /process-image)`,
    };
  }
  const location = headers.location;
  if (status >= 300 && status < 400 && typeof location === 'string') {
    return { status, message: `${status} from ${url.href}: redirected to ${location}, which is not on the same server (give that URL as --url)` };
  }
  return { status, message: `${status} from ${url.origin}: ${describeBody(body)}` };
}
