// Checks, against the running Node, the behaviour of its HTTP server that node-internals.ts
// relies on without it being public API. A failure here means a Node release changed it: the
// lingering close and the unread-body handling must then be revisited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { leaveBodyUnread, onConnectionEnd } from './node-internals.ts';

/** Serves `handler` on 127.0.0.1 and sends it one POST with a declared 1 MiB body of which 64 KiB arrive. */
async function exchange(t: import('node:test').TestContext, handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  const client: Socket = connect(port, '127.0.0.1');
  t.after(() => client.destroy());
  client.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
  client.write(Buffer.alloc(64 * 1024));
  let answer = '';
  client.on('data', (chunk) => (answer += chunk));
  await once(client, 'end');
  return answer;
}

test('Node ends a Connection: close answer through the socket replacement onConnectionEnd installs', async (t) => {
  let replacedEndCalled = false;
  const answer = await exchange(t, (req, res) => {
    onConnectionEnd(req.socket, (socket) => {
      replacedEndCalled = true;
      socket.end();
      socket.destroy();
    });
    leaveBodyUnread(req);
    res.writeHead(200, { Connection: 'close', 'Content-Length': 2 }).end('ok');
  });
  assert.match(answer, /^HTTP\/1\.1 200/);
  assert.equal(replacedEndCalled, true, 'Node no longer ends connections through socket.destroySoon()');
});

test('after a zero-byte read Node leaves an unread body paused once the answer is sent, and without it resumes the body', async (t) => {
  const flowingAfterFinish = async (withRead0: boolean) => {
    let flowing: boolean | null = null;
    await exchange(t, (req, res) => {
      if (withRead0) leaveBodyUnread(req);
      res.writeHead(200, { Connection: 'close', 'Content-Length': 2 }).end('ok');
      res.once('finish', () => setImmediate(() => (flowing = req.readableFlowing)));
      res.once('close', () => req.socket.destroy());
    });
    await new Promise((resolve) => setImmediate(resolve));
    return flowing;
  };
  // The control shows the check can fail: Node discards (resumes) a body nobody read.
  assert.equal(await flowingAfterFinish(false), true, 'Node no longer resumes an unread body after the answer');
  assert.equal(await flowingAfterFinish(true), false, 'a zero-byte read no longer keeps Node from resuming the body');
});
