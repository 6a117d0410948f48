// The Jobs' container args are valid command lines of the client, parsed by its own yargs
// definition (buildCli) without running them, under the environment the pod would have.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Job, type IJob } from 'kubernetes-models/batch/v1/Job';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { container, kustomizeUnavailable, one, podTemplate, renderKustomization, type Resource } from './helpers/k8s-render.ts';
import { parseClientArgs } from './helpers/k8s-cli-parse.ts';
import { parseObjectives } from '../client/capacity/objectives.ts';
import { rampRates } from '../client/capacity/step-schedule.ts';

describe('the Jobs of the base and of the capacity overlay, rendered by kubectl kustomize', { skip: kustomizeUnavailable }, () => {
  const resources = renderKustomization('k8s');
  const capacityResources = renderKustomization('k8s/overlays/capacity');

  /** Variables Kubernetes' service links would define for each Service (docker-link style). */
  function serviceLinkEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const svc of resources.filter((r): r is IService & Resource => Service.is(r))) {
      const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
      const [port] = svc.spec!.ports!;
      env[`${prefix}_SERVICE_HOST`] = '10.96.0.10';
      env[`${prefix}_SERVICE_PORT`] = String(port!.port);
      env[`${prefix}_PORT`] = `tcp://10.96.0.10:${port!.port}`;
    }
    return env;
  }

  /** Values a pod of an Indexed Job would read through the downward API (index 0). */
  const DOWNWARD: Record<string, string> = {
    "metadata.annotations['batch.kubernetes.io/job-completion-index']": '0',
    "metadata.labels['batch.kubernetes.io/controller-uid']": '3f2c9a7e-0d4b-4c52-9a43-2d1f0e6b8c11',
  };

  /**
   * The container's environment as the pod sees it: literal values, downward API stand-ins, and
   * ConfigMap keys from `configMaps` (an optional key of a missing ConfigMap stays unset).
   */
  function podEnv(job: Resource, c: IContainer, configMaps: Record<string, Record<string, string>> = {}): Record<string, string> {
    const env: Record<string, string> = podTemplate(job)!.spec!.enableServiceLinks === false ? {} : serviceLinkEnv();
    for (const e of c.env ?? []) {
      const from = e.valueFrom;
      if (e.value !== undefined) env[e.name] = e.value;
      else if (from?.fieldRef) env[e.name] = DOWNWARD[from.fieldRef.fieldPath] ?? assert.fail(`no stand-in for ${from.fieldRef.fieldPath}`);
      else if (from?.configMapKeyRef) {
        const value = configMaps[from.configMapKeyRef.name!]?.[from.configMapKeyRef.key];
        if (value !== undefined) env[e.name] = value;
        else assert.ok(from.configMapKeyRef.optional, `${e.name} needs ConfigMap ${from.configMapKeyRef.name}`);
      }
    }
    return env;
  }

  /** Kubernetes' $(VAR) expansion in args (unknown references stay as written). */
  function expand(args: string[], env: Record<string, string>): string[] {
    return args.map((a) => a.replace(/\$\((\w+)\)/g, (ref, name: string) => env[name] ?? ref));
  }

  async function parseContainer(jobName: string, containerName: string, from = resources, configMaps: Record<string, Record<string, string>> = {}) {
    const job = one<IJob>(from, Job, jobName);
    const c = container(job, containerName);
    const env = podEnv(job, c, configMaps);
    return parseClientArgs(expand(c.args ?? [], env), env);
  }

  test('the bench Job runs a valid `client bench --until-ready --json` with its shard from the Job index', async () => {
    const result = await parseContainer('histogram-bench', 'bench');
    assert.ok(result.ok, result.ok ? '' : result.error);
    const argv = result.argv;
    assert.equal(argv._[0], 'bench');
    assert.equal(argv.untilReady, true);
    assert.equal(argv.json, true);
    assert.equal(argv.shardIndex, 0);
    assert.equal(argv.shardCount, 4);
    assert.deepEqual(argv.header, ['Host: histogram.local']);
  });

  test('the smoke Job generates its image, then uploads it with the default command', async () => {
    const generate = await parseContainer('histogram-smoke', 'generate');
    assert.ok(generate.ok, generate.ok ? '' : generate.error);
    assert.equal(generate.argv._[0], 'generate');
    const upload = await parseContainer('histogram-smoke', 'histogram');
    assert.ok(upload.ok, upload.ok ? '' : upload.error);
    assert.deepEqual(upload.argv._, []);
    // The file the init container writes is the one the main container reads.
    assert.deepEqual(upload.argv.image, [generate.argv.out]);
  });

  test('the capacity Job runs `client capacity --json` on a fixed, rising schedule sharded by the Job index', async () => {
    const job = one<IJob>(capacityResources, Job, 'histogram-capacity');
    assert.equal(job.spec!.completionMode, 'Indexed');
    assert.equal(job.spec!.parallelism, job.spec!.completions);
    const result = await parseContainer('histogram-capacity', 'capacity', capacityResources);
    assert.ok(result.ok, result.ok ? '' : result.error);
    const argv = result.argv;
    assert.equal(argv._[0], 'capacity');
    assert.equal(argv.json, true);
    assert.equal(argv.untilReady, true);
    assert.equal(argv.shardIndex, 0);
    assert.equal(argv.shardCount, job.spec!.completions);
    assert.deepEqual(argv.header, ['Host: histogram.local']);
    // Every pod groups its lines under the Job's uid; without the start ConfigMap, no --start-at.
    assert.equal(argv.runId, DOWNWARD["metadata.labels['batch.kubernetes.io/controller-uid']"]);
    assert.equal(argv.startAt, undefined);
    // A rising list of at least four rates (rampRates refuses any other), and a latency objective.
    const rates = rampRates({ rates: String(argv.rates).split(',').map(Number), startRate: 1, stepFactor: 2, maxRate: 1 });
    assert.ok(rates.length >= 4, `a schedule of ${rates.length} steps`);
    assert.ok(parseObjectives(argv.slo as string[]).some((o) => o.kind === 'latency'));
  });

  test('the capacity Job takes its common start from ConfigMap histogram-capacity-start', async () => {
    const at = '2030-01-01T12:00:00.000Z';
    const result = await parseContainer('histogram-capacity', 'capacity', capacityResources, { 'histogram-capacity-start': { 'start-at': at } });
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.equal(result.argv.startAt, at);
  });

  test('the base alone starts no capacity search; the overlay adds it to the base namespace', () => {
    assert.ok(!resources.some((r) => r.metadata.name === 'histogram-capacity'));
    assert.equal(one<IJob>(capacityResources, Job, 'histogram-capacity').metadata!.namespace, 'histogram');
  });

  test('a misspelt option is rejected, naming it and the nearest option, so the checks above have teeth', async () => {
    const result = await parseClientArgs(['bench', '--url', 'http://x/v1/histogram', '--connection', '8']);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /Unknown argument --connection \(did you mean --connections\?\)/);
  });

  test('service links (HISTOGRAM_SERVER_* variables) would break the CLI, which is why the Jobs disable them', async () => {
    const bench = container(one<IJob>(resources, Job, 'histogram-bench'), 'bench');
    const env = { ...serviceLinkEnv(), SHARD_INDEX: '0', SHARD_COUNT: '4' };
    const result = await parseClientArgs(expand(bench.args!, env), env);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /Unknown argument/);
    for (const j of [...resources, ...capacityResources].filter((r) => Job.is(r))) {
      assert.equal(podTemplate(j)!.spec!.enableServiceLinks, false, j.metadata.name);
    }
  });
});
