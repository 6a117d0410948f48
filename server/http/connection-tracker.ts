// Knows which connections of an HTTP server are idle keep-alive connections (they answered a
// request and wait for another), so a drain can close exactly those. Node's own
// closeIdleConnections() (also called by server.close()) closes connections that were just
// accepted and have not sent their request yet too: a proxy that already wrote a POST on such
// a connection sees a reset and answers 502.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Server as NetServer } from 'node:net';

interface SocketState {
  active: number;
  served: number;
}

export interface ConnectionTracker {
  /** Ends every connection that has answered at least one request and is idle now. */
  closeIdleKeepAlive(): void;
  /** Stops accepting connections without touching open ones; `done` once all have closed. */
  stopAccepting(done: () => void): void;
}

/** Starts tracking `server`'s connections (call before it accepts any). */
export function trackConnections(server: Server): ConnectionTracker {
  const sockets = new Map<Socket, SocketState>();
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { active: 0, served: 0 });
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req, res) => {
    const state = sockets.get(req.socket);
    if (!state) return;
    state.active++;
    res.once('close', () => {
      state.active--;
      state.served++;
    });
  });
  return {
    closeIdleKeepAlive() {
      for (const [socket, state] of sockets) if (state.active === 0 && state.served > 0) socket.end();
    },
    stopAccepting(done) {
      // net.Server's close, not http.Server's: the latter also runs closeIdleConnections().
      NetServer.prototype.close.call(server, () => done());
    },
  };
}
