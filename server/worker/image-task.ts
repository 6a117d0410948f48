// The work an image thread is asked to do, and what it answers. Errors of the image domain do
// not survive the trip between threads as classes, so they come back as data.
import type { ChartOptions, ChartSeries } from '../chart/chart-config.ts';
import type { CountedImage, CountOptions } from '../histogram/analyze-image.ts';
import type { ImageErrorKind } from '../image/image-error.ts';

/** Decode and count one image (big images: the work and its garbage stay off the event loop). */
export interface AnalyzeTask {
  kind: 'analyze';
  bytes: Uint8Array;
  maxPixels: number;
  /** Depth and mask asked (bins and range are applied afterwards, from the counts). */
  options: CountOptions;
}

/** Draw one histogram chart as PNG. */
export interface ChartTask {
  kind: 'chart';
  /** Channel name → counts per bin, in the order the chart shows them. */
  series: ChartSeries[];
  options: ChartOptions;
  title: string;
}

export type AnalyzeResult = { ok: true; counted: CountedImage } | { ok: false; kind: ImageErrorKind; message: string };
