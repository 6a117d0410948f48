import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postImage, RequestFailedError } from './post-image.ts';
import { freePort } from '../../test/helpers/free-port.ts'; // free a moment ago: nothing listens there

test('a refused connection is retried the given number of times, then explained', async () => {
  const port = await freePort();
  const retries: number[] = [];
  await assert.rejects(
    postImage({
      url: new URL(`http://127.0.0.1:${port}/v1/histogram`),
      bytes: Buffer.from('x'),
      fileName: 'x.png',
      retries: 2,
      onRetry: (info) => retries.push(info.attempt),
    }),
    (error: unknown) => {
      assert.ok(error instanceof RequestFailedError);
      assert.match(error.message, new RegExp(`cannot connect to http://127.0.0.1:${port}: connection refused`));
      assert.equal(error.attempts, 3);
      return true;
    },
  );
  assert.deepEqual(retries, [1, 2]);
});

test('an unknown host is explained by name', async () => {
  await assert.rejects(
    postImage({
      // .invalid never resolves (RFC 2606)
      url: new URL('http://no-such-host.invalid/v1/histogram'),
      bytes: Buffer.from('x'),
      fileName: 'x.png',
    }),
    { message: /host "no-such-host.invalid" not found|DNS lookup of "no-such-host.invalid" failed/ },
  );
});

/** A server that redirects POST /old/ with `status` to `location`, and answers 200 with the path it was posted to. */
async function redirecting(t: { after: (fn: () => Promise<unknown>) => void }, status: number, location: (port: number) => string) {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.url === '/old/') {
      res.writeHead(status, { location: location((server.address() as { port: number }).port) }).end();
      return;
    }
    req.resume();
    req.once('end', () => res.end(`${req.method} ${req.url}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as { port: number }).port;
}

test('a 307 to a path on the same server is followed with the same POST, not counted as an attempt', async (t) => {
  const port = await redirecting(t, 307, (p) => `http://127.0.0.1:${p}/old?bins=4`);
  const response = await postImage({ url: new URL(`http://127.0.0.1:${port}/old/`), bytes: Buffer.from('x'), fileName: 'x.png' });
  assert.equal(response.status, 200);
  assert.equal(response.body.toString(), 'POST /old?bins=4');
  assert.equal(response.attempts, 1);
});

test('a 307 to another host is not followed: the 307 is the answer', async (t) => {
  const port = await redirecting(t, 307, () => 'http://elsewhere.invalid/old');
  const response = await postImage({ url: new URL(`http://127.0.0.1:${port}/old/`), bytes: Buffer.from('x'), fileName: 'x.png' });
  assert.equal(response.status, 307);
});

test('a 307 to the host named in a Host header goes to the same address, with that path', async (t) => {
  const port = await redirecting(t, 307, () => 'http://histogram.local/old');
  const response = await postImage({
    url: new URL(`http://127.0.0.1:${port}/old/`),
    bytes: Buffer.from('x'),
    fileName: 'x.png',
    headers: { Host: 'histogram.local' },
  });
  assert.equal(response.body.toString(), 'POST /old');
});
