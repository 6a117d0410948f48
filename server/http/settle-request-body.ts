// What to do with the unread rest of a request body once the answer is known: drain it (so
// the client, still writing, reads our answer instead of EPIPE, and the connection stays
// usable), or stop reading and close the connection (oversized or stalled uploads).
import type { IncomingMessage } from 'node:http';

export interface DrainLimits {
  /** Close instead once this many more bytes were discarded. */
  maxBytes: number;
  /** Close instead if the body has not ended by then. */
  maxMs: number;
}

/**
 * Settles `incoming` for a response with `status`. Returns true if the response must say
 * `Connection: close` (413: the point is not to read the body; 504: the client is stalling).
 * Otherwise the rest of the body is read and discarded, within `limits`.
 */
export function settleRequestBody(incoming: IncomingMessage, status: number, limits: DrainLimits): boolean {
  if (incoming.complete || incoming.destroyed) return false;
  if (status === 413 || status === 504) return true;
  let discarded = 0;
  const stop = () => {
    clearTimeout(timer);
    incoming.off('data', onData);
    incoming.off('end', finish);
  };
  const giveUp = () => {
    stop();
    incoming.socket?.destroySoon?.();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limits.maxBytes) giveUp();
  };
  const finish = () => stop();
  const timer = setTimeout(giveUp, limits.maxMs);
  timer.unref();
  incoming.on('data', onData);
  incoming.once('end', finish);
  incoming.resume();
  return false;
}
