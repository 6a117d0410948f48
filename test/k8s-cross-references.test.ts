// The rendered manifests agree with each other, with the server's own configuration and upload
// limits, and with the kind scripts (read by bash itself): selectors, ports, the Ingress
// limits, the shutdown timing, the CPU limit behind CONCURRENCY and the image names.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job, type IJob } from 'kubernetes-models/batch/v1/Job';
import { Ingress, type IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace, type INamespace } from 'kubernetes-models/v1/Namespace';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { CONFIG_VARIABLES, loadConfig } from '../server/config.ts';
import { bodyAllowance } from '../server/http/read-upload.ts';
import { imageAllocatorEnv, isAllocatorVariable } from '../bench/server-launch.ts';
import {
  container,
  containersOf,
  kustomizeUnavailable,
  one,
  podTemplate,
  readYamlDocuments,
  renderKustomization,
  type Resource,
} from './helpers/k8s-render.ts';

/** The variables scripts/kind-lib.sh sets, as bash itself reads them. */
function kindScriptVariables(names: string[]): Record<string, string> {
  const out = execFileSync('bash', ['-c', `source scripts/kind-lib.sh && printf '%s\\n' ${names.map((n) => `"$${n}"`).join(' ')}`], { encoding: 'utf8' });
  const values = out.split('\n');
  return Object.fromEntries(names.map((name, k) => [name, values[k]!]));
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/** nginx's size syntax (26m, 1g, 512k, bytes) in bytes: ngx_parse_size. */
function nginxBytes(size: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(size);
  assert.ok(m, `not an nginx size: ${size}`);
  return Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2]!.toLowerCase() || ' ');
}

describe('the base, rendered by kubectl kustomize', { skip: kustomizeUnavailable }, () => {
  const resources = renderKustomization('k8s');
  const deployment = one<IDeployment>(resources, Deployment, 'histogram-server');
  const service = one<IService>(resources, Service, 'histogram-server');
  const config = one<IConfigMap>(resources, ConfigMap, 'histogram-server').data!;
  const ingress = one<IIngress>(resources, Ingress);
  const server = container(deployment, 'server');
  const podLabels = (r: Resource) => podTemplate(r)?.metadata?.labels;

  test("the Service and the Deployment select the Deployment's own pods, and no other workload's", () => {
    assert.ok(selects(service.spec!.selector, podLabels(deployment)));
    assert.ok(selects(deployment.spec!.selector.matchLabels, podLabels(deployment)));
    for (const r of resources.filter((x) => x !== deployment && podTemplate(x))) {
      assert.ok(!selects(service.spec!.selector, podLabels(r)), `${r.kind}/${r.metadata.name} would receive Service traffic`);
    }
  });

  test('the Ingress routes its host on class nginx to a Service port whose target is the container port PORT', () => {
    assert.equal(ingress.spec!.ingressClassName, 'nginx');
    const http = server.ports!.find((p) => p.name === 'http')!;
    assert.equal(http.containerPort, Number(config.PORT));
    for (const path of ingress.spec!.rules![0]!.http!.paths) {
      const backend = one<IService>(resources, Service, path.backend.service!.name);
      const port = backend.spec!.ports!.find((p) => p.name === path.backend.service!.port!.name || p.port === path.backend.service!.port!.number);
      assert.ok(port, `Service ${backend.metadata!.name} has no port ${JSON.stringify(path.backend.service!.port)}`);
      assert.ok(port.targetPort === http.name || port.targetPort === http.containerPort, `targetPort ${port.targetPort} is no container port`);
    }
    for (const name of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
      const port = server[name]!.httpGet!.port;
      assert.ok(port === http.name || port === http.containerPort, `${name} port ${port}`);
    }
  });

  test('every ConfigMap key is a variable the server reads, and together they pass its validation', () => {
    for (const key of Object.keys(config)) assert.ok(CONFIG_VARIABLES.includes(key), `${key} is not in CONFIG_VARIABLES`);
    assert.doesNotThrow(() => loadConfig({ ...config, POD_NAME: 'histogram-server-0', CONCURRENCY: '1' }));
    assert.equal(server.envFrom?.[0]?.configMapRef?.name, 'histogram-server');
  });

  test("CONCURRENCY is the container's CPU limit in whole cores and POD_NAME comes from the downward API", () => {
    const env = new Map(server.env!.map((e) => [e.name, e]));
    assert.deepEqual(env.get('CONCURRENCY')!.valueFrom, { resourceFieldRef: { containerName: 'server', resource: 'limits.cpu', divisor: '1' } });
    assert.deepEqual(env.get('POD_NAME')!.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });
    // A resourceFieldRef with divisor 1 rounds the limit up to whole cores: the value the server
    // reads must pass its validation (CONCURRENCY >= 1).
    const limit = String(server.resources!.limits!.cpu);
    const cores = Math.ceil(limit.endsWith('m') ? Number.parseInt(limit, 10) / 1000 : Number(limit));
    assert.doesNotThrow(() => loadConfig({ ...config, CONCURRENCY: String(cores) }));
  });

  test('the Deployment repeats every allocator setting of the server image, with the same value', () => {
    const image = imageAllocatorEnv('.');
    assert.equal(image.MALLOC_ARENA_MAX, '2', 'the image bounds malloc arenas');
    assert.deepEqual(Object.fromEntries(server.env!.filter((e) => isAllocatorVariable(e.name)).map((e) => [e.name, e.value])), image);
  });

  test("the Ingress passes any multipart upload the server accepts, and waits longer than the server's timeout", () => {
    const annotations = ingress.metadata!.annotations!;
    const maxBody = nginxBytes(annotations['nginx.ingress.kubernetes.io/proxy-body-size']!);
    // The server itself answers an over-size upload (JSON 413 while streaming): nginx must not
    // refuse first, with its own HTML page, a body the server would take.
    assert.ok(maxBody >= bodyAllowance('multipart/form-data', Number(config.MAX_UPLOAD_BYTES)), `proxy-body-size ${maxBody} bytes`);
    assert.equal(annotations['nginx.ingress.kubernetes.io/proxy-request-buffering'], 'off', 'uploads stream to the server as they arrive');
    for (const name of ['proxy-read-timeout', 'proxy-send-timeout']) {
      const seconds = Number(annotations[`nginx.ingress.kubernetes.io/${name}`]);
      assert.ok(seconds * 1000 > Number(config.REQUEST_TIMEOUT_MS), `${name} ${seconds}s vs REQUEST_TIMEOUT_MS ${config.REQUEST_TIMEOUT_MS}`);
    }
  });

  test('the termination grace period outlasts preStop, the shutdown delay and the drain', () => {
    const preStop = server.lifecycle?.preStop;
    const preStopSeconds = preStop?.sleep?.seconds ?? Number(/sleep (\d+)/.exec(preStop?.exec?.command?.join(' ') ?? '')?.[1] ?? 0);
    const needed = preStopSeconds + (Number(config.SHUTDOWN_DELAY_MS) + Number(config.SHUTDOWN_GRACE_MS)) / 1000;
    const grace = podTemplate(deployment)!.spec!.terminationGracePeriodSeconds!;
    assert.ok(grace > needed, `${grace}s <= ${needed}s`);
  });

  test("HPA, PDB and topology spread all point at the server's pods, and replicas are the HPA's", () => {
    const hpa = one<IHorizontalPodAutoscaler>(resources, HorizontalPodAutoscaler);
    assert.deepEqual([hpa.spec!.scaleTargetRef.kind, hpa.spec!.scaleTargetRef.name], ['Deployment', deployment.metadata!.name]);
    assert.ok((hpa.spec!.minReplicas ?? 1) <= hpa.spec!.maxReplicas);
    assert.equal(deployment.spec!.replicas, undefined, 'replicas belong to the HPA');
    // CPU utilisation is measured against the request: without one the HPA cannot scale.
    assert.ok(server.resources?.requests?.cpu, 'the server container requests CPU');
    assert.ok(selects(one<IPodDisruptionBudget>(resources, PodDisruptionBudget).spec!.selector!.matchLabels, podLabels(deployment)));
    for (const c of podTemplate(deployment)!.spec!.topologySpreadConstraints!) assert.ok(selects(c.labelSelector!.matchLabels, podLabels(deployment)));
  });

  test('every pod runs as non-root uid 1000 with a read-only root, no privilege escalation and /tmp on an emptyDir', () => {
    for (const r of resources.filter((x) => podTemplate(x))) {
      const spec = podTemplate(r)!.spec!;
      assert.equal(spec.securityContext?.runAsNonRoot, true, r.metadata.name);
      assert.equal(spec.securityContext?.runAsUser, 1000, r.metadata.name);
      for (const c of containersOf(r)) {
        assert.equal(c.securityContext?.readOnlyRootFilesystem, true, `${r.metadata.name}/${c.name}`);
        assert.equal(c.securityContext?.allowPrivilegeEscalation, false, `${r.metadata.name}/${c.name}`);
        const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
        assert.ok(tmp && spec.volumes?.find((v) => v.name === tmp.name)?.emptyDir, `${r.metadata.name}/${c.name} has no emptyDir at /tmp`);
      }
    }
  });

  test('the names in scripts/kind-lib.sh are those of the rendered base', () => {
    const vars = kindScriptVariables(['NAMESPACE', 'SERVER_IMAGE', 'CLIENT_IMAGE', 'BENCH_JOB', 'SMOKE_JOB']);
    assert.equal(one<INamespace>(resources, Namespace).metadata!.name, vars.NAMESPACE);
    assert.equal(server.image, vars.SERVER_IMAGE);
    const jobs = resources.filter((r): r is IJob & Resource => Job.is(r));
    assert.deepEqual(jobs.map((j) => j.metadata.name).sort(), [vars.BENCH_JOB, vars.SMOKE_JOB].sort());
    for (const job of jobs) for (const c of containersOf(job)) assert.equal(c.image, vars.CLIENT_IMAGE, `${job.metadata.name}/${c.name}`);
  });

  test("the kind scripts' label selectors split the base into the server part and the two Jobs", () => {
    const vars = kindScriptVariables(['JOBS_SELECTOR', 'SERVER_SELECTOR']);
    // Set-based selectors (`key in (a,b)`, `key notin (a,b)`), as kubectl reads them.
    const matches = (selector: string, r: Resource) => {
      const [, key, op, values] = /^\s*(\S+)\s+(in|notin)\s+\(([^)]*)\)\s*$/.exec(selector)!;
      const has = values!
        .split(',')
        .map((v) => v.trim())
        .includes(r.metadata.labels?.[key!] ?? '');
      return op === 'in' ? has : !has;
    };
    const jobs = resources.filter((r) => matches(vars.JOBS_SELECTOR!, r)).map((r) => `${r.kind}/${r.metadata.name}`);
    assert.deepEqual(jobs.sort(), ['Job/histogram-bench', 'Job/histogram-smoke']);
    assert.deepEqual(
      resources.filter((r) => matches(vars.SERVER_SELECTOR!, r)),
      resources.filter((r) => !Job.is(r)),
    );
  });

  for (const dir of ['k8s', 'k8s/overlays/bench-x8']) {
    test(`the bench Job of ${dir} is Indexed with parallelism = completions = SHARD_COUNT`, () => {
      const job = one<IJob>(renderKustomization(dir), Job, 'histogram-bench');
      assert.equal(job.spec!.completionMode, 'Indexed');
      assert.equal(job.spec!.parallelism, job.spec!.completions);
      assert.equal(container(job, 'bench').env!.find((e) => e.name === 'SHARD_COUNT')!.value, String(job.spec!.completions));
    });
  }

  test('the Jobs send their requests to the ingress-nginx controller with the Ingress host', () => {
    const host = ingress.spec!.rules![0]!.host;
    for (const job of resources.filter((r) => Job.is(r))) {
      const args = containersOf(job).flatMap((c) => c.args ?? []);
      const url = new URL(args[args.indexOf('--url') + 1]!);
      assert.match(url.hostname, /^ingress-nginx-controller\.ingress-nginx\.svc(\.cluster\.local)?$/);
      assert.equal(url.pathname, '/v1/histogram');
      assert.equal(args[args.indexOf('--header') + 1], `Host: ${host}`);
    }
  });

  test('the kustomization tags exactly the images the kind scripts build and load', () => {
    const vars = kindScriptVariables(['SERVER_IMAGE', 'CLIENT_IMAGE']);
    const kustomization = readYamlDocuments('k8s/base/kustomization.yaml')[0] as unknown as { images: { name: string; newTag: string }[] };
    assert.deepEqual(kustomization.images.map((i) => `${i.name}:${i.newTag}`).sort(), [vars.SERVER_IMAGE, vars.CLIENT_IMAGE].sort());
  });
});
