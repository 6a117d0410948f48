// `npm run cluster:local`: the rendered manifests played on one machine. Renders the kustomization
// (default k8s/overlays/local), plays the server Deployment's pods and the bench Job's pods with
// `podman kube play`, configures nginx from the Ingress and the Service, runs the bench against
// each replica count in turn, merges each run with the client image's `report`, and compares the
// first count with the last. Everything is removed on exit, however it exits.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchPodsInPlay, compareReport, jobImage, mergeReport, runBenchJob } from './bench-job.ts';
import { completionsOf } from './bench-pods.ts';
import { LocalCluster } from './local-cluster.ts';
import { findObject, renderKustomization } from './manifests.ts';
import { type Podman, podman, preparePodman, removePod, repo } from './podman.ts';
import { untranslated } from './untranslated.ts';
import { spawnSync } from 'node:child_process';

const USAGE = `Usage: npm run cluster:local -- [--replicas "1 2"] [--bench-pods N] [--duration 3s] [--warmup 1s] [--kustomization k8s/overlays/local]
  --replicas       increasing replica counts, a bench run at each (default "1 2")
  --bench-pods     the bench Job's completions and parallelism (default: the Job's own)
  --duration       each bench pod's measured time, at most 30s (default 3s; the Job says 30s)
  --warmup         each bench pod's warm-up (default 1s; the Job says 10s)
  --kustomization  the folder rendered with kubectl kustomize (default k8s/overlays/local)`;

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '1 2' },
    'bench-pods': { type: 'string' },
    duration: { type: 'string', default: '3s' },
    warmup: { type: 'string', default: '1s' },
    kustomization: { type: 'string', default: 'k8s/overlays/local' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const steps = values.replicas.trim().split(/\s+/).map(Number);
const fail = (message: string): never => {
  console.error(`cluster:local: ${message}\n${USAGE}`);
  process.exit(2);
};
if (steps.some((n, i) => !Number.isInteger(n) || n < 1 || (i > 0 && n < steps[i - 1]!)))
  fail(`--replicas must be increasing whole counts, not "${values.replicas}"`);
if (!/^\d+s$/.test(values.duration) || Number.parseInt(values.duration, 10) > 30) fail('--duration must be whole seconds, at most 30s');
if (!/^\d+s$/.test(values.warmup) || Number.parseInt(values.warmup, 10) > 30) fail('--warmup must be whole seconds, at most 30s');
const benchPodCount = values['bench-pods'] === undefined ? undefined : Number(values['bench-pods']);
if (benchPodCount !== undefined && !(Number.isInteger(benchPodCount) && benchPodCount >= 1 && benchPodCount <= 16)) fail('--bench-pods must be 1 to 16');

const say = (line: string) => process.stderr.write(`\n== ${line}\n`);
const dir = resolve(repo, values.kustomization);
const objects = renderKustomization(dir);
const p: Podman = preparePodman();
const job = findObject(objects, 'Job', 'histogram-bench');
const work = mkdtempSync(join(tmpdir(), 'histogram-local-cluster.'));
// nginx's workers run as `nobody` and must reach the configuration and temporary folders.
chmodSync(work, 0o755);
const results = join(work, 'results');
mkdirSync(results);
const cluster = new LocalCluster({ objects, podman: p, workDir: work });

let cleaning: Promise<void> | undefined;
const cleanup = () => {
  cleaning ??= cluster.stop().finally(() => {
    for (const pod of benchPodsInPlay) removePod(p, pod);
    rmSync(work, { recursive: true, force: true });
  });
  return cleaning;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().then(() => process.exit(130)));

try {
  for (const image of new Set([...objects.flatMap((o) => (o.kind === 'Deployment' || o.kind === 'Job' ? [o] : []))].map((o) => jobImage(o)))) {
    if (podman(p, ['image', 'exists', image]).status !== 0) {
      say(`${image} is missing: building the images`);
      if (spawnSync('bash', ['scripts/build-images.sh'], { cwd: repo, stdio: 'inherit' }).status !== 0) throw new Error('scripts/build-images.sh failed');
    }
  }
  const played = [cluster.deployment, cluster.service, cluster.ingress, job, ...objects.filter((o) => o.kind === 'ConfigMap')];
  say(`rendered ${objects.length} objects from ${values.kustomization}; played: ${played.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')}`);
  say('not played, or played differently (everything else runs as rendered):');
  for (const line of untranslated(objects, played)) process.stderr.write(`   - ${line}\n`);

  await cluster.start();
  say(`nginx on 127.0.0.1:${cluster.port} as the Ingress (host ${cluster.host}), upstream = the ready pods of ${cluster.deployment.metadata.name}`);
  const pods = benchPodCount ?? completionsOf(job);
  const saved: string[] = [];
  for (const replicas of steps) {
    say(`${cluster.deployment.metadata.name}: ${replicas} replica(s)`);
    await cluster.scaleTo(replicas);
    // Far enough ahead for every bench pod to start and see /readyz through the Ingress first.
    const startAt = new Date(Math.ceil((Date.now() + 8000) / 1000) * 1000).toISOString();
    say(
      `bench: ${pods} pod(s) of Job ${job.metadata.name} × (warm-up ${values.warmup} + ${values.duration}) against ${replicas} replica(s), starting at ${startAt}`,
    );
    const run = await runBenchJob(p, job, work, { pods: benchPodCount, ingressPort: cluster.port, warmup: values.warmup, duration: values.duration, startAt });
    if (saved.length === 0) for (const line of run.changes) process.stderr.write(`   - ${line}\n`);
    if (run.failed.length > 0) throw new Error(`bench pods failed:\n${run.failed.join('\n')}`);
    const file = `bench-${replicas}-replicas.log`;
    writeFileSync(join(results, file), run.logs);
    saved.push(file);
    say(`merged report, ${replicas} replica(s)`);
    process.stdout.write(mergeReport(p, jobImage(job), run.logs));
  }
  if (saved.length > 1) {
    say(`compare: ${steps[0]} → ${steps.at(-1)} replicas`);
    process.stdout.write(compareReport(p, jobImage(job), results, saved[0]!, saved.at(-1)!));
  }
  const model = cpus()[0]?.model ?? 'unknown CPU';
  say(
    `this machine: ${availableParallelism()} core(s) (${model}) shared by every pod, nginx and the bench: ` +
      'replicas here compete for the same cores, so the scaling efficiency above is not a cluster figure',
  );
} catch (error) {
  console.error(`cluster:local: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
