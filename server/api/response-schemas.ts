// The JSON bodies the API answers, as zod schemas: the one source of the response types the
// server builds and the client reads (histogram-response.ts), and of the schemas /openapi.json
// publishes (tests validate real answers against those).
import { z } from '@hono/zod-openapi';
import { ERROR_TABLE } from '../errors.ts';
import { CHANNEL_NAMES } from './query-limits.ts';

const percentile = 'nearest rank: the smallest value whose cumulative count reaches ⌈p × counted⌉';
const units = 'over every counted pixel, whatever the range, in the units of `depth` (0..255, or 0..65535 at depth 16)';
const Stats = z.object({
  counts: z.array(z.number().int()).openapi({ description: '`bins` counts; with range full they sum to `counted`' }),
  binRange: z.tuple([z.number(), z.number()]).openapi({
    description:
      "the outer edges [lo, hi] of the bins: [0, 2^depth] for range full, the channel's min..max for data ([0, 1] when nothing was counted), LO..HI for an explicit range; an empty range (lo = hi) is widened by ±0.5 as numpy does",
  }),
  mean: z.number().openapi({ description: `mean of the values, ${units}` }),
  stdev: z.number().openapi({ description: `population standard deviation of the values, ${units}` }),
  min: z
    .number()
    .int()
    .openapi({ description: `smallest value present, ${units}` }),
  max: z
    .number()
    .int()
    .openapi({ description: `largest value present, ${units}` }),
  median: z
    .number()
    .int()
    .openapi({ description: `50th percentile (${percentile})` }),
  p01: z
    .number()
    .int()
    .openapi({ description: `1st percentile (${percentile})` }),
  p99: z
    .number()
    .int()
    .openapi({ description: `99th percentile (${percentile})` }),
  entropy: z.number().openapi({ description: 'Shannon entropy of the value distribution, in bits (0..8, or 0..16 at depth 16)' }),
});

export const HistogramResponseSchema = z
  .object({
    width: z.number().int().openapi({ description: 'of the image (the first frame of an animated image)' }),
    height: z.number().int().openapi({ description: 'of the image (the first frame of an animated image)' }),
    pixels: z.number().int().openapi({ description: 'width × height (of the first frame)' }),
    format: z.string().openapi({ example: 'png', description: '`jpeg`, `png`, `webp`, `gif`, `tiff` or `avif`, from the bytes' }),
    space: z.string().openapi({
      example: 'srgb',
      description:
        "the source colour space as libvips names it (`srgb`, `b-w`, `cmyk`, `rgb16`, `grey16`); what is counted for each follows the per-class rules of docs/api.md (16-bit samples as stored or by their high byte, CMYK by Pillow's rule)",
    }),
    channelsInImage: z.number().int().openapi({ description: 'channels the file declares (4 for CMYK or RGBA, 1 for gray, …)' }),
    frames: z.number().int().optional().openapi({ description: 'multi-frame images only: frames in the file; only the first is counted' }),
    depth: z
      .number()
      .int()
      .openapi({ enum: [8, 16], description: 'the depth counted: 16 only for a 16-bit image asked with depth=16; an 8-bit image is always counted at 8' }),
    bins: z.number().int().openapi({ description: 'the length of every `counts` array' }),
    range: z
      .enum(['full', 'data', 'explicit'])
      .openapi({ description: "how the bins span values: the depth's scale, each channel's min..max, or the LO,HI asked" }),
    mask: z.enum(['none', 'alpha']).openapi({ description: '`alpha`: only pixels whose alpha is not 0 were counted' }),
    counted: z.number().int().openapi({ description: 'pixels counted: `pixels`, or those the mask kept' }),
    luma: z.literal('rec601').openapi({ description: 'how luma is computed: (19595·R + 38470·G + 7471·B + 32768) >> 16, as Pillow\'s `convert("L")`' }),
    histogram: z.array(z.number().int()).openapi({ description: 'the luma counts: Pillow\'s `convert("L").histogram()` of the same pixels' }),
    channels: z
      .partialRecord(z.enum(CHANNEL_NAMES), Stats)
      .openapi({ description: 'the channels asked for (default: every channel the image has, plus luma)' }),
    servedBy: z.string().openapi({ description: '`POD_NAME`, else the host name (also the `X-Served-By` header)' }),
    timingsMs: z
      .object({
        decode: z.number(),
        histogram: z.number().openapi({ description: 'counting and statistics' }),
        render: z.number().optional().openapi({ description: 'drawing the chart (png only)' }),
        queue: z.number().openapi({ description: 'waiting for a worker' }),
        total: z.number().openapi({ description: 'in the server, from arrival to response' }),
      })
      .openapi({ description: 'milliseconds spent in each stage' }),
  })
  .openapi('Histogram');

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_TABLE) as [string, ...string[]]),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');
