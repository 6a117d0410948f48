// Reads result lines out of files and/or stdin ("-"), among any other log lines: bench result
// lines, capacity step lines, and the merged lines `report --json` and `capacity --json` print.
import { readFile } from 'node:fs/promises';
import { extractResults, type BenchResult } from '../bench/bench-result.ts';
import { extractStepLines, ANSWER_KIND, type CapacityStepLine } from '../capacity/capacity-step.ts';
import type { CapacityAnswer } from '../capacity/capacity-answer.ts';
import { REPORT_KIND, type MergedReport } from './merge-results.ts';

/** Everything a report can be made of, as found in its sources. */
export interface RunLines {
  bench: BenchResult[];
  steps: CapacityStepLine[];
  /** Already merged lines (`report --json`, `capacity --json`): used when no raw lines are found. */
  reports: MergedReport[];
  answers: CapacityAnswer[];
}

let stdinText: Promise<string> | undefined;

/** Standard input, read once however many times "-" is named. */
function readStdin(): Promise<string> {
  stdinText ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  })();
  return stdinText;
}

/** Whole-line JSON objects of `kind` (a `[pod/name]` prefix allowed). */
function extractKind<T>(text: string, kind: string): T[] {
  const found: T[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.includes(kind)) continue;
    const brace = line.indexOf('{');
    try {
      const parsed = JSON.parse(line.slice(brace)) as { kind?: unknown };
      if (parsed.kind === kind) found.push(parsed as T);
    } catch {
      // a log line that merely mentions the marker
    }
  }
  return found;
}

/** The lines of every kind in `text`. */
export function extractRunLines(text: string): RunLines {
  return {
    bench: extractResults(text),
    steps: extractStepLines(text),
    reports: extractKind<MergedReport>(text, REPORT_KIND),
    answers: extractKind<CapacityAnswer>(text, ANSWER_KIND),
  };
}

/** Reads `sources` (paths, "-" for stdin). @throws when none holds a line `report` can use. */
export async function readRunLines(sources: readonly string[]): Promise<RunLines> {
  const all: RunLines = { bench: [], steps: [], reports: [], answers: [] };
  for (const source of sources.length === 0 ? ['-'] : sources) {
    const found = extractRunLines(source === '-' ? await readStdin() : await readFile(source, 'utf8'));
    all.bench.push(...found.bench);
    all.steps.push(...found.steps);
    all.reports.push(...found.reports);
    all.answers.push(...found.answers);
  }
  if (all.bench.length + all.steps.length + all.reports.length + all.answers.length === 0) {
    throw new Error(
      `Expected bench or capacity result lines ("kind":"histogram-bench-result" or "histogram-capacity-step") in ${sources.join(', ') || 'stdin'} but found none`,
    );
  }
  return all;
}

/** Every bench result line in `sources`, in order. @throws when none is found. */
export async function readResults(sources: readonly string[]): Promise<BenchResult[]> {
  const { bench } = await readRunLines(sources);
  if (bench.length === 0) throw new Error(`Expected bench result lines ("kind":"histogram-bench-result") in ${sources.join(', ') || 'stdin'} but found none`);
  return bench;
}
