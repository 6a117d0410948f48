// Collects what one bench run observed, response by response: latencies (µs) into HDR
// histograms, a tally per wall-clock second (the timeline), statuses, error kinds and the
// X-Served-By spread.
import type { Histogram } from 'hdr-histogram-js';
import { createLatencyHistogram } from './latency-histogram.ts';
import { SecondTally } from './timeline.ts';

/** One recorder per measured window; warm-up uses its own and throws it away. */
export class BenchRecorder {
  readonly latency: Histogram = createLatencyHistogram();
  readonly uncorrected: Histogram = createLatencyHistogram();
  /** Outcomes by the epoch second they arrived in. */
  readonly seconds = new Map<number, SecondTally>();
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
    const success = status >= 200 && status < 300;
    // HDR needs integers >= 1; sub-microsecond latencies do not happen over a socket.
    const us = success ? Math.max(1, Math.round(latencyUs)) : null;
    if (us !== null) {
      this.ok++;
      this.latency.recordValue(us);
      if (uncorrectedUs !== undefined) this.uncorrected.recordValue(Math.max(1, Math.round(uncorrectedUs)));
    }
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    const replica = servedBy ?? '(none)';
    this.servedBy.set(replica, (this.servedBy.get(replica) ?? 0) + 1);
    this.tally().response(us, replica);
  }

  /** Records a request that got no response: "timeout" or a socket error code. */
  recordError(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    this.tally().failure(kind);
  }

  /** The tally of the current wall-clock second. */
  private tally(): SecondTally {
    const second = Math.floor(Date.now() / 1000);
    let tally = this.seconds.get(second);
    if (!tally) {
      tally = new SecondTally();
      this.seconds.set(second, tally);
    }
    return tally;
  }
}
