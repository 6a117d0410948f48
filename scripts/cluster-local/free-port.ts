// A TCP port on 127.0.0.1 that was free a moment ago, chosen by the kernel: for the pods' published
// ports and nginx (a port picked at run time never collides with another run on the machine).
import { createServer } from 'node:net';

/** Listens on port 0, reads the port the kernel chose, closes, and returns it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
