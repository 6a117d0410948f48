// The fuzz summary as text: inputs and statuses per format, statuses overall, /healthz, and
// every failure with the seed and case index that reproduce it.
import { FAILURE_KINDS } from './check-answer.ts';
import { percentile } from './health-watch.ts';
import type { FuzzResult } from './run-fuzz.ts';

const MAX_LISTED = 25;

/** Renders `result` for a terminal (the CLI writes it to stderr). */
export function formatFuzzSummary(result: FuzzResult): string {
  const lines: string[] = [];
  const seconds = result.durationMs / 1000;
  lines.push(
    `fuzz: seed ${result.seed}, ${result.sent} of ${result.planned} inputs in ${seconds.toFixed(1)} s (${(result.sent / Math.max(seconds, 1e-3)).toFixed(0)}/s), concurrency ${result.concurrency}, ${result.startedServer ? 'server started from source' : 'target'} ${result.url}`,
  );
  if (result.skippedSeeds.length > 0)
    lines.push(`seed formats sharp cannot write here (not fuzzed): ${result.skippedSeeds.map((s) => `${s.name} (${s.reason})`).join('; ')}`);

  const columns = Object.keys(result.statuses).sort();
  const families = Object.entries(result.byFamily).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(12, ...families.map(([name]) => name.length));
  const short = (key: string) => key.replace(/ [A-Z_]+$/, '').replace('no answer', 'none');
  lines.push('', `${'input'.padEnd(width)}  ${'n'.padStart(5)}  ${columns.map((c) => short(c).padStart(5)).join('  ')}  ${'fail'.padStart(5)}`);
  for (const [name, tally] of families) {
    lines.push(
      `${name.padEnd(width)}  ${String(tally.inputs).padStart(5)}  ${columns.map((c) => String(tally.statuses[c] ?? '').padStart(5)).join('  ')}  ${String(tally.failures || '').padStart(5)}`,
    );
  }
  lines.push(
    '',
    `sent as: ${Object.entries(result.sending)
      .map(([way, n]) => `${way} ${n}`)
      .join(', ')}`,
  );
  lines.push(`statuses: ${columns.map((c) => `${c} × ${result.statuses[c]}`).join(', ')}`);
  const h = result.healthz;
  lines.push(
    `/healthz: ${h.probes} probes, ${h.failures.length} failed, p50 ${percentile(h.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(h.latenciesMs, 99).toFixed(1)} ms, max ${Math.max(0, ...h.latenciesMs).toFixed(1)} ms`,
  );
  lines.push(`slowest: ${result.slowest.map((s) => `case ${s.index} ${s.family} → ${s.status ?? 'none'} in ${s.ms.toFixed(0)} ms`).join('; ')}`);

  const failing = result.failures.length + result.serverProblems.length;
  if (failing === 0) {
    lines.push('', `PASS: every answer as the contract says (seed ${result.seed})`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    '',
    `FAIL: ${result.failures.length} failing input${result.failures.length === 1 ? '' : 's'}${result.serverProblems.length ? `, ${result.serverProblems.length} server problem${result.serverProblems.length === 1 ? '' : 's'}` : ''} (seed ${result.seed})`,
  );
  lines.push(
    `by kind: ${
      FAILURE_KINDS.filter((k) => result.failureKinds[k])
        .map((k) => `${k} ${result.failureKinds[k]}`)
        .join(', ') || 'none'
    }`,
  );
  for (const problem of result.serverProblems.slice(0, MAX_LISTED)) lines.push(`  [${problem.kind}] ${problem.detail}`);
  for (const failure of result.failures.slice(0, MAX_LISTED)) {
    const r = failure.request;
    lines.push(
      `  case ${failure.index} (case seed ${failure.seed}) ${failure.family} [${failure.steps.join(' + ') || 'unmutated'}] via ${r.transport}/${r.framing}/${r.client} POST ${r.path}`,
    );
    for (const problem of failure.problems) lines.push(`    [${problem.kind}] ${problem.detail}`);
    if (failure.savedAs) lines.push(`    input: ${failure.savedAs} (request: ${failure.savedAs.replace(/\.bin$/, '.json')})`);
  }
  if (result.failures.length > MAX_LISTED) lines.push(`  ... and ${result.failures.length - MAX_LISTED} more`);
  const indexes = result.failures
    .slice(0, 10)
    .map((f) => `--case ${f.index}`)
    .join(' ');
  if (indexes) lines.push(`reproduce: npm run fuzz -- --seed ${result.seed} ${indexes}`);
  return `${lines.join('\n')}\n`;
}
