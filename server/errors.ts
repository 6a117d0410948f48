// The error table: every error the API can answer with, its HTTP status, and the one class
// routes throw. Also maps sharp/libvips messages to these codes.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** code → HTTP status and what it means (docs/api.md's error table is checked against this). */
export const ERROR_TABLE = {
  BAD_REQUEST: { status: 400, when: 'malformed multipart, no `file` field, more than one file, empty body, bad query parameter' },
  UNAUTHORIZED: { status: 401, when: '`API_TOKEN` is set and the request lacks `Authorization: Bearer <token>`' },
  NOT_FOUND: { status: 404, when: 'no such route' },
  METHOD_NOT_ALLOWED: { status: 405, when: 'the route exists but not for this method' },
  PAYLOAD_TOO_LARGE: { status: 413, when: 'body over `MAX_UPLOAD_BYTES`, refused while streaming' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: 'not an image sharp can decode (text, zip, unknown bytes)' },
  UNPROCESSABLE_IMAGE: { status: 422, when: 'truncated or corrupt image; width × height (× frames) over `MAX_PIXELS`' },
  OVERLOADED: { status: 503, when: 'queue full: answered at once with `Retry-After`' },
  TIMEOUT: { status: 504, when: 'processing exceeded `REQUEST_TIMEOUT_MS`' },
  INTERNAL: { status: 500, when: 'a bug: never for bad input' },
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

/** Formats a byte count for messages: "31.2 MiB", "512 KiB", "100 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trim(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}

// libvips/sharp messages (sharp src/common.cc, libvips foreign loaders) and what they mean here.
const SHARP_MESSAGES: ReadonlyArray<[RegExp, ErrorCode, string]> = [
  [/unsupported image format/i, 'UNSUPPORTED_MEDIA_TYPE', 'the upload is not an image format this service decodes (JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF)'],
  [/exceeds pixel limit/i, 'UNPROCESSABLE_IMAGE', 'the image has more pixels than the limit'],
  [/premature end|truncated|unexpected end|not enough data|end of (file|stream)|out of data|short read/i, 'UNPROCESSABLE_IMAGE', 'the image data is truncated'],
  [/corrupt|invalid|bad |error|failed|read|decode|load/i, 'UNPROCESSABLE_IMAGE', 'the image data is corrupt'],
];

/**
 * Maps an error thrown by sharp while reading an upload to an ApiError. Anything sharp throws
 * for input is the input's fault (415 or 422), so this never yields a 500.
 */
export function mapSharpError(error: unknown, maxPixels: number): ApiError {
  if (error instanceof ApiError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const firstLine = detail.split('\n').find((line) => line.trim() !== '') ?? detail;
  for (const [pattern, code, summary] of SHARP_MESSAGES) {
    if (!pattern.test(detail)) continue;
    const suffix = code === 'UNPROCESSABLE_IMAGE' && /pixel limit/i.test(detail) ? ` of ${maxPixels}` : '';
    return new ApiError(code, `${summary}${suffix} (decoder said: ${firstLine.trim()})`);
  }
  return new ApiError('UNPROCESSABLE_IMAGE', `the image could not be decoded (decoder said: ${firstLine.trim()})`);
}
