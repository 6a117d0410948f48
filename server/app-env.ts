// The Hono environment of the app: the Node request/response behind each request (when served
// by @hono/node-server) and the per-request values that middleware and routes share.
import type { HttpBindings } from '@hono/node-server';

export type AppEnv = {
  /** Absent under app.request() in tests, where no Node socket is involved. */
  Bindings: Partial<HttpBindings>;
  Variables: {
    requestId: string;
    format: string;
    bytes: number;
    pixels: number;
    /** 100 Continue was sent: the client was told to send its body. */
    continueSent: boolean;
  };
};
