// The local cluster's translation of the rendered manifests, without containers (so `npm test`
// runs it): pod names and labels as the controllers make them, the bench Job's pods with their
// completion index, nginx's configuration from the Ingress and the Service, and the list of what
// is not played. Expected values are read from the manifests or written by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPods, expandReferences } from '../../scripts/cluster-local/bench-pods.ts';
import { nginxConfig } from '../../scripts/cluster-local/ingress-config.ts';
import { clone, findObject, type K8sObject, type PodTemplate, renderKustomization } from '../../scripts/cluster-local/manifests.ts';
import { podTemplateHash } from '../../scripts/cluster-local/pod-names.ts';
import { serverPod } from '../../scripts/cluster-local/server-pods.ts';
import { untranslated } from '../../scripts/cluster-local/untranslated.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const skip = kubectl.status === 0 ? false : 'kubectl is not installed (the manifests are rendered with kubectl kustomize; bash .ci/run installs it)';
const objects: K8sObject[] = skip ? [] : renderKustomization(join(repo, 'k8s', 'overlays', 'local'));
const get = (kind: string, name: string) => findObject(objects, kind, name);
const ALPHABET = '[bcdfghjklmnpqrstvwxz2456789]';

test('a server pod is named <deployment>-<template hash>-<5 characters>, labelled with the hash, its port published on 127.0.0.1 only', { skip }, () => {
  const deployment = get('Deployment', 'histogram-server');
  const pod = serverPod(deployment, [40001]);
  const hash = pod.metadata.labels['pod-template-hash']!;
  assert.match(pod.metadata.name, new RegExp(`^histogram-server-${hash}-${ALPHABET}{5}$`));
  assert.match(hash, new RegExp(`^${ALPHABET}+$`));
  assert.equal(pod.metadata.labels['app.kubernetes.io/name'], 'histogram-server');
  assert.deepEqual(pod.spec.containers[0]!.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP', hostPort: 40001, hostIP: '127.0.0.1' }]);
  assert.equal(pod.spec.hostNetwork, undefined, 'its own network namespace');
  // Its emptyDir belongs to the pod alone (podman would share a volume of the same name).
  const volume = `${pod.metadata.name}-tmp`;
  assert.deepEqual(
    (pod.spec.volumes as { name: string }[]).map((v) => v.name),
    [volume],
  );
  assert.equal((pod.spec.containers[0]!.volumeMounts as { name: string }[])[0]!.name, volume);
  // The rendered Deployment is left as it was.
  assert.equal((deployment.spec as { template: PodTemplate }).template.spec.containers[0]!.ports![0]!.hostPort, undefined);
});

test('the pod-template-hash is the same for equal templates and changes with any value of the template', () => {
  const template = { spec: { containers: [{ name: 'server', env: [{ name: 'A', value: '1' }] }] } };
  const changed = clone(template);
  changed.spec.containers[0]!.env[0]!.value = '2';
  assert.equal(podTemplateHash(template), podTemplateHash(clone(template)));
  assert.notEqual(podTemplateHash(template), podTemplateHash(changed));
});

test('$(VAR) in args expands from the environment as Kubernetes does: $$ escapes, an unknown name stays', () => {
  const env = { SHARD_INDEX: '2', SHARD_COUNT: '4' };
  assert.equal(expandReferences('$(SHARD_INDEX)/$(SHARD_COUNT)', env), '2/4');
  assert.equal(expandReferences('$$(SHARD_INDEX)', env), '$(SHARD_INDEX)');
  assert.equal(expandReferences('$(NOT_SET)', env), '$(NOT_SET)');
});

test('the bench Job plays one pod per completion index, with the index in its annotation, JOB_COMPLETION_INDEX, host name and shard', { skip }, () => {
  const job = get('Job', 'histogram-bench');
  const { pods, changes } = benchPods(job, { ingressPort: 41000, warmup: '1s', duration: '3s', startAt: '2030-01-01T00:00:00.000Z' });
  assert.equal(pods.length, (job.spec as { completions: number }).completions);
  pods.forEach((pod, i) => {
    assert.match(pod.metadata.name, new RegExp(`^histogram-bench-${i}-${ALPHABET}{5}$`));
    assert.equal(pod.metadata.annotations['batch.kubernetes.io/job-completion-index'], String(i));
    assert.equal(pod.spec.hostname, `histogram-bench-${i}`);
    const c = pod.spec.containers[0]!;
    const env = Object.fromEntries((c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    assert.equal(env.JOB_COMPLETION_INDEX, String(i));
    assert.equal(env.HISTOGRAM_START_AT, '2030-01-01T00:00:00.000Z');
    const args = c.args!;
    assert.deepEqual(args.slice(args.indexOf('--shard-index'), args.indexOf('--shard-index') + 4), [
      '--shard-index',
      String(i),
      '--shard-count',
      String(pods.length),
    ]);
    assert.equal(args[args.indexOf('--url') + 1], 'http://127.0.0.1:41000/v1/histogram');
    assert.equal(args[args.indexOf('--header') + 1], 'Host: histogram.local');
    assert.equal(args[args.indexOf('--duration') + 1], '3s');
    assert.equal(args[args.indexOf('--warmup') + 1], '1s');
  });
  assert.ok(changes.some((line) => /--url/.test(line)));
});

test('--bench-pods N sets the pod count and SHARD_COUNT together, as the bench-x8 overlay does', { skip }, () => {
  const { pods, changes } = benchPods(get('Job', 'histogram-bench'), { pods: 2, ingressPort: 41000 });
  assert.equal(pods.length, 2);
  assert.equal(pods[1]!.spec.containers[0]!.env!.find((e) => e.name === 'SHARD_COUNT')!.value, '2');
  assert.match(changes[0]!, /completions and parallelism 2/);
});

test('nginx is configured from the Ingress: its host, annotations and the ready pods behind the Service port only', { skip }, () => {
  const deployment = get('Deployment', 'histogram-server');
  const ready = serverPod(deployment, [40001]);
  const unready = serverPod(deployment, [40002]);
  const conf = nginxConfig({
    ingress: get('Ingress', 'histogram-server'),
    services: [get('Service', 'histogram-server')],
    pods: [
      { pod: ready, ready: true },
      { pod: unready, ready: false },
    ],
    port: 39000,
    workDir: '/w',
  });
  assert.match(conf, /server_name histogram\.local;/);
  assert.match(conf, /client_max_body_size 26m;/);
  assert.match(conf, /proxy_read_timeout 60s;/);
  assert.match(conf, /proxy_send_timeout 60s;/);
  assert.match(conf, /proxy_request_buffering off;/);
  assert.match(conf, /server 127\.0\.0\.1:40001;/);
  assert.doesNotMatch(conf, /40002/);
  assert.match(conf, /listen 127\.0\.0\.1:39000 default_server;\s+return 404;/);
});

test('a Service without ready endpoints answers 503 through nginx, as ingress-nginx does', { skip }, () => {
  const pod = serverPod(get('Deployment', 'histogram-server'), [40001]);
  const conf = nginxConfig({
    ingress: get('Ingress', 'histogram-server'),
    services: [get('Service', 'histogram-server')],
    pods: [{ pod, ready: false }],
    port: 39000,
    workDir: '/w',
  });
  assert.match(conf, /location \/ \{\s+return 503;/);
  assert.doesNotMatch(conf, /upstream /);
});

test('what is not played is listed: the HPA, the PDB, the smoke Job, resource requests, emptyDir size limits', { skip }, () => {
  const played = [get('Deployment', 'histogram-server'), get('Service', 'histogram-server'), get('Ingress', 'histogram-server'), get('Job', 'histogram-bench')];
  const lines = untranslated(objects, played).join('\n');
  for (const expected of [
    /HorizontalPodAutoscaler histogram-server/,
    /PodDisruptionBudget histogram-server/,
    /Job histogram-smoke/,
    /requests\.cpu 500m/,
    /requests\.memory 384Mi/,
    /emptyDir .*sizeLimit 256Mi/,
  ])
    assert.match(lines, expected);
});
