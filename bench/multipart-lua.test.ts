// bench/multipart.lua under Debian's wrk: with STATUSES=1 it counts every status and times the
// 2xx alone by the request ids the server echoes; without an echo it leaves them untimed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runWrk, wrkVersion } from './suite-wrk.ts';
import { wrkFigures } from './wrk-output.ts';

const skip = wrkVersion() === null ? 'wrk is not installed (apt-get install wrk)' : false;

/** A server answering every other upload 503 at once and the rest 200 after 5 ms. */
async function alternatingServer(echo: boolean): Promise<{ url: string; close(): Promise<void>; seen: () => number }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = req.headers['x-request-id'];
      const headers: Record<string, string> = echo && typeof id === 'string' ? { 'x-request-id': id } : {};
      if (n++ % 2 === 0) {
        res.writeHead(503, headers).end('{}');
      } else {
        setTimeout(() => res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end('{"histogram":[]}'), 5);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/process-image`, seen: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

const image = join(tmpdir(), 'multipart-lua-test.bin');
writeFileSync(image, Buffer.alloc(64 * 1024, 7));

test('statuses are counted and every 2xx is timed by its echoed request id, from the send', { skip }, async (t) => {
  const server = await alternatingServer(true);
  t.after(() => server.close());
  const { summary } = await runWrk({ url: server.url, image, threads: 1, connections: 2, durationS: 1, timeoutS: 5, statuses: true });
  const ok = summary.statuses?.['200'] ?? 0;
  assert.ok(ok > 10, `expected some 200s, got ${JSON.stringify(summary.statuses)}`);
  assert.ok((summary.statuses?.['503'] ?? 0) >= ok - 2);
  assert.equal(summary.untimedOk, 0);
  assert.equal(summary.okLatencyUs?.length, ok);
  // Node may fire a 5 ms timer up to ~1 ms early (it counts from the loop's cached time); a
  // mismatched id would instead show a 503's sub-millisecond time or a stale send time.
  assert.ok(
    summary.okLatencyUs!.every((us) => us >= 4000 && us < 1_000_000),
    `each 200 took about the server's 5 ms: ${Math.min(...summary.okLatencyUs!)} µs`,
  );
  const f = wrkFigures(summary);
  assert.equal(f.latencyNote, 'every 2xx timed by its request id');
  assert.ok(f.p50Ms! >= 4);
});

test('a server that does not echo the id leaves the 2xx untimed and their latency unknown', { skip }, async (t) => {
  const server = await alternatingServer(false);
  t.after(() => server.close());
  const { summary } = await runWrk({ url: server.url, image, threads: 1, connections: 2, durationS: 1, timeoutS: 5, statuses: true });
  const ok = summary.statuses?.['200'] ?? 0;
  assert.ok(ok > 10);
  assert.equal(summary.untimedOk, ok);
  assert.deepEqual(summary.okLatencyUs, []);
  assert.equal(wrkFigures(summary).p50Ms, null);
});
