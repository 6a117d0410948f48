// Upload buffers kept for the next request instead of freed. A megabyte upload read into fresh
// memory is a new ArrayBuffer that V8 counts against its heap limits; held in the queue for a
// while it outlives two young-generation collections, and only a full mark-compact of the whole
// heap frees it again. Reused buffers are allocated once, so neither happens.

/** Smallest buffer handed out: a small upload still takes one size class. */
const SMALLEST = 64 * 1024;

export class BufferPool {
  /** Free buffers by size (powers of two from 64 KiB). */
  readonly #free = new Map<number, ArrayBuffer[]>();
  #freeBytes = 0;
  readonly #maxFreeBytes: number;
  readonly #largest: number;

  /**
   * `maxFreeBytes`: most memory kept while unused; `largest`: bigger requests get memory of
   * their own, never kept (a few big uploads must not pin their size for good).
   */
  constructor(maxFreeBytes: number, largest: number) {
    this.#maxFreeBytes = maxFreeBytes;
    this.#largest = largest;
  }

  /** Bytes held by free buffers. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /**
   * Memory for at least `size` bytes, not zeroed (its owner writes before it reads): a reused
   * buffer of the next power of two when `size` is within the pool's sizes, else a new one of
   * exactly `size`.
   */
  take(size: number): Uint8Array {
    if (size > this.#largest) return uninitialized(size);
    const cls = sizeClass(size);
    const reused = this.#free.get(cls)?.pop();
    if (!reused) return uninitialized(cls);
    this.#freeBytes -= cls;
    return new Uint8Array(reused);
  }

  /**
   * Takes `bytes`' memory back for reuse, if it is one of the pool's sizes and there is room; the
   * caller must not touch it afterwards. Memory moved to another thread (detached) is ignored.
   */
  give(bytes: Uint8Array): void {
    const buffer = bytes.buffer;
    const size = buffer.byteLength;
    if (!(buffer instanceof ArrayBuffer) || size === 0 || size > this.#largest || size !== sizeClass(size)) return;
    if (this.#freeBytes + size > this.#maxFreeBytes) return;
    const list = this.#free.get(size);
    if (list) list.push(buffer);
    else this.#free.set(size, [buffer]);
    this.#freeBytes += size;
  }
}

function sizeClass(size: number): number {
  return Math.max(SMALLEST, 2 ** Math.ceil(Math.log2(size)));
}

function uninitialized(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size);
}
