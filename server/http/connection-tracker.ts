// Knows what each connection of an HTTP server is doing, so a drain can close exactly the ones
// that hold no request: idle keep-alive connections (they answered a request and wait for
// another), and connections that have sent no complete request for a while (slow or stalled
// clients). Node's own closeIdleConnections() (also called by server.close()) closes
// connections that were just accepted and have not sent their request yet too: a proxy that
// already wrote a POST on such a connection sees a reset and answers 502.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Server as NetServer } from 'node:net';

interface SocketState {
  openedAt: number;
  active: number;
  served: number;
  /** When closeIdle() sent this idle connection our FIN. */
  endedAt?: number;
}

export interface ConnectionTracker {
  /**
   * Ends every connection without a request in progress that has answered at least one
   * request (FIN first, destroyed if the client has not closed `quietMs` later), or has been
   * open `quietMs` without sending a complete one.
   */
  closeIdle(quietMs: number): void;
  /** Stops accepting connections without touching open ones; `done` once all have closed. */
  stopAccepting(done: () => void): void;
  /** Connections open now. */
  readonly size: number;
  /** Destroys every connection. */
  destroyAll(): void;
}

/** Starts tracking `server`'s connections (call before it accepts any). */
export function trackConnections(server: Server): ConnectionTracker {
  const sockets = new Map<Socket, SocketState>();
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { openedAt: performance.now(), active: 0, served: 0 });
    socket.once('close', () => sockets.delete(socket));
  });
  const onRequest = (req: { socket: Socket }, res: { once(event: 'close', listener: () => void): void }) => {
    const state = sockets.get(req.socket);
    if (!state) return;
    state.active++;
    res.once('close', () => {
      state.active--;
      state.served++;
    });
  };
  server.on('request', onRequest);
  server.on('checkContinue', onRequest);
  return {
    closeIdle(quietMs) {
      const now = performance.now();
      for (const [socket, state] of sockets) {
        if (state.active > 0) continue;
        if (state.served > 0) {
          if (state.endedAt !== undefined) {
            // A client that never closes its side after our FIN does not hold the drain.
            if (now - state.endedAt > quietMs) socket.destroy();
            continue;
          }
          state.endedAt = now;
          socket.end();
        } else if (now - state.openedAt > quietMs) socket.destroy();
      }
    },
    stopAccepting(done) {
      // net.Server's close, not http.Server's: the latter also runs closeIdleConnections().
      NetServer.prototype.close.call(server, () => done());
    },
    get size() {
      return sockets.size;
    },
    destroyAll() {
      for (const socket of sockets.keys()) socket.destroy();
    },
  };
}
