// The fidelity tests' oracle: runs fidelity-fixtures.py (Pillow + numpy, never libvips) to
// write the fixtures and answer each case, and types what it writes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PILLOW_PYTHON } from './reference-histogram.ts';

const GENERATOR = fileURLToPath(new URL('./fidelity-fixtures.py', import.meta.url));

/** Counts as the generator writes them: a dense list, or a sparse map for long ones. */
export type OracleCounts = number[] | { length: number; sparse: Record<string, number> };

export interface OracleStats {
  mean: number;
  stdev: number;
  min: number;
  max: number;
  median: number;
  p01: number;
  p99: number;
  entropy: number;
}

export interface OracleChannel {
  counts: OracleCounts;
  binRange: [number, number];
  /** null when the mask left no pixel. */
  stats: OracleStats | null;
}

/** What numpy says one case should answer. */
export interface OracleAnswer {
  depth: 8 | 16;
  bins: number;
  mask: 'none' | 'alpha';
  counted: number;
  range: 'full' | 'data' | 'explicit';
  channels: Record<string, OracleChannel>;
  /** Channels the answer may have (alpha of an opaque GIF); if present they must equal these. */
  optionalChannels: Record<string, OracleChannel>;
}

/** The old service's answer for a file: np.histogram(np.asarray(img.convert('L')), bins=256). */
export interface OldServiceAnswer {
  histogram: number[];
  binRange: [number, number];
}

export interface OracleFixture {
  file: string;
  class: string;
  rule: string;
  status: number;
  depth: 8 | 16;
  frames: number | null;
  skip: string | null;
  note?: string;
  width?: number;
  height?: number;
  space?: string;
  channelsInImage?: number;
}

/** One case as the generator takes it. */
export interface OracleCase {
  id: string;
  fixture: string;
  depth?: 8 | 16;
  bins?: number;
  range?: string;
  mask?: 'alpha';
  channels?: string[];
  oracle?: 'old-service';
}

export interface Oracle {
  dir: string;
  fixtures: Record<string, OracleFixture>;
  answers: Record<string, OracleAnswer | OldServiceAnswer>;
  /** The bytes of a fixture file. */
  read(file: string): Buffer;
  /** Removes the fixtures' directory. */
  remove(): void;
}

/** Why the oracle cannot run here, or undefined when Debian's Pillow and numpy are present. */
export function oracleMissing(): string | undefined {
  try {
    execFileSync(PILLOW_PYTHON, ['-c', 'import PIL, numpy'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `needs ${PILLOW_PYTHON} with Debian's python3-pil and python3-numpy (installed by .ci/run)`;
  }
}

/**
 * Writes every fixture into a fresh temporary directory and answers `cases` with numpy.
 * @throws when the generator fails (one of its own checks against Pillow included).
 */
export function generateFixtures(cases: OracleCase[] = []): Oracle {
  const dir = mkdtempSync(join(tmpdir(), 'fidelity-'));
  const casesFile = join(dir, 'cases.json');
  writeFileSync(casesFile, JSON.stringify(cases));
  execFileSync(PILLOW_PYTHON, [GENERATOR, dir, casesFile], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Pick<Oracle, 'fixtures' | 'answers'>;
  return {
    dir,
    ...manifest,
    read: (file) => readFileSync(join(dir, file)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A dense array from either form of counts. */
export function denseCounts(counts: OracleCounts): number[] {
  if (Array.isArray(counts)) return counts;
  const out = new Array<number>(counts.length).fill(0);
  for (const [bin, count] of Object.entries(counts.sparse)) out[Number(bin)] = count;
  return out;
}

/**
 * Compares counts bin by bin and describes the difference briefly (a 65536-bin deepEqual
 * diff is unreadable): undefined when equal.
 */
export function countsDiffer(got: unknown, expected: number[]): string | undefined {
  if (!Array.isArray(got)) return `counts is ${JSON.stringify(got)?.slice(0, 80)}, expected ${expected.length} numbers`;
  if (got.length !== expected.length) return `${got.length} bins, expected ${expected.length}`;
  const wrong: string[] = [];
  let differing = 0;
  for (let i = 0; i < expected.length; i++) {
    if (got[i] === expected[i]) continue;
    differing++;
    if (wrong.length < 6) wrong.push(`[${i}] ${got[i]} ≠ ${expected[i]}`);
  }
  return differing === 0 ? undefined : `${differing} of ${expected.length} bins differ: ${wrong.join(', ')}`;
}
