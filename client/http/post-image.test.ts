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
