// Reads bench result lines out of files and/or stdin ("-"), among any other log lines.
import { readFile } from 'node:fs/promises';
import { extractResults, type BenchResult } from '../bench/bench-result.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Every result line in `sources` (paths, "-" for stdin), in order. @throws when none is found. */
export async function readResults(sources: readonly string[]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const source of sources.length === 0 ? ['-'] : sources) {
    const text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
    results.push(...extractResults(text));
  }
  if (results.length === 0) {
    throw new Error(`Expected bench result lines ("kind":"histogram-bench-result") in ${sources.join(', ') || 'stdin'} but found none`);
  }
  return results;
}
