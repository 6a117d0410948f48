// Probes GET /healthz at a steady interval while a load runs, and reports every probe that
// did not get a 200 within the timeout (the server stopped answering its liveness probe).
import { request } from 'node:http';

export interface HealthWatch {
  /** Stops probing; resolves with what was seen. */
  stop(): Promise<HealthReport>;
}

export interface HealthReport {
  probes: number;
  /** Latencies of answered probes, ms. */
  latenciesMs: number[];
  failures: Array<{ at: number; detail: string }>;
}

/** One GET with a deadline; resolves with the status and time, or the reason it failed. */
export function probe(url: string, timeoutMs: number): Promise<{ status: number; ms: number } | { error: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.on('error', (error) => resolve({ error: error.message, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ error: error.message, ms: performance.now() - started }));
    req.end();
  });
}

/** Starts probing `${baseUrl}/healthz` every `intervalMs`; `onFailure` hears each failed probe. */
export function watchHealth(baseUrl: string, intervalMs: number, timeoutMs: number, onFailure: (detail: string) => void = () => {}): HealthWatch {
  const report: HealthReport = { probes: 0, latenciesMs: [], failures: [] };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const due = performance.now() + intervalMs;
      const result = await probe(`${baseUrl}/healthz`, timeoutMs);
      report.probes++;
      if ('status' in result && result.status === 200) report.latenciesMs.push(result.ms);
      else {
        const detail =
          'status' in result
            ? `GET /healthz answered ${result.status} after ${result.ms.toFixed(0)} ms`
            : `GET /healthz failed after ${result.ms.toFixed(0)} ms: ${result.error}`;
        report.failures.push({ at: Date.now(), detail });
        onFailure(detail);
      }
      const wait = due - performance.now();
      if (wait > 0 && !stopped) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return report;
    },
  };
}

/** The p-th percentile (0..100) of `values`, or 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
