// `npm run cluster:local` as a test: the pods of the rendered manifests played with podman kube
// play, nginx made from the Ingress, and what Kubernetes promises about them (environment from the
// ConfigMap and the downward API, limits, readiness gating the endpoints, a replaced pod costing no
// request, the memory limit killing and restarting a container), and that a value changed in a
// kustomization changes what runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { stringify } from 'yaml';
import { benchPods } from '../../scripts/cluster-local/bench-pods.ts';
import { LocalCluster } from '../../scripts/cluster-local/local-cluster.ts';
import { findObject, type K8sObject, type PodTemplate, renderKustomization } from '../../scripts/cluster-local/manifests.ts';
import { NGINX } from '../../scripts/cluster-local/nginx-process.ts';
import { kubePlay, type Podman, podman, podmanOk, podmanUnavailable, preparePodman, removePod } from '../../scripts/cluster-local/podman.ts';
import { ensureImages, repo } from './container-engine.ts';
import { sendThroughIngress, startTraffic } from './ingress-traffic.ts';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const LOCAL = join(repo, 'k8s', 'overlays', 'local');
const skip = podmanUnavailable() ?? (existsSync(NGINX) ? false : `Debian's nginx is not installed at ${NGINX}`);
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const skipReason = skip || (kubectl.status === 0 ? false : 'kubectl is not installed (the manifests are rendered with kubectl kustomize)');

let p: Podman;
const work = mkdtempSync(join(tmpdir(), 'histogram-cluster-test.'));
chmodSync(work, 0o755);
const clusters: LocalCluster[] = [];

before(
  () => {
    if (skipReason) return;
    ensureImages();
    p = preparePodman();
  },
  { timeout: 1_800_000 },
);

after(async () => {
  for (const c of clusters) await c.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A cluster of `objects`, stopped after the file; nginx started. */
async function startCluster(objects: K8sObject[], name: string, log: (line: string) => void = () => {}): Promise<LocalCluster> {
  const dir = join(work, name);
  spawnSync('mkdir', ['-p', dir]);
  chmodSync(dir, 0o755);
  const cluster = new LocalCluster({ objects, podman: p, workDir: dir, log });
  clusters.push(cluster);
  await cluster.start();
  return cluster;
}

/** Renders a kustomization made in a temporary folder on top of k8s/overlays/local with `patches`. */
function renderOverlay(name: string, patches: unknown[]): K8sObject[] {
  const dir = join(work, `overlay-${name}`);
  spawnSync('mkdir', ['-p', dir]);
  // kustomize takes bases by relative path only.
  const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [relative(dir, LOCAL)], patches };
  writeFileSync(join(dir, 'kustomization.yaml'), stringify(kustomization));
  return renderKustomization(dir);
}

function template(objects: K8sObject[], kind: string, name: string): PodTemplate {
  return (findObject(objects, kind, name).spec as { template: PodTemplate }).template;
}

/** The environment of a played container, from podman inspect. */
function containerEnv(container: string): Record<string, string> {
  const env = JSON.parse(podmanOk(p, ['inspect', container, '--format', '{{json .Config.Env}}'])) as string[];
  return Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

function hostPortOf(cluster: LocalCluster, pod: string): number {
  return cluster.pod(pod).spec.containers[0]!.ports![0]!.hostPort!;
}

const POD_NAME = /^histogram-server-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

test('two replicas played from the rendered manifests both serve through the Ingress, and a pod replaced mid-run costs no request', {
  skip: skipReason,
  timeout: 600_000,
}, async () => {
  const objects = renderKustomization(LOCAL);
  const config = findObject(objects, 'ConfigMap', 'histogram-server').data!;
  const server = template(objects, 'Deployment', 'histogram-server').spec.containers[0]!;
  const cluster = await startCluster(objects, 'two');
  await cluster.scaleTo(2);
  const [first, second] = cluster.endpoints().map((e) => e.name);
  assert.match(first!, POD_NAME);
  assert.match(second!, POD_NAME);

  // What the spec says, as the container got it: ConfigMap, downward API, limits, user, root.
  const env = containerEnv(`${first}-server`);
  for (const [key, value] of Object.entries(config)) assert.equal(env[key], value, key);
  assert.equal(env.POD_NAME, first);
  assert.equal(env.CONCURRENCY, server.resources!.limits!.cpu, 'CONCURRENCY from limits.cpu');
  const [memory, user, readOnly, restart] = podmanOk(p, [
    'inspect',
    `${first}-server`,
    '--format',
    '{{.HostConfig.Memory}} {{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.RestartPolicy.Name}}',
  ])
    .trim()
    .split(' ');
  assert.equal(Number(memory), 1024 ** 3, `limits.memory ${server.resources!.limits!.memory}`);
  assert.equal(user, '1000:1000');
  assert.equal(readOnly, 'true');
  assert.equal(restart, 'always');
  assert.match(
    podmanOk(p, ['exec', `${first}-server`, 'sh', '-c', 'touch /probe 2>&1; touch /tmp/probe && echo tmp-writable']),
    /Read-only file system[\s\S]*tmp-writable/,
  );

  // Another host than the Ingress rule's: the default backend's 404.
  assert.equal((await sendThroughIngress(cluster.port, 'other.example', '/readyz')).status, 404);

  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 10, g: 20, b: 30 } } })
    .png()
    .toBuffer();
  const traffic = startTraffic(cluster.port, cluster.host, '/v1/histogram', png, 2, 20_000);
  const deadline = Date.now() + 60_000;
  while (new Set(traffic.answers.map((a) => a.servedBy)).size < 2 && Date.now() < deadline) await sleep(100);
  const before = traffic.answers.length;
  const successor = await cluster.replacePod(first!);
  const during = traffic.answers.length - before;
  // A little traffic after the old pod is gone, so the successor is seen serving.
  const settled = traffic.answers.length;
  while (!traffic.done && traffic.answers.length < settled + 40 && Date.now() < deadline + 60_000) await sleep(100);
  const answers = await traffic.stop();

  const failures = answers.filter((a) => a.status !== 200);
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${answers.length} requests failed`);
  assert.ok(during > 10, `traffic flowed during the replacement (${during} requests)`);
  const servedBy = new Set(answers.map((a) => a.servedBy));
  assert.ok(servedBy.has(first) && servedBy.has(second) && servedBy.has(successor), `served by ${[...servedBy].join(', ')}`);
  assert.match(successor, POD_NAME);
  assert.deepEqual(
    cluster
      .endpoints()
      .map((e) => e.name)
      .sort(),
    [second, successor].sort(),
  );
  assert.equal(podman(p, ['pod', 'exists', first!]).status, 1, 'the replaced pod is gone');
});

test('a value changed in a kustomization changes what runs: ConfigMap env, readiness path (no traffic to an unready pod) and the bench Job args', {
  skip: skipReason,
  timeout: 300_000,
}, async () => {
  const base = renderKustomization(LOCAL);
  const countAt = template(base, 'Job', 'histogram-bench').spec.containers[0]!.args!.indexOf('--count') + 1;
  const objects = renderOverlay('changed', [
    { patch: stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'histogram-server' }, data: { LOG_LEVEL: 'debug', MAX_QUEUE: '7' } }) },
    {
      target: { kind: 'Deployment', name: 'histogram-server' },
      patch: stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/readinessProbe/httpGet/path', value: '/no-such-route' }]),
    },
    {
      target: { kind: 'Job', name: 'histogram-bench' },
      patch: stringify([{ op: 'replace', path: `/spec/template/spec/containers/0/args/${countAt}`, value: '3' }]),
    },
  ]);
  const cluster = await startCluster(objects, 'changed');
  const name = await cluster.addPod();
  const env = containerEnv(`${name}-server`);
  assert.equal(env.LOG_LEVEL, 'debug');
  assert.equal(env.MAX_QUEUE, '7');

  // The pod is up (its own /readyz answers 200), but its readiness probe asks for a route that
  // answers 404: after the startup probe and failureThreshold readiness periods, still no endpoint.
  const port = hostPortOf(cluster, name);
  const deadline = Date.now() + 60_000;
  while (
    (await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    assert.ok(Date.now() < deadline, 'the server started');
    await sleep(300);
  }
  const readiness = template(objects, 'Deployment', 'histogram-server').spec.containers[0]!.readinessProbe!;
  await sleep(((readiness.periodSeconds ?? 10) * (readiness.failureThreshold ?? 3) + 2) * 1000);
  assert.deepEqual(cluster.endpoints(), [{ name, ready: false }]);
  const answers = await Promise.all(Array.from({ length: 5 }, () => sendThroughIngress(cluster.port, cluster.host, '/readyz')));
  assert.deepEqual(
    answers.map((a) => [a.status, a.servedBy]),
    Array(5).fill([503, undefined]),
  );

  // The Job's pods carry the changed argument (created, not started: nothing to measure here).
  const { pods } = benchPods(findObject(objects, 'Job', 'histogram-bench'), { pods: 1, ingressPort: cluster.port });
  try {
    kubePlay(p, join(work, 'bench.yaml'), stringify(pods[0]), ['--start=false']);
    const args = JSON.parse(podmanOk(p, ['inspect', `${pods[0]!.metadata.name}-bench`, '--format', '{{json .Config.Cmd}}'])) as string[];
    assert.equal(args[args.indexOf('--count') + 1], '3');
    assert.deepEqual(args.slice(args.indexOf('--shard-index'), args.indexOf('--shard-index') + 4), ['--shard-index', '0', '--shard-count', '1']);
    const benchEnv = containerEnv(`${pods[0]!.metadata.name}-bench`);
    assert.equal(benchEnv.JOB_COMPLETION_INDEX, '0');
    assert.equal(benchEnv.SHARD_INDEX, '0', 'SHARD_INDEX from the completion-index annotation (downward API)');
  } finally {
    removePod(p, pods[0]!);
  }
});

test('a server container over its memory limit is killed and restarted, then ready again', { skip: skipReason, timeout: 300_000 }, async () => {
  // Idle, the server holds well under 128 MiB; decoding a 7000×7000 image needs 147 MB for its pixels alone.
  const objects = renderOverlay('memory', [
    {
      target: { kind: 'Deployment', name: 'histogram-server' },
      patch: stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/resources/limits/memory', value: '128Mi' }]),
    },
  ]);
  const lines: string[] = [];
  const cluster = await startCluster(objects, 'memory', (line) => lines.push(line));
  await cluster.scaleTo(1);
  const { name } = cluster.endpoints()[0]!;
  const inspect = () =>
    podmanOk(p, ['inspect', `${name}-server`, '--format', '{{.HostConfig.Memory}} {{.RestartCount}} {{.State.Pid}}'])
      .trim()
      .split(' ')
      .map(Number);
  const [limit, restarts, pid] = inspect();
  assert.equal(limit, 128 * 1024 ** 2);
  assert.equal(restarts, 0);
  const big = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  const answer = await sendThroughIngress(cluster.port, cluster.host, '/v1/histogram', big);
  assert.ok(
    answer.status === 0 || answer.status >= 500,
    `the upload that needs more than the limit got no answer from the server (${answer.status} ${answer.error ?? ''})`,
  );
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [, count, newPid] = inspect();
    const ready = (await sendThroughIngress(cluster.port, cluster.host, '/readyz')).status === 200;
    if (count! >= 1 && newPid !== pid && ready) break;
    assert.ok(Date.now() < deadline, `restarted and ready again within 90 s (restarts ${count}, pid ${pid} → ${newPid}, ready ${ready})`);
    await sleep(500);
  }
  // Killed by the kernel (SIGKILL: 137), out of the endpoints until its probes passed again.
  const log = lines.join('\n');
  assert.match(log, new RegExp(`${name}: container ${name}-server died \\(exit 137\\)`), log);
  assert.match(log, new RegExp(`${name} not ready[^\\n]*\\n(.*\\n)*.*${name} ready`), log);
});
