// The JSON body of a histogram answer, as a type shared by the server that builds it, the
// client that reads it and the tests that check it. Types only: no code, no dependencies.
import type { ChannelName, ChannelSummary } from './histogram-summary.ts';
import type { Depth, MaskName, RangeKind } from '../api/query-limits.ts';

/** Everything in the answer that the image determines. */
export interface HistogramSummary {
  width: number;
  height: number;
  pixels: number;
  format: string;
  space: string;
  channelsInImage: number;
  /** Present for multi-frame images: frames in the file (only the first is counted). */
  frames?: number;
  /** The depth counted: 16 only for a 16-bit image asked at depth 16. */
  depth: Depth;
  bins: number;
  /** How the bins span values: the depth's scale, each channel's min..max, or LO,HI. */
  range: RangeKind;
  mask: MaskName;
  /** Pixels counted: `pixels`, or those with alpha not 0 under mask=alpha. */
  counted: number;
  luma: 'rec601';
  /** Luma counts: the grayscale histogram the original service returned. */
  histogram: number[];
  channels: Partial<Record<ChannelName, ChannelSummary>>;
  timingsMs: { decode: number; histogram: number; render?: number };
}

/** The whole JSON body: the summary plus who served it and where the time went. */
export interface HistogramResponse extends Omit<HistogramSummary, 'timingsMs'> {
  servedBy: string;
  timingsMs: { decode: number; histogram: number; render?: number; queue: number; total: number };
}
