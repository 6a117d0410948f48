// The manifests agree with each other, with the server's configuration and with the build
// script: selectors, ports, the Ingress limits, the shutdown timing and the image names.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, loadConfig } from '../server/config.ts';
import {
  containersOf,
  findResource,
  kustomizeUnavailable,
  podTemplate,
  readYamlDocuments,
  renderKustomization,
  type Container,
  type Resource,
} from './helpers/k8s-render.ts';
import { last, parseDockerfile } from './helpers/k8s-dockerfile.ts';
import { imageAllocatorEnv, isAllocatorVariable } from '../bench/server-launch.ts';

describe('the base, rendered by kubectl kustomize', { skip: kustomizeUnavailable }, () => {
  const resources = renderKustomization('k8s');
  const deployment = findResource(resources, 'Deployment', 'histogram-server');
  const service = findResource<{ spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string | number }[] } }>(
    resources,
    'Service',
    'histogram-server',
  );
  const configMap = findResource<{ data: Record<string, string> }>(resources, 'ConfigMap', 'histogram-server');
  const ingress = findResource<{
    spec: {
      ingressClassName: string;
      rules: { host: string; http: { paths: { path: string; backend: { service: { name: string; port: { name?: string; number?: number } } } }[] } }[];
    };
  }>(resources, 'Ingress');
  const podLabels = (r: Resource) => (podTemplate(r)!.metadata as { labels: Record<string, string> }).labels;
  const podSpec = (r: Resource) =>
    podTemplate(r)!.spec as {
      terminationGracePeriodSeconds?: number;
      securityContext?: { runAsUser?: number; runAsNonRoot?: boolean };
      volumes?: { name: string; emptyDir?: unknown }[];
      topologySpreadConstraints?: { labelSelector: { matchLabels: Record<string, string> } }[];
    };
  const server = containersOf(deployment).find((c) => c.name === 'server')!;
  const config = configMap.data;

  function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  }

  /** Parses an nginx size (26m, 1g, 512k, bytes) to bytes. */
  function nginxBytes(size: string): number {
    const m = /^(\d+)([kmg]?)$/i.exec(size);
    assert.ok(m, `not an nginx size: ${size}`);
    return Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2]!.toLowerCase()]!;
  }

  test("the Service and the Deployment select the Deployment's own pod labels", () => {
    assert.ok(selects(service.spec.selector, podLabels(deployment)));
    const matchLabels = (deployment.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    assert.ok(selects(matchLabels, podLabels(deployment)));
    // No other workload's pods fall under the Service (Jobs carry their own name label).
    for (const r of resources.filter((x) => x !== deployment && podTemplate(x)))
      assert.ok(!selects(service.spec.selector, podLabels(r)), `${r.kind}/${r.metadata.name} would receive Service traffic`);
  });

  test('the Ingress routes histogram.local on class nginx to an existing Service port that reaches the container port', () => {
    assert.equal(ingress.spec.ingressClassName, 'nginx');
    const [rule] = ingress.spec.rules;
    assert.equal(rule!.host, 'histogram.local');
    for (const path of rule!.http.paths) {
      const backend = findResource<typeof service>(resources, 'Service', path.backend.service.name);
      const port = backend.spec.ports.find((p) => p.name === path.backend.service.port.name || p.port === path.backend.service.port.number);
      assert.ok(port, `Service ${backend.metadata.name} has no port ${JSON.stringify(path.backend.service.port)}`);
      assert.ok(
        server.ports!.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort),
        `targetPort ${port.targetPort} is no container port`,
      );
    }
  });

  test("the container port, the probes' ports and the image's EXPOSE all equal PORT in the ConfigMap", () => {
    const port = Number(config.PORT);
    const http = server.ports!.find((p) => p.name === 'http')!;
    assert.equal(http.containerPort, port);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const get = (server[probe] as { httpGet: { port: string | number } }).httpGet;
      assert.ok(get.port === port || get.port === http.name, `${probe} port ${get.port}`);
    }
    const runtime = parseDockerfile('Dockerfile.server').at(-1)!;
    assert.equal(last(runtime, 'EXPOSE')?.args, String(port));
  });

  test('every ConfigMap key is a variable the server reads, and together they pass its validation', () => {
    for (const key of Object.keys(config)) assert.ok(CONFIG_VARIABLES.includes(key), `${key} is not in CONFIG_VARIABLES`);
    const env: Record<string, string> = { ...config, POD_NAME: 'histogram-server-0', CONCURRENCY: '1' };
    assert.doesNotThrow(() => loadConfig(env));
    assert.equal(server.envFrom?.[0]?.configMapRef?.name, configMap.metadata.name);
  });

  test("CONCURRENCY follows the container's CPU limit and POD_NAME comes from the downward API", () => {
    const env = new Map(server.env!.map((e) => [e.name, e]));
    assert.deepEqual(env.get('CONCURRENCY')!.valueFrom, { resourceFieldRef: { containerName: 'server', resource: 'limits.cpu', divisor: '1' } });
    assert.deepEqual(env.get('POD_NAME')!.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });
    assert.ok((server.resources as { limits: { cpu: string } }).limits.cpu, 'a CPU limit must exist for CONCURRENCY to follow');
  });

  test('the Deployment repeats every allocator setting of the server image, with the same value', () => {
    const image = imageAllocatorEnv('.');
    assert.equal(image.MALLOC_ARENA_MAX, '2', 'the image bounds malloc arenas');
    const manifest = Object.fromEntries(server.env!.filter((e) => isAllocatorVariable(e.name)).map((e) => [e.name, e.value]));
    assert.deepEqual(manifest, image);
  });

  test("the Ingress accepts any upload the server accepts and waits longer than the server's timeout", () => {
    const annotations = ingress.metadata.annotations!;
    assert.ok(nginxBytes(annotations['nginx.ingress.kubernetes.io/proxy-body-size']!) >= Number(config.MAX_UPLOAD_BYTES));
    for (const name of ['proxy-read-timeout', 'proxy-send-timeout']) {
      const seconds = Number(annotations[`nginx.ingress.kubernetes.io/${name}`]);
      assert.ok(seconds * 1000 > Number(config.REQUEST_TIMEOUT_MS), `${name} ${seconds}s vs REQUEST_TIMEOUT_MS ${config.REQUEST_TIMEOUT_MS}`);
    }
  });

  test('the termination grace period outlasts preStop, the shutdown delay and the drain', () => {
    const preStop = (server.lifecycle as { preStop?: { sleep?: { seconds: number }; exec?: { command: string[] } } } | undefined)?.preStop;
    const preStopSeconds = preStop?.sleep?.seconds ?? Number(/sleep (\d+)/.exec(preStop?.exec?.command.join(' ') ?? '')?.[1] ?? 0);
    const needed = preStopSeconds + (Number(config.SHUTDOWN_DELAY_MS) + Number(config.SHUTDOWN_GRACE_MS)) / 1000;
    assert.ok(podSpec(deployment).terminationGracePeriodSeconds! > needed, `${podSpec(deployment).terminationGracePeriodSeconds}s <= ${needed}s`);
  });

  test("HPA, PDB and topology spread all point at the server's pods", () => {
    const hpa = findResource<{ spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number } }>(
      resources,
      'HorizontalPodAutoscaler',
    );
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ['Deployment', deployment.metadata.name]);
    assert.ok(hpa.spec.minReplicas <= hpa.spec.maxReplicas);
    assert.equal((deployment.spec as { replicas?: number }).replicas, undefined, 'replicas belong to the HPA');
    const pdb = findResource<{ spec: { selector: { matchLabels: Record<string, string> } } }>(resources, 'PodDisruptionBudget');
    assert.ok(selects(pdb.spec.selector.matchLabels, podLabels(deployment)));
    for (const c of podSpec(deployment).topologySpreadConstraints!) assert.ok(selects(c.labelSelector.matchLabels, podLabels(deployment)));
  });

  test("every pod runs as the image's non-root user with a read-only root and /tmp on an emptyDir", () => {
    const uid = Number(last(parseDockerfile('Dockerfile.server').at(-1)!, 'USER')!.args.split(':')[0]);
    for (const r of resources.filter((x) => podTemplate(x))) {
      const spec = podSpec(r);
      assert.equal(spec.securityContext?.runAsNonRoot, true, r.metadata.name);
      assert.equal(spec.securityContext?.runAsUser, uid, r.metadata.name);
      for (const c of containersOf(r)) {
        assert.equal((c.securityContext as { readOnlyRootFilesystem?: boolean }).readOnlyRootFilesystem, true, `${r.metadata.name}/${c.name}`);
        const tmp = (c.volumeMounts as { name: string; mountPath: string }[]).find((m) => m.mountPath === '/tmp');
        assert.ok(tmp && spec.volumes!.find((v) => v.name === tmp.name)?.emptyDir, `${r.metadata.name}/${c.name} has no emptyDir at /tmp`);
      }
    }
  });

  test('image names agree between the kustomization, the workloads and the kind scripts', () => {
    const lib = readFileSync('scripts/kind-lib.sh', 'utf8');
    const scriptVar = (name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(lib)?.[1];
    const kustomization = readYamlDocuments('k8s/base/kustomization.yaml')[0] as unknown as { images: { name: string; newTag: string }[] };
    const images = kustomization.images.map((i) => `${i.name}:${i.newTag}`).sort();
    assert.deepEqual(images, [scriptVar('SERVER_IMAGE'), scriptVar('CLIENT_IMAGE')].sort());
    assert.equal(server.image, scriptVar('SERVER_IMAGE'));
    for (const job of resources.filter((r) => r.kind === 'Job')) {
      for (const c of containersOf(job)) assert.equal(c.image, scriptVar('CLIENT_IMAGE'), `${job.metadata.name}/${c.name}`);
    }
    const up = readFileSync('scripts/kind-up.sh', 'utf8');
    assert.match(up, /docker build -f Dockerfile\.server -t "\$SERVER_IMAGE" \./);
    assert.match(up, /docker build -f Dockerfile\.client -t "\$CLIENT_IMAGE" \./);
    assert.match(up, /kind load docker-image "\$SERVER_IMAGE" "\$CLIENT_IMAGE"/);
  });

  test("the kind scripts' label selectors split the base into the server part and the two Jobs", () => {
    const lib = readFileSync('scripts/kind-lib.sh', 'utf8');
    const selector = (name: string) => /'app\.kubernetes\.io\/component (in|notin) \(([^)]*)\)'/.exec(new RegExp(`^${name}=(.*)$`, 'm').exec(lib)![1]!)!;
    const matches = (name: string, r: Resource) => {
      const [, op, values] = selector(name);
      const has = values!.split(',').includes(r.metadata.labels?.['app.kubernetes.io/component'] ?? '');
      return op === 'in' ? has : !has;
    };
    const jobs = resources.filter((r) => matches('JOBS_SELECTOR', r)).map((r) => `${r.kind}/${r.metadata.name}`);
    assert.deepEqual(jobs.sort(), ['Job/histogram-bench', 'Job/histogram-smoke']);
    assert.equal(resources.filter((r) => matches('SERVER_SELECTOR', r)).length, resources.length - 2);
  });

  for (const dir of ['k8s', 'k8s/overlays/bench-x8']) {
    test(`the bench Job of ${dir} is Indexed with parallelism = completions = SHARD_COUNT`, () => {
      const job = findResource<{ spec: { completionMode: string; parallelism: number; completions: number } }>(
        renderKustomization(dir),
        'Job',
        'histogram-bench',
      );
      assert.equal(job.spec.completionMode, 'Indexed');
      assert.equal(job.spec.parallelism, job.spec.completions);
      const bench = containersOf(job).find((c) => c.name === 'bench') as Container;
      assert.equal(bench.env!.find((e) => e.name === 'SHARD_COUNT')!.value, String(job.spec.completions));
    });
  }

  test('the Jobs send their requests to the ingress-nginx controller with the Ingress host', () => {
    const host = ingress.spec.rules[0]!.host;
    for (const job of resources.filter((r) => r.kind === 'Job')) {
      const args = containersOf(job).flatMap((c) => c.args ?? []);
      const url = new URL(args[args.indexOf('--url') + 1]!);
      assert.match(url.hostname, /^ingress-nginx-controller\.ingress-nginx\.svc(\.cluster\.local)?$/);
      assert.equal(url.pathname, '/v1/histogram');
      assert.equal(args[args.indexOf('--header') + 1], `Host: ${host}`);
    }
  });
});
