// The error table: every error the API can answer with, its HTTP status, and the one class
// routes throw; the image domain's errors are given their code here, at the HTTP edge.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ImageError } from './image/image-error.ts';

/** code → HTTP status and what it means (docs/api.md's error table is checked against this). */
export const ERROR_TABLE = {
  BAD_REQUEST: {
    status: 400,
    when: 'malformed multipart, no `file` field, more than one file, empty body, a bad query parameter value, or a parameter the API does not know (named, with the nearest known name)',
  },
  UNAUTHORIZED: { status: 401, when: '`API_TOKEN` is set and the request lacks `Authorization: Bearer <token>`' },
  NOT_FOUND: { status: 404, when: 'no such route' },
  METHOD_NOT_ALLOWED: { status: 405, when: 'the route exists but not for this method' },
  REQUEST_TIMEOUT: {
    status: 408,
    when: 'headers slower than `HEADERS_TIMEOUT_MS`; an upload slower than `UPLOAD_MIN_BYTES_PER_SEC` or pausing longer than `UPLOAD_IDLE_TIMEOUT_MS`',
  },
  HEADERS_TOO_LARGE: { status: 431, when: "request line and headers over Node's limit (16 KiB)" },
  PAYLOAD_TOO_LARGE: { status: 413, when: 'body over `MAX_UPLOAD_BYTES`: refused from Content-Length before reading, else while streaming' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    when: 'not an image format the service decodes (text, zip, SVG, PDF, unknown bytes), and HEIC: HEIF with HEVC-coded images, which the bundled image library cannot decode',
  },
  UNPROCESSABLE_IMAGE: {
    status: 422,
    when: 'truncated or corrupt image; width × height (× frames) over `MAX_PIXELS`; samples without a counting rule (floating-point, 32-bit or signed integer, more than 4 bands other than CMYK, CMYK with alpha, 16-bit CMYK)',
  },
  OVERLOADED: { status: 503, when: 'queue and waiting room full, or no room in the queue within `WAIT_TIMEOUT_MS`; with `Retry-After`' },
  TIMEOUT: { status: 504, when: 'processing exceeded `REQUEST_TIMEOUT_MS`' },
  INTERNAL: { status: 500, when: 'a fault of the server (a bug, out of memory): never for bad input; logged with the request id' },
} as const satisfies Record<string, { status: ContentfulStatusCode; when: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** The one error class of the API: a code from ERROR_TABLE and a message for the client. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.headers = headers;
  }
}

/** The JSON body of every error response. */
export function errorBody(error: ApiError, requestId: string) {
  return { error: { code: error.code, message: error.message, requestId } };
}

/** The HTTP error for an error of the image domain. */
export function apiErrorFromImage(error: ImageError): ApiError {
  return new ApiError(error.kind === 'unsupported' ? 'UNSUPPORTED_MEDIA_TYPE' : 'UNPROCESSABLE_IMAGE', error.message);
}
