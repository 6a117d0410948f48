// Rolling restart behind a real nginx: two server processes, uploads flowing through nginx,
// each server in turn gets SIGTERM, drains, exits and is replaced on the same port; no request
// may fail. The test plays the part of Kubernetes' endpoints
// controller and ingress-nginx: when a server's /readyz turns 503 it is taken out of nginx's
// upstreams (reload), and a replacement is put back once it is ready, the way a Deployment's
// rolling update moves traffic. Without that step, requests would keep arriving until the very
// moment the listener closes, and a connection the kernel had accepted just before would be
// reset with its POST already sent: nginx (rightly) does not retry a POST, so that is a failure
// no server can prevent, and one Kubernetes avoids by unreadiness + SHUTDOWN_DELAY_MS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startServer, type ServerProcess } from './helpers/server-process.ts';
import { photoLikeJpeg } from './helpers/ops-images.ts';
import { waitFor } from './helpers/ops-http.ts';
import { freePort } from './helpers/free-port.ts';
import { countByStatus, killAfter, startLoad, type Load } from './helpers/ops-load.ts';
import { NGINX_BINARY, startNginx } from './helpers/ops-nginx.ts';

const skip = existsSync(NGINX_BINARY) ? false : `${NGINX_BINARY} is missing: install Debian's nginx package (.ci/run does)`;

// Drain quickly but with room to finish: 2 s still accepting (time for the "endpoints" update),
// then up to 10 s for in-flight work.
const DRAIN_ENV = { SHUTDOWN_DELAY_MS: '2000', SHUTDOWN_GRACE_MS: '10000' };

test('a rolling restart of two servers behind nginx, one SIGTERM and replacement at a time, fails no request', { skip }, async (t) => {
  const servers: ServerProcess[] = [];
  killAfter(t, servers); // every process ever started, old and new, even when an assertion fails
  const [portA, portB, portNginx] = [await freePort(), await freePort(), await freePort()];
  const start = async (port: number, name: string) => {
    const server = await startServer({ env: { ...DRAIN_ENV, PORT: String(port), POD_NAME: name } });
    servers.push(server);
    return server;
  };
  const oldA = await start(portA, 'server-a-1');
  const oldB = await start(portB, 'server-b-1');
  const jpeg = await photoLikeJpeg(640, 480);
  const nginx = await startNginx({ port: portNginx, upstreams: [portA, portB], maxBodyBytes: 32 * 1024 * 1024 });
  t.after(() => nginx.stop());

  // Bounded load: 4 clients, at most 90 s and 1000 uploads each, stopped once the restarts are
  // done. A new connection to nginx per request: an nginx reload (our stand-in for an endpoints
  // update) closes the old worker's idle client connections, and a request racing that close
  // would fail for a reason that has nothing to do with the servers under test (ingress-nginx
  // changes endpoints without reloads).
  const load: Load = startLoad({ url: `${nginx.url}/v1/histogram`, body: jpeg, loops: 4, maxDurationMs: 90_000, maxPerLoop: 1000, keepAlive: false });
  t.after(() => load.stop());
  const servedBy = (name: string) => () => load.outcomes.some((o) => o.servedBy === name);
  await waitFor('both servers to take requests', () => servedBy('server-a-1')() && servedBy('server-b-1')(), 30_000).catch((error: Error) => {
    throw new Error(`${error.message}; outcomes so far ${JSON.stringify(load.outcomes.slice(0, 3))}`);
  });

  const exitCodes: Record<string, number | null> = {};
  const replace = async (old: ServerProcess, port: number, oldName: string, newName: string, otherPort: number) => {
    const sigterm = performance.now();
    const exited = old.stop('SIGTERM'); // resolves when the process has exited
    await waitFor(
      `${oldName} to turn unready`,
      async () =>
        (await fetch(`${old.url}/readyz`).then(
          (r) => r.status,
          () => 0,
        )) === 503,
      15_000,
      10,
    );
    await nginx.setUpstreams([otherPort]); // the endpoint leaves the Service
    const unready = performance.now() - sigterm;
    exitCodes[oldName] = await exited;
    t.diagnostic(
      `${oldName} out of rotation ${unready.toFixed(0)} ms after SIGTERM; drained and exited ${exitCodes[oldName]} in ${(performance.now() - sigterm).toFixed(0)} ms`,
    );
    await start(port, newName); // resolves once /readyz answers 200
    await nginx.setUpstreams([portA, portB]); // the ready replacement joins
    await waitFor(`nginx to send requests to ${newName}`, servedBy(newName), 30_000);
  };
  await replace(oldA, portA, 'server-a-1', 'server-a-2', portB);
  await replace(oldB, portB, 'server-b-1', 'server-b-2', portA);
  const lastRestart = load.outcomes.length;
  await waitFor('more requests after the restarts', () => load.outcomes.length >= lastRestart + 20, 30_000);
  const outcomes = await load.stop();

  const perServer = countBy(outcomes.map((o) => o.servedBy ?? 'none'));
  const retried = (nginx.errorLog().match(/connect\(\) failed \(111: Connection refused\)/g) ?? []).length;
  t.diagnostic(
    `${outcomes.length} uploads: ${JSON.stringify(countByStatus(outcomes))}, by server ${JSON.stringify(perServer)}; nginx moved ${retried} requests on after a refused connect`,
  );
  const failed = outcomes.filter((o) => o.status !== 200);
  const nginxErrors = nginx
    .errorLog()
    .split('\n')
    .filter((l) => /\[error\]/.test(l) && !/Connection refused/.test(l));
  const notOk = nginx
    .accessLog()
    .split('\n')
    .filter((l) => l && !l.startsWith('200 '));
  assert.deepEqual(failed, [], `failed requests\nnginx access log (not 200):\n${notOk.join('\n')}\nnginx errors:\n${nginxErrors.join('\n')}`);
  assert.deepEqual(exitCodes, { 'server-a-1': 0, 'server-b-1': 0 }, 'each old server exits cleanly after draining');
  for (const name of ['server-a-1', 'server-b-1', 'server-a-2', 'server-b-2']) assert.ok(perServer[name]! > 0, `${name} served requests`);
  for (const old of [oldA, oldB]) {
    const messages = old.logs.map((line) => (JSON.parse(line) as { msg: string }).msg);
    assert.ok(messages.includes('draining') && messages.includes('stopped'), `the drain was logged: ${messages.filter((m) => m !== 'request').join(', ')}`);
  }
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
