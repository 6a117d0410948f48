// The OpenAPI 3.1 document, built from the same zod schema that validates the query.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { HistogramQuery } from '../http/query-params.ts';
import { ERROR_TABLE } from '../errors.ts';

const Stats = z.object({
  counts: z.array(z.number().int()).openapi({ description: '`bins` counts; they sum to `pixels`' }),
  mean: z.number(),
  stdev: z.number().openapi({ description: 'population standard deviation' }),
  min: z.number().int(),
  max: z.number().int(),
  median: z.number().int(),
  p01: z.number().int(),
  p99: z.number().int(),
  entropy: z.number().openapi({ description: 'bits' }),
});

const HistogramResponse = z
  .object({
    width: z.number().int(),
    height: z.number().int(),
    pixels: z.number().int(),
    format: z.string().openapi({ example: 'png' }),
    space: z.string().openapi({ example: 'srgb', description: 'colour space of the source' }),
    channelsInImage: z.number().int(),
    frames: z.number().int().optional().openapi({ description: 'frames in an animated image; only the first is counted' }),
    bins: z.number().int(),
    luma: z.literal('rec601'),
    histogram: z.array(z.number().int()).openapi({ description: 'luma counts (Pillow convert("L").histogram())' }),
    channels: z.record(z.enum(['red', 'green', 'blue', 'alpha', 'luma']), Stats),
    servedBy: z.string(),
    timingsMs: z.object({ decode: z.number(), histogram: z.number(), render: z.number().optional(), queue: z.number(), total: z.number() }),
  })
  .openapi('Histogram');

const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_TABLE) as [string, ...string[]]),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

const errorResponses = Object.fromEntries(
  Object.entries(ERROR_TABLE)
    .filter(([code]) => code !== 'INTERNAL' && code !== 'NOT_FOUND' && code !== 'METHOD_NOT_ALLOWED')
    .map(([code, { status, when }]) => [String(status), { description: `${code}: ${when}`, content: { 'application/json': { schema: ErrorResponse } } }]),
);

/** Returns the OpenAPI document of the service. */
export function openApiDocument(version: string) {
  const api = new OpenAPIHono();
  for (const [path, summary] of [
    ['/v1/histogram', 'Histogram of an uploaded image'],
    ['/process-image', 'Same as /v1/histogram (compatibility route of the original service)'],
  ] as const) {
    api.openAPIRegistry.registerPath({
      method: 'post',
      path,
      summary,
      request: {
        query: HistogramQuery,
        body: {
          required: true,
          content: {
            'multipart/form-data': { schema: z.object({ file: z.string().openapi({ format: 'binary' }) }) },
            'image/*': { schema: z.string().openapi({ format: 'binary' }) },
            'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
      },
      responses: {
        200: {
          description: 'The histogram: JSON, CSV (`value,<channel>...`) or a PNG chart',
          content: {
            'application/json': { schema: HistogramResponse },
            'text/csv': { schema: z.string() },
            'image/png': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        ...errorResponses,
      },
    });
  }
  for (const [path, summary] of [
    ['/healthz', 'Liveness: the process is alive and its event loop turns'],
    ['/readyz', 'Readiness: 503 while starting or draining'],
    ['/metrics', 'Prometheus metrics (text format)'],
  ] as const) {
    api.openAPIRegistry.registerPath({ method: 'get', path, summary, responses: { 200: { description: 'OK' } } });
  }
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'histogram-service',
      version,
      description: 'Exact per-channel histograms of uploaded images as JSON, CSV or a PNG chart.',
    },
  });
}
