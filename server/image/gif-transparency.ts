// The palette colour behind a GIF's transparent index, read from the file's own bytes: libvips
// hands transparent GIF pixels over as 0,0,0,0, but a palette pixel counts as its palette colour,
// transparent or not. Only the first frame is decoded, so only its colour tables matter.

/**
 * The RGB colour of the first frame's transparent index (from its local colour table, else the
 * global one), or null when the first frame has no transparent index, the index lies outside
 * the table, or the bytes end first (the decoder reports broken files; this only reads).
 */
export function gifTransparentColour(bytes: Uint8Array): [number, number, number] | null {
  if (bytes.length < 13) return null;
  const screenFlags = bytes[10]!;
  let at = 13;
  let globalTable: number | null = null; // offset of the global colour table
  let globalSize = 0;
  if (screenFlags & 0x80) {
    globalTable = at;
    globalSize = 2 << (screenFlags & 7);
    at += 3 * globalSize;
  }
  let transparent: number | null = null;
  while (at < bytes.length) {
    const block = bytes[at]!;
    if (block === 0x21) {
      // Extension: a Graphic Control Extension holds the next image's transparent index.
      const label = bytes[at + 1];
      at += 2;
      if (label === 0xf9 && bytes[at] === 4 && at + 5 <= bytes.length) transparent = bytes[at + 1]! & 1 ? bytes[at + 4]! : null;
      while (at < bytes.length && bytes[at] !== 0) at += 1 + bytes[at]!; // data sub-blocks
      at++;
      continue;
    }
    if (block !== 0x2c || at + 10 > bytes.length) return null; // trailer, or not a GIF block
    if (transparent === null) return null;
    const imageFlags = bytes[at + 9]!;
    let table = globalTable;
    let size = globalSize;
    if (imageFlags & 0x80) {
      table = at + 10;
      size = 2 << (imageFlags & 7);
    }
    if (table === null || transparent >= size || table + 3 * transparent + 3 > bytes.length) return null;
    const entry = table + 3 * transparent;
    return [bytes[entry]!, bytes[entry + 1]!, bytes[entry + 2]!];
  }
  return null;
}

/**
 * Gives every fully transparent pixel of decoded RGBA bytes the colour `rgb`, in place: the
 * transparent index's palette entry, the one colour a GIF frame's transparent pixels have.
 */
export function paintTransparentPixels(rgba: Uint8Array, rgb: readonly [number, number, number]): void {
  const [r, g, b] = rgb;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] === 0) {
      rgba[i] = r;
      rgba[i + 1] = g;
      rgba[i + 2] = b;
    }
  }
}
