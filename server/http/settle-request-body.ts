// What to do with the unread rest of a request body once the answer is known. Closing a socket
// that still has unread input makes the kernel answer with a reset, and a reset can make the
// client drop our answer before reading it (RFC 9112 §9.6, "lingering close"), so the rest is
// read and discarded for a bounded time and byte count before the connection closes, also when
// the request said `Connection: close` (Node then closes the socket as soon as the answer is
// written: that is replaced by a lingering close). A client still writing thus reads our answer.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { leaveBodyUnread, onConnectionEnd } from './node-internals.ts';

export interface DrainLimits {
  /** Stop discarding (and close) once this many more bytes were read. */
  maxBytes: number;
  /** Stop discarding (and close) if the body has not ended by then. */
  maxMs: number;
}

/**
 * `drain`: read and discard the rest within `limits` (the connection stays usable when the
 * body is declared short enough to be drained, ends in time, and the answer allows it). `close`: read nothing more; half-close, and
 * close for good shortly after (for clients that stall, or that were told not to send the
 * body). Returns true when the answer must say `Connection: close`.
 */
export function settleRequestBody(incoming: IncomingMessage, mode: 'drain' | 'close', limits: DrainLimits): boolean {
  if (incoming.complete || incoming.destroyed) return false;
  const socket = incoming.socket;
  if (mode === 'close') {
    // The rest stays unread in the kernel; the socket stays open for a moment after our FIN,
    // so the client reads the answer before the close.
    leaveBodyUnread(incoming);
    lingerOnClose(socket, () => false, Math.min(limits.maxMs, 2_000));
    return true;
  }
  // A body the drain may not finish (chunked, so of unknown length, or declared longer than
  // the drain reads) cannot be followed by another request on this connection: say so.
  const declared = Number(incoming.headers['content-length']);
  const mayNotFinish = !Number.isFinite(declared) || declared > limits.maxBytes;
  let discarded = 0;
  let drained = false;
  const stop = () => {
    clearTimeout(timer);
    incoming.off('data', onData);
  };
  const giveUp = () => {
    stop();
    socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limits.maxBytes) giveUp();
  };
  const timer = setTimeout(giveUp, limits.maxMs);
  timer.unref();
  incoming.on('data', onData);
  incoming.once('end', () => {
    drained = true;
    stop();
    if (closing) socket.destroy();
  });
  incoming.resume();
  let closing = false;
  lingerOnClose(
    socket,
    () => drained,
    limits.maxMs,
    () => (closing = true),
  );
  return mayNotFinish;
}

/**
 * Replaces Node's end of connection (FIN, then close at once) on `socket` by FIN, then close
 * once `done()` (all input read: closing cannot reset) or after `lingerMs`.
 */
function lingerOnClose(socket: Socket, done: () => boolean, lingerMs: number, onClosing: () => void = () => {}): void {
  onConnectionEnd(socket, (ending) => {
    onClosing();
    ending.end();
    if (done()) {
      ending.destroy();
      return;
    }
    setTimeout(() => ending.destroy(), lingerMs).unref();
    // The client closing its side ends the wait too.
    ending.once('end', () => ending.destroy());
  });
}
