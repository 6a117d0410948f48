// The soak's result as a terminal table and as its section of bench/RESULTS.md (between its
// own markers, so the other sections of that file stay as they are).
import { FAILURE_KINDS } from '../fuzz/check-answer.ts';
import { percentile } from '../fuzz/health-watch.ts';
import type { SoakResult } from './run-soak.ts';

export const SOAK_BEGIN = '<!-- soak:begin -->';
export const SOAK_END = '<!-- soak:end -->';

const KINDS = ['valid', 'large', 'bad', 'oversized'] as const;
const mib = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
const pct = (v: number) => `${Math.round(v * 100)} %`;

function statusRows(result: SoakResult): string[][] {
  return Object.keys(result.statuses)
    .sort()
    .map((status) => [status, ...KINDS.map((k) => String(result.byKind[k]?.[status] ?? '')), String(result.statuses[status])]);
}

function verdictText(result: SoakResult): string {
  const { memory } = result;
  if (result.verdict === 'unknown') return 'unknown (too few memory samples)';
  const floor = memory.rssFloorSlopeMiBPerMin;
  const what =
    floor !== null
      ? `VmRSS floor rises ${floor.toFixed(1)} MiB/min`
      : memory.rssSlopeMiBPerMin !== null
        ? `VmRSS rises ${memory.rssSlopeMiBPerMin.toFixed(1)} MiB/min`
        : `heap rises ${memory.heapSlopeMiBPerMin!.toFixed(1)} MiB/min`;
  return `${result.verdict === 'growing' ? 'GROWING' : 'flat'}: ${what} over the last half (limit ${result.maxSlopeMiBPerMin} MiB/min)`;
}

function problemLines(result: SoakResult, limit: number): string[] {
  const lines = result.serverProblems.slice(0, limit).map((p) => `[${p.kind}] ${p.detail}`);
  for (const f of result.failures.slice(0, limit)) {
    for (const p of f.problems)
      lines.push(`[${p.kind}] ${f.kind} ${f.label}, ${(f.bytes / 1024 / 1024).toFixed(2)} MiB ${f.framing} via ${f.client}, POST ${f.path}: ${p.detail}`);
  }
  return lines;
}

const outputsText = ({ mix }: SoakResult) => `${mix.outputs.json}:${mix.outputs.csv}:${mix.outputs.png}`;
const slopeText = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} MiB/min`);

const trailStep = (result: SoakResult) => (result.durationMs < 120_000 ? 10 : 30);

/** RSS every `step` seconds, "0 s 210, 30 s 250, ...". */
function rssTrail(result: SoakResult, step: number): string {
  const out: string[] = [];
  let next = 0;
  for (const s of result.samples) {
    if (s.t + 0.5 < next || s.rssMiB === null) continue;
    out.push(`${Math.round(s.t)} s ${s.rssMiB.toFixed(0)}`);
    next += step;
  }
  return out.join(', ');
}

/** The summary for a terminal. */
export function formatSoakSummary(result: SoakResult): string {
  const seconds = result.durationMs / 1000;
  const ok = Object.entries(result.statuses)
    .filter(([k]) => /^2/.test(k))
    .reduce((s, [, v]) => s + v, 0);
  const { server, mix, memory } = result;
  const lines = [
    `soak: ${seconds.toFixed(0)} s, seed ${result.seed}, ${result.connections} connections against ${result.startedServer ? 'a server started from source' : 'target'} ${result.url} (CONCURRENCY ${server.concurrency}, MAX_QUEUE ${server.maxQueue}, MAX_UPLOAD_BYTES ${server.maxUploadBytes})`,
    `mix: large uploads ${pct(mix.large)}, bad inputs ${pct(mix.bad)}, oversized ${pct(mix.oversized)}, write-before-read clients ${pct(mix.writeFirst)}; outputs json/csv/png ${outputsText(result)}, ${mix.chartSizes > 0 ? `${mix.chartSizes} chart sizes` : 'charts of random size'} (200-1600 × 100-800)`,
    '',
    ['status', ...KINDS, 'total'].map((c, i) => (i === 0 ? c.padEnd(28) : c.padStart(11))).join(''),
    ...statusRows(result).map((row) => row.map((c, i) => (i === 0 ? c.padEnd(28) : c.padStart(11))).join('')),
    '',
    `requests: ${result.requests} (${(result.requests / seconds).toFixed(1)}/s), 2xx ${(ok / seconds).toFixed(1)}/s`,
    `/healthz: ${result.healthz.probes} probes, ${result.healthz.failures.length} failed, p99 ${percentile(result.healthz.latenciesMs, 99).toFixed(1)} ms, max ${Math.max(0, ...result.healthz.latenciesMs).toFixed(1)} ms`,
    `VmRSS MiB: start ${mib(memory.rssStartMiB)}, peak ${mib(memory.rssPeakMiB)}, end ${mib(memory.rssEndMiB)}; VmHWM ${mib(memory.hwmEndMiB)}; main-thread heap ${mib(memory.heapStartMiB)} → ${mib(memory.heapEndMiB)}`,
    `VmRSS every ${trailStep(result)} s: ${rssTrail(result, trailStep(result))}`,
    `VmRSS slope over the last half: ${slopeText(memory.rssSlopeMiBPerMin)} (all samples), ${slopeText(memory.rssFloorSlopeMiBPerMin)} (floor: minimum of each 10 s)`,
    `memory: ${verdictText(result)}`,
  ];
  const failing = result.failureCount + result.serverProblems.length;
  if (failing === 0) lines.push('', `PASS: every answer as the contract says; memory ${result.verdict}`);
  else {
    lines.push(
      '',
      `FAIL: ${result.failureCount} failing requests${result.serverProblems.length ? `, ${result.serverProblems.length} server problem${result.serverProblems.length === 1 ? '' : 's'}` : ''}; by kind: ${FAILURE_KINDS.filter(
        (k) => result.failureKinds[k],
      )
        .map((k) => `${k} ${result.failureKinds[k]}`)
        .join(', ')}`,
    );
    for (const line of problemLines(result, 15)) lines.push(`  ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface Machine {
  when: string;
  cpus: string;
  node: string;
  sharp: string;
  load: string;
}

/** The RESULTS.md section for `result`, run as `command` on `machine`. */
export function renderSoakSection(result: SoakResult, command: string, machine: Machine): string {
  const { server, mix, memory } = result;
  const seconds = result.durationMs / 1000;
  const ok = Object.entries(result.statuses)
    .filter(([k]) => /^2/.test(k))
    .reduce((s, [, v]) => s + v, 0);
  const table = (rows: string[][]) => rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
  const lines = [
    SOAK_BEGIN,
    '## Soak (`npm run soak`)',
    '',
    `Measured ${machine.when} on ${machine.cpus}, Node ${machine.node}, ${machine.sharp}; ${machine.load}.`,
    `Command: \`${command}\` (the machine to itself while it ran).`,
    `Server: ${
      result.startedServer
        ? `\`server/main.ts\` started by the soak (from source, under tsx${server.nodeArgs.length > 0 ? `, node ${server.nodeArgs.join(' ')}` : ''})`
        : `target ${result.url}`
    } with ${
      Object.entries(server.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || `CONCURRENCY ${server.concurrency}, MAX_QUEUE ${server.maxQueue}`
    }.`,
    `Load: ${result.connections} closed-loop connections (capacity is CONCURRENCY + MAX_QUEUE = ${server.concurrency + server.maxQueue}, so some requests are refused with 503; a loop waits as Retry-After says, 1 s, after a 503) for ${seconds.toFixed(0)} s${result.plannedMs - result.durationMs > 2000 ? ` (of ${(result.plannedMs / 1000).toFixed(0)} s planned: stopped early, see the failures)` : ''}, seed ${result.seed}. ` +
      `Mix: valid images of 9 kinds (JPEG, PNG 8/16-bit/palette, WebP, animated GIF, TIFF, AVIF; 225² to 1280×720) with outputs json/csv/png ${outputsText(result)} and ${mix.chartSizes > 0 ? `charts of ${mix.chartSizes} fixed sizes` : 'charts of a random size each'} (200-1600 × 100-800); large uploads (a ${'~'}${((server.maxUploadBytes * 0.6) / 1024 / 1024).toFixed(0)} MiB noise PNG) ${pct(mix.large)}; bad inputs from the fuzz ${pct(mix.bad)}; oversized uploads (over MAX_UPLOAD_BYTES, half chunked) ${pct(mix.oversized)}; ${pct(mix.writeFirst)} of requests from a client that writes its whole body before reading (\`Connection: close\`, like Python's urllib).`,
    `Memory: VmRSS and VmHWM from /proc/<pid>/status and the main thread's heap from /metrics, every second.`,
    '',
    table([['status', ...KINDS, 'total'], ['---', ...KINDS.map(() => '---:'), '---:'], ...statusRows(result)]),
    '',
    table([
      ['measure', 'value'],
      ['---', '---:'],
      ['requests', `${result.requests} (${(result.requests / seconds).toFixed(1)}/s; 2xx ${(ok / seconds).toFixed(1)}/s)`],
      ['VmRSS at start', `${mib(memory.rssStartMiB)} MiB`],
      ['VmRSS peak', `${mib(memory.rssPeakMiB)} MiB`],
      ['VmRSS at end', `${mib(memory.rssEndMiB)} MiB`],
      ['VmHWM at end', `${mib(memory.hwmEndMiB)} MiB`],
      ['main-thread heap, start → end', `${mib(memory.heapStartMiB)} → ${mib(memory.heapEndMiB)} MiB`],
      ['VmRSS slope, last half (all samples)', slopeText(memory.rssSlopeMiBPerMin)],
      ['VmRSS floor slope, last half (minimum of each 10 s)', slopeText(memory.rssFloorSlopeMiBPerMin)],
      [
        '/healthz p99 / max',
        `${percentile(result.healthz.latenciesMs, 99).toFixed(1)} / ${Math.max(0, ...result.healthz.latenciesMs).toFixed(1)} ms (${result.healthz.failures.length} of ${result.healthz.probes} probes failed)`,
      ],
      ['verdict on growth', verdictText(result)],
    ]),
    '',
    `VmRSS (MiB) every ${trailStep(result)} s: ${rssTrail(result, trailStep(result))}.`,
    '',
  ];
  const failing = result.failureCount + result.serverProblems.length;
  if (failing === 0) lines.push('Failures: none: every answer was one the contract allows.');
  else {
    lines.push(
      `Failures: ${result.failureCount} requests (${FAILURE_KINDS.filter((k) => result.failureKinds[k])
        .map((k) => `${k} ${result.failureKinds[k]}`)
        .join(
          ', ',
        )})${result.serverProblems.length ? ` and ${result.serverProblems.length} server problem${result.serverProblems.length === 1 ? '' : 's'}` : ''}. First ones:`,
      '',
    );
    const seen = new Set<string>();
    for (const line of problemLines(result, 50)) {
      const shape = line.replace(/\d+(\.\d+)?/g, 'N');
      if (seen.has(shape) || seen.size >= 8) continue;
      seen.add(shape);
      lines.push(`- ${line.replace(/\|/g, '\\|')}`);
    }
  }
  lines.push(SOAK_END);
  return lines.join('\n');
}

/** `existing` with its soak section replaced by `section` (appended if it has none). */
export function replaceSoakSection(existing: string | null, section: string): string {
  if (existing === null) return `# Benchmark results\n\n${section}\n`;
  const begin = existing.indexOf(SOAK_BEGIN);
  const end = existing.indexOf(SOAK_END);
  if (begin >= 0 && end > begin) return `${existing.slice(0, begin)}${section}${existing.slice(end + SOAK_END.length)}`;
  return `${existing.replace(/\n*$/, '\n')}\n${section}\n`;
}
