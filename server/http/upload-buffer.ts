// One buffer per upload: sized from the declared length when there is one, so a body is never
// held twice (chunks plus a concatenated copy); grown by doubling when the length is unknown.
// Its memory is its own ArrayBuffer (never a slice of Node's shared pool), so it can be moved
// to an image thread without copying.

const FIRST_GUESS = 64 * 1024;

export class UploadBuffer {
  #bytes: Uint8Array;
  #length = 0;
  readonly #cap: number;

  /** `expected`: the declared length, if any; `cap`: the most it may ever hold. */
  constructor(expected: number | undefined, cap: number) {
    this.#cap = cap;
    this.#bytes = uninitialized(Math.min(cap, expected ?? FIRST_GUESS));
  }

  get length(): number {
    return this.#length;
  }

  /** Appends `chunk`; the caller keeps the total within `cap`. */
  append(chunk: Uint8Array): void {
    const needed = this.#length + chunk.length;
    if (needed > this.#bytes.length) {
      const grown = uninitialized(Math.min(this.#cap, Math.max(needed, this.#bytes.length * 2)));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    this.#bytes.set(chunk, this.#length);
    this.#length = needed;
  }

  /** The bytes appended so far: a view of the buffer, not a copy. */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

/** Memory of its own, not zeroed: its owner writes before it reads. */
function uninitialized(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size);
}
