// Collects what one bench run observed, response by response: latencies (µs) into HDR
// histograms, counts per wall-clock second, statuses, error kinds and X-Served-By spread.
import type { Histogram } from 'hdr-histogram-js';
import { createLatencyHistogram } from './latency-histogram.ts';

/** One recorder per measured window; warm-up uses its own and throws it away. */
export class BenchRecorder {
  readonly latency: Histogram = createLatencyHistogram();
  readonly uncorrected: Histogram = createLatencyHistogram();
  readonly perSecond = new Map<number, [number, number]>();
  readonly statuses = new Map<number, number>();
  readonly errors = new Map<string, number>();
  readonly servedBy = new Map<string, number>();
  sent = 0;
  completed = 0;
  ok = 0;
  bytesReceived = 0;

  /** Counts a request written to the wire. */
  recordSent(): void {
    this.sent++;
  }

  /**
   * Records a response. `latencyUs` goes into the main histogram (2xx only: shed 503s answered
   * in microseconds would make an overloaded server look fast); `uncorrectedUs` is the open
   * model's latency from the actual send.
   */
  recordResponse(status: number, latencyUs: number, bytes: number, servedBy: string | undefined, uncorrectedUs?: number): void {
    this.completed++;
    this.bytesReceived += bytes;
    const second = Math.floor(Date.now() / 1000);
    const slot = this.perSecond.get(second) ?? [0, 0];
    slot[0]++;
    const success = status >= 200 && status < 300;
    if (success) {
      this.ok++;
      slot[1]++;
      // HDR needs integers >= 1; sub-microsecond latencies do not happen over a socket.
      this.latency.recordValue(Math.max(1, Math.round(latencyUs)));
      if (uncorrectedUs !== undefined) this.uncorrected.recordValue(Math.max(1, Math.round(uncorrectedUs)));
    }
    this.perSecond.set(second, slot);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    const replica = servedBy ?? '(none)';
    this.servedBy.set(replica, (this.servedBy.get(replica) ?? 0) + 1);
  }

  /** Records a request that got no response: "timeout" or a socket error code. */
  recordError(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }
}
