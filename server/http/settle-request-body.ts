// What to do with the unread rest of a request body once the answer is known: drain it (so
// the client, still writing, reads our answer instead of EPIPE, and the connection stays
// usable), or stop reading and close the connection (oversized or stalled uploads).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

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
  if (status === 413 || status === 504) {
    lingerOnClose(incoming.socket);
    return true;
  }
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

/**
 * Node ends a `Connection: close` socket with destroySoon(): FIN, then close. Closing a socket
 * that still has unread input makes the kernel answer with a reset, and a reset can make the
 * client drop our answer before reading it (RFC 9112 §9.6, "lingering close"). So send the FIN
 * and keep the socket, still not reading, for a moment before closing it.
 */
function lingerOnClose(socket: Socket, lingerMs = 2_000): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end();
    setTimeout(() => this.destroy(), lingerMs).unref();
  };
}
