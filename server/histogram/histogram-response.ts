// The JSON body of a histogram answer as TypeScript types, derived from the zod schema that
// /openapi.json publishes, for the server that builds it, the client that reads it and the tests
// that check it. Types only: nothing here runs.
import type { z } from '@hono/zod-openapi';
import type { HistogramResponseSchema } from '../api/response-schemas.ts';

/** The whole JSON body: what the image determines, plus who served it and where the time went. */
export type HistogramResponse = z.output<typeof HistogramResponseSchema>;

/** Everything in the answer that the image determines (the body less `servedBy` and the request's own timings). */
export type HistogramSummary = Omit<HistogramResponse, 'servedBy' | 'timingsMs'> & {
  timingsMs: Omit<HistogramResponse['timingsMs'], 'queue' | 'total'>;
};
