// Writes the suite's part of bench/RESULTS.md: the tables and the verdict on each target,
// between markers so the lead's micro-benchmark section stays untouched.
import { okRate, type SuiteCell, type SuiteRun } from './suite-types.ts';

export const BEGIN = '<!-- suite:begin -->';
export const END = '<!-- suite:end -->';

const f1 = (n: number) => n.toFixed(1);
const msOf = (us: number) => (us / 1000).toFixed(1);

/** A target's verdict: met, or missed by how much. */
export interface Verdict {
  name: string;
  measured: string;
  met: boolean;
  detail: string;
}

function best<T>(items: T[], score: (item: T) => number): number {
  return Math.max(0, ...items.map(score));
}

/** Evaluates the issue's targets from one run (ratios of the best rates over C). */
export function verdicts(run: SuiteRun): Verdict[] {
  const byRole = (role: SuiteCell['role']) => run.cells.filter((c) => c.role === role);
  const out: Verdict[] = [];
  for (const role of ['hd', '12mp'] as const) {
    const cells = byRole(role);
    if (cells.length === 0) continue;
    const ratio = best(cells, (c) => okRate(c.json)) / best(cells, (c) => c.decodePerSec);
    out.push({ name: `JSON req/s ≥ 0.8 × decode-only ceiling, ${cells[0]!.image}`, measured: `${ratio.toFixed(2)} ×`, met: ratio >= 0.8,
      detail: ratio >= 0.8 ? '' : `missed by ${((0.8 - ratio) * 100 / 0.8).toFixed(0)} % of the target` });
  }
  const small = byRole('small');
  if (small.length > 0) {
    const ratio = best(small, (c) => okRate(c.json)) / best(small, (c) => okRate(c.floor));
    out.push({ name: `JSON req/s ≥ 0.5 × HTTP floor, ${small[0]!.image}`, measured: `${ratio.toFixed(2)} ×`, met: ratio >= 0.5,
      detail: ratio >= 0.5 ? '' : `missed by ${((0.5 - ratio) * 100 / 0.5).toFixed(0)} % of the target` });
  }
  const healthP99 = run.overload.healthz.latencyUs.p99 / 1000;
  out.push({ name: '/healthz p99 ≤ 50 ms during overload', measured: `${healthP99.toFixed(1)} ms`, met: healthP99 <= 50 && run.overload.healthz.requests.ok > 0,
    detail: healthP99 <= 50 ? '' : `${(healthP99 - 50).toFixed(1)} ms over` });
  const rss = run.overload.peakRssMiB;
  out.push({ name: 'server peak RSS ≤ 400 MiB during overload', measured: rss === null ? 'n/a' : `${rss.toFixed(0)} MiB`, met: rss !== null && rss <= 400,
    detail: rss === null ? '/proc not readable' : rss <= 400 ? '' : `${(rss - 400).toFixed(0)} MiB over` });
  return out;
}

/** The markdown between the markers. */
export function renderSuiteSection(run: SuiteRun): string {
  const e = run.env;
  const lines = [
    BEGIN,
    '## Benchmark suite (`npm run bench`)',
    '',
    `Measured ${e.date} on ${e.cpus} CPUs (${e.cpuModel}), Node ${e.node}, sharp ${e.sharp} (libvips ${e.libvips}).`,
    `${e.placement}`,
    `1-minute load average before the suite started: ${e.loadAverage.start.toFixed(2)}` +
      (e.loadAverage.start > 0.5 ? ' (other work was running on the machine: treat the figures as lower bounds)' : '') +
      `; at the end ${e.loadAverage.end.toFixed(2)}, which includes the suite's own server, worker and generator threads.`,
    `Server: \`${e.serverCommand}\` with CONCURRENCY=${e.concurrency} and the other settings at their defaults (MAX_QUEUE 64).`,
    `HTTP floor: \`${e.floorCommand}\` (Hono POST endpoint reading the whole body). Decode-only: \`bench/decode-ceiling.ts\`, sharp decoding the same bytes to raw sRGB, C at a time, pinned like the server.`,
    `Each cell: closed model (\`client bench\`'s engine), ${e.warmupMs / 1000} s warm-up, ${e.durationMs / 1000} s measured, one image uploaded as multipart over and over; req/s counts 2xx responses; p99 in ms.`,
    '',
    '| image | bytes | C | decode-only /s | HTTP floor /s | floor p99 | JSON /s | JSON p99 | PNG /s | PNG p99 | JSON ÷ decode | JSON ÷ floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...run.cells.map((c) => `| ${c.image} | ${c.imageBytes} | ${c.connections} | ${f1(c.decodePerSec)} | ${f1(okRate(c.floor))} | ${msOf(c.floor.latencyUs.p99)} | ` +
      `${f1(okRate(c.json))} | ${msOf(c.json.latencyUs.p99)} | ${f1(okRate(c.png))} | ${msOf(c.png.latencyUs.p99)} | ` +
      `${(okRate(c.json) / c.decodePerSec).toFixed(2)} | ${(okRate(c.json) / okRate(c.floor)).toFixed(2)} |`),
    '',
    '### Overload',
    '',
    `${run.overload.connections} connections (8 × CONCURRENCY) uploading the ${run.overload.image} for ${e.durationMs / 1000} s on a freshly started server, ` +
      'with `/healthz` probed alongside at 20 req/s (open model, latency from each probe\'s due time).',
    '',
    '| req/s (all) | 2xx/s | 503 share | p99 of 2xx | /healthz p99 | /healthz max | server peak RSS (VmHWM) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    overloadRow(run),
    ...((run.overload.result.statuses['503'] ?? 0) === 0
      ? ['', `No 503s: ${run.overload.connections} connections can have at most ${run.overload.connections} requests in the server, fewer than CONCURRENCY + MAX_QUEUE ` +
        `(${run.env.concurrency} + 64), so it queues them instead of shedding; the p99 of the uploads is mostly time waiting in that queue.`]
      : []),
    '',
    '### Targets',
    '',
    '| target | measured | verdict |',
    '|---|---:|---|',
    ...verdicts(run).map((v) => `| ${v.name} | ${v.measured} | ${v.met ? 'met' : `**missed**: ${v.detail}`} |`),
    '',
    'Ratios use the best rate over the connection counts for each side. Plots: [suite-throughput.png](suite-throughput.png), [suite-overload.png](suite-overload.png).',
    END,
  ];
  return lines.join('\n');
}

function overloadRow(run: SuiteRun): string {
  const { result, healthz, peakRssMiB } = run.overload;
  const ms = result.endMs - result.startMs;
  const shed = result.statuses['503'] ?? 0;
  return `| ${f1((result.requests.completed * 1000) / ms)} | ${f1(okRate(result))} | ${(100 * shed / Math.max(1, result.requests.completed)).toFixed(1)} % | ` +
    `${msOf(result.latencyUs.p99)} | ${msOf(healthz.latencyUs.p99)} | ${msOf(healthz.latencyUs.max)} | ${peakRssMiB === null ? 'n/a' : `${peakRssMiB.toFixed(0)} MiB`} |`;
}

/** `existing` with the text between the markers replaced (markers appended when absent). */
export function replaceSuiteSection(existing: string | null, section: string): string {
  if (existing === null || existing.trim() === '') return `# Benchmark results\n\n${section}\n`;
  const begin = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  if (begin === -1 || end === -1 || end < begin) return `${existing.trimEnd()}\n\n${section}\n`;
  return existing.slice(0, begin) + section + existing.slice(end + END.length);
}
