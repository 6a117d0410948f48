// Writes the suite's part of bench/RESULTS.md: how it was measured, the images, the tables
// (versus the old service, versus the decode-only ceiling, wrk cross-check, overload) and the
// verdict on each target, between markers so the micro-benchmark section stays untouched.
import {
  crossChecks,
  bestRate,
  cellOf,
  decodeOverOld,
  median,
  versusDecode,
  versusOld,
  versusOldRatios,
  versusRounds,
  DECODE_TARGETS,
  VERSUS_CONNECTIONS,
  VERSUS_TARGETS,
} from './suite-summary.ts';
import { formatRate, ms, rateOf, table, times } from './suite-markdown-format.ts';
import { overloadSection, targetsSection } from './suite-markdown-overload.ts';
import type { Producer, RateCell, SubjectId, SubjectInfo, SuiteRun } from './suite-types.ts';

export const BEGIN = '<!-- suite:begin -->';
export const END = '<!-- suite:end -->';

/** The markdown between the markers. */
export function renderSuiteSection(run: SuiteRun): string {
  const e = run.env;
  const measured = (id: SubjectId) => run.subjects.find((s) => s.id === id && s.measured);
  const servers = (['baseline', 'this'] as const).map((id) => measured(id)).filter((s): s is SubjectInfo => s !== undefined);
  const old = measured('old');
  const labelOf = (p: Producer) => run.subjects.find((s) => s.id === p)?.label ?? (p === 'floor' ? 'HTTP floor' : 'decode only');
  const imageLabel = (id: string) => run.images.find((i) => i.id === id)?.label ?? id;
  const connections = [...new Set(run.cells.filter((c) => c.generator === 'client bench').map((c) => c.connections))].sort((a, b) => a - b);

  const lines: string[] = [
    BEGIN,
    '## Benchmark suite (`npm run bench`)',
    '',
    `Measured ${e.date} in ${(e.wallTimeS / 60).toFixed(1)} min on ${e.cpus} CPUs (${e.cpuModel}), ${e.memoryGiB.toFixed(1)} GiB, Linux ${e.kernel}; ` +
      `Node ${e.node}, sharp ${e.sharp} (libvips ${e.libvips}); ${e.wrk ?? 'wrk not installed'}.`,
    `Command: \`${e.command}\`.`,
    e.placement,
    `CPUs busy in the second before the suite: ${e.busyAtStart?.map((b) => `${b.toFixed(0)} %`).join(', ') ?? 'n/a'}` +
      (e.busyAtStart?.some((b) => b > 10) ? ' (other work was running: treat the figures as lower bounds)' : '') +
      `; 1-minute load average ${e.loadAverage.start.toFixed(2)} at the start (it still counts work that ended up to a few minutes before), ` +
      `${e.loadAverage.end.toFixed(2)} at the end (the suite's own load included).`,
    '',
    'Servers, each started fresh by the suite, pinned the same way:',
    ...run.subjects.map((s) =>
      s.measured ? `- **${s.label}**: \`${s.command}\`${s.versions ? `; ${s.versions}` : ''}.` : `- **${s.label}**: not measured: ${s.missing}.`,
    ),
    `- HTTP floor: \`${run.floorCommand ?? 'not run'}\` (a Hono POST endpoint that reads the whole body and answers a tiny JSON). ` +
      'Decode-only: `bench/decode-ceiling.ts`, sharp decoding the same bytes to raw sRGB, C at a time, pinned like the servers.',
    '',
    `Each cell: \`client bench\`'s engine (closed model: C connections, each sending its next request when its answer arrived), ` +
      `multipart field \`file\` to \`/process-image\`, JSON, ${e.warmupMs / 1000} s warm-up, then ${e.durationMs / 1000} s measured ` +
      '(longer, up to 3×, where that gives too few answers to count; requests in flight at the end are waited for). ' +
      (e.serverWarmupMs
        ? `Each server, once started, is loaded for ${e.serverWarmupMs / 1000} s at C=${VERSUS_CONNECTIONS} before its first cell: a fresh Node server serves 10–15 % less in its first seconds, until V8 has compiled its hot paths. `
        : '') +
      'req/s counts 2xx answers over the measured window; `n=` shows how many when fewer than 20.',
    '',
    '### Images',
    '',
    ...table(
      ['image', 'id', 'dimensions', 'encoding', 'chroma subsampling', 'bytes', 'source'],
      ['l', 'l', 'r', 'l', 'l', 'r', 'l'],
      run.images.map((i) => [
        i.target ? `**${i.label}**` : i.label,
        `\`${i.id}\``,
        `${i.width}×${i.height}`,
        i.encoding,
        i.subsampling ?? '—',
        String(i.bytes),
        i.source,
      ]),
    ),
    '',
    "Bold: the image the class's targets are judged on; the others are shown beside it. Photographs: Debian's `mate-backgrounds` " +
      'package (GPL-2+), fetched by `scripts/fetch-bench-photos.sh` (`apt-get download`, `dpkg-deb -x`, cached in `~/.cache/histogram-bench/photos`).',
    '',
  ];

  lines.push('### Versus the old service', '');
  if (!old) {
    lines.push(`Not measured: ${run.subjects.find((s) => s.id === 'old')?.missing ?? 'disabled'}.`, '');
  } else {
    const rounds = Math.max(1, ...run.cells.map((c) => c.round ?? 1));
    lines.push(
      `C=${VERSUS_CONNECTIONS}, same CPU, same images, same load generator. p99 in ms. ` +
        (rounds > 1
          ? `The bold images ran in ${rounds} rounds, each round the old service, then before, then this branch, back to back: ` +
            "req/s and p99 are the medians over the rounds, and × old is the median of the rounds' own ratios, with their range in brackets " +
            '(this machine drifts by several per cent within minutes, so one pair of runs can mislead). The other images ran once. '
          : '') +
        '"decode-only ÷ old" is sharp\'s decode alone (best C) over the old service: the most any server that decodes with sharp can reach.',
      '',
    );
    const header = ['image', 'old service /s', 'p99'];
    for (const s of servers) header.push(`${s.label} /s`, 'p99', '× old');
    header.push('decode-only ÷ old', 'target');
    lines.push(
      ...table(
        header,
        header.map((_, k) => (k === 0 ? 'l' : 'r')),
        run.images.map((i) => {
          const oldRounds = [...versusRounds(run, i.id, 'old').values()];
          const cells = [i.target ? `**${i.label}**` : i.label, medianRateOf(oldRounds), medianP99(oldRounds)];
          for (const s of servers) {
            const mine = [...versusRounds(run, i.id, s.id).values()];
            cells.push(medianRateOf(mine), medianP99(mine), timesWithRange(versusOld(run, i.id, s.id), versusOldRatios(run, i.id, s.id)));
          }
          cells.push(times(decodeOverOld(run, i.id)), i.target ? `≥ ${VERSUS_TARGETS[i.klass]}×` : '—');
          return cells;
        }),
      ),
      '',
    );
  }

  lines.push('### Against the decode-only ceiling', '');
  {
    const header = ['image', 'C', 'decode-only /s', 'HTTP floor /s'];
    for (const s of servers) header.push(`${s.label} JSON /s`, 'p99', 'PNG /s');
    lines.push(
      ...table(
        header,
        header.map((_, k) => (k === 0 ? 'l' : 'r')),
        run.images.flatMap((i) =>
          connections.map((c) => {
            const decode = cellOf(run, i.id, 'decode', c);
            const cells = [i.label, String(c), decode ? formatRate(decode.okPerSec) : '—', rateOf(cellOf(run, i.id, 'floor', c))];
            for (const s of servers) {
              const json = cellOf(run, i.id, s.id, c);
              cells.push(rateOf(json), ms(json?.p99Ms), rateOf(cellOf(run, i.id, s.id, c, 'png')));
            }
            return cells;
          }),
        ),
      ),
      '',
    );
    const ratioHeader = ['image', 'decode-only (best C)'];
    for (const s of servers) ratioHeader.push(`${s.label}: JSON ÷ decode`, 'PNG ÷ JSON');
    ratioHeader.push('target (JSON ÷ decode)');
    lines.push(
      ...table(
        ratioHeader,
        ratioHeader.map((_, k) => (k === 0 ? 'l' : 'r')),
        run.images.map((i) => {
          const cells = [i.target ? `**${i.label}**` : i.label, formatRate(bestRate(run, i.id, 'decode'))];
          for (const s of servers) {
            const png = bestRate(run, i.id, s.id, 'png');
            const json = bestRate(run, i.id, s.id);
            cells.push(times(versusDecode(run, i.id, s.id)), times(png === null || json === null || json === 0 ? null : png / json));
          }
          cells.push(i.target ? `≥ ${DECODE_TARGETS[i.klass]}×` : '—');
          return cells;
        }),
      ),
      '',
      'Ratios take the best rate over the connection counts on each side; PNG ÷ JSON at the connection counts PNG was measured at.',
      '',
    );
  }

  const checks = crossChecks(run);
  lines.push('### wrk cross-check', '');
  if (checks.length === 0) {
    lines.push(
      e.wrk === null
        ? 'Not measured: wrk is not installed (`apt-get install wrk`).'
        : 'Not measured in this run: it runs on the 512×512 noise PNG cells, which BENCH_IMAGES left out.',
      '',
    );
  } else {
    lines.push(
      `One cell per server measured three times back to back: \`client bench\`, then Debian's wrk with \`bench/multipart.lua\` ` +
        `(\`wrk -t1 -c${checks[0]!.connections} -d${e.durationMs / 1000}s --latency\`, an independent load generator in C), then \`client bench\` again. ` +
        'wrk is compared with the mean of the two `client bench` runs; their own difference is the run-to-run spread to judge that by.',
      '',
    );
    const pct = (n: number | null) => (n === null ? '—' : `${n >= 0 ? '+' : ''}${n.toFixed(1)} %`);
    lines.push(
      ...table(
        [
          'server',
          'image',
          'C',
          'client bench /s',
          'wrk /s',
          'client bench again /s',
          'wrk − client bench',
          'client bench run to run',
          'client bench p50 / p99',
          'wrk p50 / p99',
        ],
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        checks.map((k) => [
          labelOf(k.producer),
          imageLabel(k.image),
          String(k.connections),
          formatRate(k.clientBench.okPerSec),
          formatRate(k.wrk.okPerSec),
          k.repeat ? formatRate(k.repeat.okPerSec) : '—',
          pct(k.rateDifferencePct),
          pct(k.repeatDifferencePct),
          `${ms(k.clientBench.p50Ms)} / ${ms(k.clientBench.p99Ms)} ms`,
          `${ms(k.wrk.p50Ms)} / ${ms(k.wrk.p99Ms)} ms`,
        ]),
      ),
      '',
    );
  }

  lines.push(...overloadSection(run, labelOf, imageLabel), ...targetsSection(run, servers));
  if (run.notMeasured.length > 0) lines.push('', '### Not measured in this run', '', ...run.notMeasured.map((n) => `- ${n}`));
  lines.push(END);
  return lines.join('\n');
}

/** The median rate of a cell's rounds; with each round's answer count when one had too few to trust alone. */
function medianRateOf(rounds: RateCell[]): string {
  if (rounds.length <= 1) return rateOf(rounds[0]);
  const rate = formatRate(median(rounds.map((c) => c.okPerSec)));
  return rounds.some((c) => c.ok < 20) ? `${rate} (n=${rounds.map((c) => c.ok).join('/')})` : rate;
}

function medianP99(rounds: RateCell[]): string {
  return ms(median(rounds.map((c) => c.p99Ms).filter((p): p is number => p !== null)));
}

/** "2.44×", or "2.44× (2.38–2.51)" over several rounds. */
function timesWithRange(value: number | null, ratios: number[]): string {
  if (ratios.length <= 1) return times(value);
  return `${times(value)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}

/** `existing` with the text between the markers replaced (markers appended when absent). */
export function replaceSuiteSection(existing: string | null, section: string): string {
  if (existing === null || existing.trim() === '') return `# Benchmark results\n\n${section}\n`;
  const begin = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  if (begin === -1 || end === -1 || end < begin) return `${existing.trimEnd()}\n\n${section}\n`;
  return existing.slice(0, begin) + section + existing.slice(end + END.length);
}
