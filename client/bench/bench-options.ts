// The options of one bench run: what `runBench` takes and what its result line records.
import type { AcceptKind, ImageInput } from './prepare-requests.ts';

export interface BenchOptions {
  /** Target, path and query included, e.g. http://127.0.0.1:8080/v1/histogram. */
  url: string;
  /** Images uploaded in turn (multipart field `file`); none: plain GETs of `url`. */
  images: readonly ImageInput[];
  accept: AcceptKind;
  headers: Record<string, string>;
  connections: number;
  /** Measured duration (null: until `amount`). */
  durationMs: number | null;
  amount: number | null;
  /** Total requests per second over all shards: switches to the open model. */
  rate: number | null;
  warmupMs: number;
  timeoutMs: number;
  shard: { index: number; count: number };
  /** Poll /readyz for up to this long before starting (null: do not wait). */
  untilReadyMs: number | null;
  startAt: string | null;
  log?: (line: string) => void;
}
