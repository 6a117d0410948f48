// Byte-level mutations of a valid image: bit flips, byte insertion and deletion, chunk splices
// (from the same file or another format's), header field edits and truncation, stacked 1-3 deep.
import type { Prng } from './prng.ts';
import { headerEdit } from './header-edits.ts';

export const MUTATIONS = ['bitflip', 'bytes', 'insert', 'delete', 'splice', 'header', 'truncate'] as const;
export type MutationKind = (typeof MUTATIONS)[number];

export interface Mutated {
  bytes: Buffer;
  /** What was done, in order, e.g. ["bitflip 3 @12,40,41", "truncate at 211/1024"]. */
  steps: string[];
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

// Half the byte edits land in the first 256 bytes, where headers and tables are.
function position(rng: Prng, length: number): number {
  if (length <= 1) return 0;
  return rng.chance(0.5) ? rng.int(0, Math.min(255, length - 1)) : rng.int(0, length - 1);
}

function bitflip(bytes: Buffer, rng: Prng): [Buffer, string] {
  const out = Buffer.from(bytes);
  const count = rng.weighted([
    [1, 4],
    [2, 2],
    [4, 2],
    [16, 1],
  ] as const);
  const at: number[] = [];
  for (let i = 0; i < count && out.length > 0; i++) {
    const p = position(rng, out.length);
    out[p]! ^= 1 << rng.int(0, 7);
    at.push(p);
  }
  return [out, `bitflip ${count} @${at.join(',')}`];
}

function setBytes(bytes: Buffer, rng: Prng): [Buffer, string] {
  const out = Buffer.from(bytes);
  if (out.length === 0) return [out, 'bytes (empty input)'];
  const p = position(rng, out.length);
  const run = rng.int(1, 8);
  const value = rng.pick(INTERESTING);
  out.fill(value, p, Math.min(out.length, p + run));
  return [out, `bytes 0x${value.toString(16)}×${run} @${p}`];
}

function insert(bytes: Buffer, rng: Prng): [Buffer, string] {
  const p = position(rng, bytes.length + 1);
  const length = rng.weighted([
    [rng.int(1, 16), 6],
    [rng.int(17, 512), 3],
    [rng.int(513, 8192), 1],
  ] as const);
  const data = rng.chance(0.5) ? rng.bytes(length) : Buffer.alloc(length, rng.pick(INTERESTING));
  return [Buffer.concat([bytes.subarray(0, p), data, bytes.subarray(p)]), `insert ${length} @${p}`];
}

function remove(bytes: Buffer, rng: Prng): [Buffer, string] {
  if (bytes.length < 2) return [Buffer.from(bytes), 'delete (too short)'];
  const p = position(rng, bytes.length);
  const length = Math.min(
    bytes.length - p,
    rng.weighted([
      [rng.int(1, 16), 6],
      [rng.int(17, 1024), 3],
    ] as const),
  );
  return [Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + length)]), `delete ${length} @${p}`];
}

function splice(bytes: Buffer, rng: Prng, donor: Buffer, donorName: string): [Buffer, string] {
  const fromSelf = rng.chance(0.5) || donor.length === 0;
  const source = fromSelf ? bytes : donor;
  if (source.length === 0 || bytes.length === 0) return [Buffer.from(bytes), 'splice (empty input)'];
  const start = rng.int(0, source.length - 1);
  const length = Math.min(source.length - start, rng.int(1, 2048));
  const chunk = source.subarray(start, start + length);
  const at = position(rng, bytes.length);
  const replace = rng.chance(0.5) ? Math.min(bytes.length - at, length) : 0;
  const out = Buffer.concat([bytes.subarray(0, at), chunk, bytes.subarray(at + replace)]);
  return [out, `splice ${length} from ${fromSelf ? 'self' : donorName}@${start} ${replace ? 'over' : 'into'} @${at}`];
}

function truncate(bytes: Buffer, rng: Prng): [Buffer, string] {
  if (bytes.length < 2) return [Buffer.from(bytes), 'truncate (too short)'];
  // Many cut points: inside the signature, inside the header, anywhere, just before the end.
  const at = rng.weighted([
    [rng.int(1, Math.min(16, bytes.length - 1)), 2],
    [rng.int(1, Math.min(256, bytes.length - 1)), 3],
    [rng.int(1, bytes.length - 1), 4],
    [Math.max(1, bytes.length - rng.int(1, 16)), 2],
  ] as const);
  return [Buffer.from(bytes.subarray(0, at)), `truncate at ${at}/${bytes.length}`];
}

/**
 * Applies 1-3 random mutations to `bytes` (a truncation, if drawn, comes last). `donor` is
 * another seed image, for splices across formats.
 */
export function mutate(bytes: Buffer, rng: Prng, donor: { name: string; bytes: Buffer }): Mutated {
  const depth = rng.weighted([
    [1, 6],
    [2, 3],
    [3, 1],
  ] as const);
  const kinds: MutationKind[] = Array.from({ length: depth }, () =>
    rng.weighted([
      ['bitflip', 3],
      ['bytes', 2],
      ['insert', 2],
      ['delete', 2],
      ['splice', 2],
      ['header', 5],
      ['truncate', 3],
    ] as const),
  );
  kinds.sort((a, b) => Number(a === 'truncate') - Number(b === 'truncate'));
  let current = bytes;
  const steps: string[] = [];
  for (const kind of kinds) {
    let step: string;
    switch (kind) {
      case 'bitflip':
        [current, step] = bitflip(current, rng);
        break;
      case 'bytes':
        [current, step] = setBytes(current, rng);
        break;
      case 'insert':
        [current, step] = insert(current, rng);
        break;
      case 'delete':
        [current, step] = remove(current, rng);
        break;
      case 'splice':
        [current, step] = splice(current, rng, donor.bytes, donor.name);
        break;
      case 'header': {
        const edit = headerEdit(current, rng);
        if (edit) {
          current = edit.bytes;
          step = edit.what;
        } else [current, step] = bitflip(current, rng);
        break;
      }
      case 'truncate':
        [current, step] = truncate(current, rng);
        break;
    }
    steps.push(step);
  }
  return { bytes: current, steps };
}
