// One buffer per upload: sized from the declared length when there is one, so a body is never
// held twice (chunks plus a concatenated copy); grown by doubling when the length is unknown.
// Its memory comes from a pool and goes back there once the upload has been used.
import type { BufferPool } from './buffer-pool.ts';

const FIRST_GUESS = 64 * 1024;
const EMPTY = new Uint8Array(0);

export class UploadBuffer {
  #bytes: Uint8Array;
  #length = 0;
  #released = false;
  readonly #cap: number;
  readonly #pool: BufferPool;

  /** `expected`: the declared length, if any; `cap`: the most it may ever hold. */
  constructor(expected: number | undefined, cap: number, pool: BufferPool) {
    this.#cap = cap;
    this.#pool = pool;
    this.#bytes = pool.take(Math.min(cap, expected ?? FIRST_GUESS));
  }

  get length(): number {
    return this.#length;
  }

  /** Appends `chunk`; the caller keeps the total within `cap`. Ignored once released. */
  append(chunk: Uint8Array): void {
    if (this.#released) return;
    const needed = this.#length + chunk.length;
    if (needed > this.#bytes.length) {
      const grown = this.#pool.take(Math.min(this.#cap, Math.max(needed, this.#bytes.length * 2)));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#pool.give(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes.set(chunk, this.#length);
    this.#length = needed;
  }

  /** The bytes appended so far: a view, not a copy, valid until `release()`. */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  /** Gives the memory back to the pool (once); every view of it is then invalid. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#pool.give(this.#bytes);
    this.#bytes = EMPTY;
    this.#length = 0;
  }
}
