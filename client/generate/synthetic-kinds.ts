// What `client generate` can draw and encode, and its size syntax: the option parser's choices,
// kept apart from the drawing (which loads sharp) so a command line is parsed without it.

/** What the image shows. */
export type SyntheticKind = 'noise' | 'gradient' | 'checkerboard' | 'photo';
/** Every kind `synthesizeImage` knows, for option choices. */
export const SYNTHETIC_KINDS: readonly SyntheticKind[] = ['noise', 'gradient', 'checkerboard', 'photo'];
/** Output encodings. */
export type SyntheticFormat = 'png' | 'jpeg' | 'webp';
export const SYNTHETIC_FORMATS: readonly SyntheticFormat[] = ['png', 'jpeg', 'webp'];

/**
 * "512x512" (or "512×512") as `{ width, height }`.
 * @throws {Error} for any other text.
 */
export function parseSize(text: string): { width: number; height: number } {
  const match = /^(\d+)[x×](\d+)$/i.exec(text.trim());
  if (!match) throw new Error(`Expected a size such as 512x512 but received ${JSON.stringify(text)}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}
