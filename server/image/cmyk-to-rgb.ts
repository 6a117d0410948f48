// CMYK samples to RGB by Pillow's rule (libImaging/Convert.c, cmyk2rgb), without any colour
// profile: so the luma of a CMYK image equals Pillow's convert("L") of the same file.

/** (a·b + 128) · 257 >> 16 in integers: a·b/255 rounded, as Pillow's MULDIV255 macro. */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

/**
 * Interleaved CMYK bytes (4 per pixel, as the file stores them, not inverted) to interleaved RGB
 * bytes: nk = 255 − K, R = nk − MULDIV255(C, nk), G and B likewise from M and Y (never below 0).
 * @throws {RangeError} when the buffer is not a whole number of 4-byte pixels.
 */
export function cmykToRgb(cmyk: Uint8Array): Uint8Array {
  if (cmyk.length % 4 !== 0) throw new RangeError(`expected whole 4-byte CMYK pixels, got ${cmyk.length} bytes`);
  const rgb = new Uint8Array((cmyk.length / 4) * 3);
  for (let i = 0, o = 0; i < cmyk.length; i += 4, o += 3) {
    const nk = 255 - cmyk[i + 3]!;
    rgb[o] = Math.max(0, nk - mulDiv255(cmyk[i]!, nk));
    rgb[o + 1] = Math.max(0, nk - mulDiv255(cmyk[i + 1]!, nk));
    rgb[o + 2] = Math.max(0, nk - mulDiv255(cmyk[i + 2]!, nk));
  }
  return rgb;
}
