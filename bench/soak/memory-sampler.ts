// Samples a server's memory once a second: VmRSS and VmHWM from /proc/<pid>/status (the whole
// process, worker threads and libvips included), and the main thread's V8 heap and external
// memory from its Prometheus /metrics when it serves them.
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';

export interface MemorySample {
  /** Seconds since sampling started. */
  t: number;
  rssMiB: number | null;
  hwmMiB: number | null;
  heapUsedMiB: number | null;
  externalMiB: number | null;
}

const MiB = 1024 * 1024;

/** VmRSS and VmHWM of `pid` in MiB, or nulls if /proc has no such process. */
export async function readProcMemory(pid: number): Promise<{ rssMiB: number | null; hwmMiB: number | null }> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) / 1024 : null;
    };
    return { rssMiB: kb('VmRSS'), hwmMiB: kb('VmHWM') };
  } catch {
    return { rssMiB: null, hwmMiB: null };
  }
}

function getText(url: string, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(res.statusCode === 200 ? Buffer.concat(chunks).toString('utf8') : null));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** A gauge's value from Prometheus text (first series), or null. */
export function metricValue(text: string, name: string): number | null {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

export interface MemorySampler {
  samples: MemorySample[];
  stop(): Promise<MemorySample[]>;
}

/** Samples `pid` (if given) and `${baseUrl}/metrics` every `intervalMs`. */
export function sampleMemory(pid: number | undefined, baseUrl: string, intervalMs = 1000): MemorySampler {
  const samples: MemorySample[] = [];
  const started = performance.now();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const due = performance.now() + intervalMs;
      const t = (performance.now() - started) / 1000;
      const [proc, metrics] = await Promise.all([
        pid === undefined ? { rssMiB: null, hwmMiB: null } : readProcMemory(pid),
        getText(`${baseUrl}/metrics`, intervalMs),
      ]);
      const heap = metrics === null ? null : metricValue(metrics, 'nodejs_heap_size_used_bytes');
      const external = metrics === null ? null : metricValue(metrics, 'nodejs_external_memory_bytes');
      samples.push({ t, ...proc, heapUsedMiB: heap === null ? null : heap / MiB, externalMiB: external === null ? null : external / MiB });
      const wait = due - performance.now();
      if (wait > 0 && !stopped) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

/** Least-squares slope of `y` over `x` (units of y per unit of x); 0 with fewer than 2 points. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
