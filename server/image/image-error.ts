// The one error the image domain throws for bad input: what kind of problem, in this service's
// words. The HTTP layer maps the kind to a status; the domain knows nothing of HTTP.

/** `unsupported`: not an image format this service decodes. `unprocessable`: an image it
 * decodes, but this one is corrupt, truncated, empty or over the pixel limit. */
export type ImageErrorKind = 'unsupported' | 'unprocessable';

export class ImageError extends Error {
  readonly kind: ImageErrorKind;
  constructor(kind: ImageErrorKind, message: string) {
    super(message);
    this.name = 'ImageError';
    this.kind = kind;
  }
}
