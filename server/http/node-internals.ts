// The one place that relies on behaviour of Node's HTTP server that is not public API. Each
// function names what it relies on; node-internals.test.ts checks each against the running Node
// and fails loudly when a Node release changes it.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Keeps Node from reading the rest of an unread request body once the answer is sent.
 * Relies on: Node pulls a body nobody consumed off the wire after the response (the request's
 * private `_dump`), unless the body was ever read; a zero-byte `read(0)` counts as reading it.
 * Pausing then stops the flow at the stream's high-water mark, so the rest stays in the kernel.
 */
export function leaveBodyUnread(incoming: IncomingMessage): void {
  incoming.read(0);
  incoming.pause();
}

/**
 * Replaces how Node ends `socket` after a `Connection: close` answer (FIN, then close at once)
 * with `end`. Relies on: Node ends such a connection through the socket's undocumented
 * `destroySoon()` method.
 */
export function onConnectionEnd(socket: Socket, end: (socket: Socket) => void): void {
  socket.destroySoon = function replacedDestroySoon(this: Socket) {
    end(this);
  };
}
