// The one multipart/form-data encoder of the client: the image in field `file`, as the original
// clients sent it, encoded by the platform's own FormData (no hand-built boundaries).
import { basename } from 'node:path';

/** An encoded body and the Content-Type header (with its boundary) that goes with it. */
export interface MultipartBody {
  body: Buffer;
  type: string;
}

/** Encodes `bytes` as multipart field `file` named after `fileName`'s last path segment. */
export async function encodeMultipart(bytes: Uint8Array, fileName: string): Promise<MultipartBody> {
  const form = new FormData();
  // The cast: TS 5.9 types Blob parts as ArrayBuffer-backed only; a Buffer is accepted at run time.
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), basename(fileName));
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type')! };
}
