// Rolling restart behind a real nginx: two server processes, uploads flowing through nginx,
// each server in turn gets SIGTERM, drains, exits and is replaced on the same port; no request
// may fail (issue 5, "Rolling restart").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startServer, type ServerProcess } from './helpers/server-process.ts';
import { photoLikeJpeg } from './helpers/ops-images.ts';
import { freePort, waitFor } from './helpers/ops-http.ts';
import { countByStatus, killAfter, startLoad, type Load } from './helpers/ops-load.ts';
import { NGINX_BINARY, startNginx } from './helpers/ops-nginx.ts';

const skip = existsSync(NGINX_BINARY) ? false : `${NGINX_BINARY} is missing: install Debian's nginx package (.ci/run does)`;

// Drain quickly but with room to finish: 0.5 s still accepting, then up to 10 s for in-flight work.
const DRAIN_ENV = { SHUTDOWN_DELAY_MS: '500', SHUTDOWN_GRACE_MS: '10000' };

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

  // Bounded load: 4 keep-alive clients to nginx, at most 30 s and 1000 uploads each.
  const load: Load = startLoad({ url: `${nginx.url}/v1/histogram`, body: jpeg, loops: 4, maxDurationMs: 30_000, maxPerLoop: 1000 });
  t.after(() => load.stop());
  const servedBy = (name: string) => () => load.outcomes.some((o) => o.servedBy === name);
  await waitFor('both servers to take requests', () => servedBy('server-a-1')() && servedBy('server-b-1')(), 10_000).catch((error: Error) => {
    throw new Error(`${error.message}; outcomes so far ${JSON.stringify(load.outcomes.slice(0, 3))}`);
  });

  const exitCodes: Record<string, number | null> = {};
  const replace = async (old: ServerProcess, port: number, oldName: string, newName: string) => {
    const sigterm = performance.now();
    exitCodes[oldName] = await old.stop('SIGTERM'); // resolves when the process has exited
    t.diagnostic(`${oldName} drained and exited ${exitCodes[oldName]} in ${(performance.now() - sigterm).toFixed(0)} ms`);
    await start(port, newName);
    // nginx takes the new process back once its fail_timeout (1 s) is over.
    await waitFor(`nginx to send requests to ${newName}`, servedBy(newName), 10_000);
  };
  await replace(oldA, portA, 'server-a-1', 'server-a-2');
  await replace(oldB, portB, 'server-b-1', 'server-b-2');
  const lastRestart = load.outcomes.length;
  await waitFor('more requests after the restarts', () => load.outcomes.length >= lastRestart + 20, 10_000);
  const outcomes = await load.stop();

  const perServer = countBy(outcomes.map((o) => o.servedBy ?? 'none'));
  const retried = (nginx.errorLog().match(/connect\(\) failed \(111: Connection refused\)/g) ?? []).length;
  t.diagnostic(`${outcomes.length} uploads: ${JSON.stringify(countByStatus(outcomes))}, by server ${JSON.stringify(perServer)}; nginx moved ${retried} requests on after a refused connect`);
  const failed = outcomes.filter((o) => o.status !== 200);
  const nginxErrors = nginx.errorLog().split('\n').filter((l) => /\[error\]/.test(l) && !/Connection refused/.test(l));
  const notOk = nginx.accessLog().split('\n').filter((l) => l && !l.startsWith('200 '));
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
