// The OpenAPI 3.1 document, built from the same zod schema that validates the query.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { HistogramQuery } from '../http/query-params.ts';
import { ERROR_TABLE } from '../errors.ts';
import { ErrorResponseSchema, HistogramResponseSchema } from '../api/response-schemas.ts';

const errorResponses = Object.fromEntries(
  Object.entries(ERROR_TABLE)
    .filter(([code]) => code !== 'INTERNAL' && code !== 'NOT_FOUND' && code !== 'METHOD_NOT_ALLOWED')
    .map(([code, { status, when }]) => [String(status), { description: `${code}: ${when}`, content: { 'application/json': { schema: ErrorResponseSchema } } }]),
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
            'application/json': { schema: HistogramResponseSchema },
            'text/csv': { schema: z.string() },
            'image/png': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        ...errorResponses,
      },
    });
  }
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process is alive and its event loop turns',
    responses: { 200: { description: '`{"status":"ok"}`' } },
  });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: false while starting and while draining, not while merely busy',
    responses: {
      200: { description: '`{"status":"ready"}`: the workers are loaded and warm' },
      503: { description: '`{"status":"starting"}` before the workers are warm, `{"status":"draining"}` after SIGTERM' },
    },
  });
  api.openAPIRegistry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'the Prometheus text format' } },
  });
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'histogram-service',
      version,
      description: 'Exact per-channel histograms of uploaded images as JSON, CSV or a PNG chart.',
    },
  });
}
