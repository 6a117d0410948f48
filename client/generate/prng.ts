// A small seeded pseudo-random generator, so synthetic images are the same for the same seed.

/**
 * mulberry32: a 32-bit state PRNG (public domain, Tommy Ettinger). Fast and good enough for
 * test images; not for cryptography. Returns a function giving uint32 values.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A PRNG giving floats in [0, 1) from `mulberry32(seed)`. */
export function randomFloats(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}
