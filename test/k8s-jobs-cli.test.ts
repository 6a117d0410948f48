// The Jobs' container args are valid command lines of the client, parsed by its own yargs
// definition (buildCli) without running them, under the environment the pod would have.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containersOf, findResource, kustomizeUnavailable, podTemplate, renderKustomization, type Container, type Resource } from './helpers/k8s-render.ts';
import { parseClientArgs } from './helpers/k8s-cli-parse.ts';

describe('the Jobs of the base, rendered by kubectl kustomize', { skip: kustomizeUnavailable }, () => {
  const resources = renderKustomization('k8s');

  /** Variables Kubernetes' service links would define for each Service (docker-link style). */
  function serviceLinkEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const svc of resources.filter((r) => r.kind === 'Service')) {
      const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
      const [port] = (svc.spec as { ports: { port: number }[] }).ports;
      env[`${prefix}_SERVICE_HOST`] = '10.96.0.10';
      env[`${prefix}_SERVICE_PORT`] = String(port!.port);
      env[`${prefix}_PORT`] = `tcp://10.96.0.10:${port!.port}`;
    }
    return env;
  }

  /** The container's environment as the pod sees it: literal values, downward API stand-ins. */
  function podEnv(job: Resource, container: Container): Record<string, string> {
    const spec = podTemplate(job)!.spec as { enableServiceLinks?: boolean };
    const env: Record<string, string> = spec.enableServiceLinks === false ? {} : serviceLinkEnv();
    for (const e of container.env ?? []) env[e.name] = e.value ?? (e.valueFrom?.fieldRef ? '0' : '1');
    return env;
  }

  /** Kubernetes' $(VAR) expansion in args (unknown references stay as written). */
  function expand(args: string[], env: Record<string, string>): string[] {
    return args.map((a) => a.replace(/\$\((\w+)\)/g, (ref, name: string) => env[name] ?? ref));
  }

  async function parseContainer(jobName: string, containerName: string) {
    const job = findResource(resources, 'Job', jobName);
    const container = containersOf(job).find((c) => c.name === containerName)!;
    const env = podEnv(job, container);
    return parseClientArgs(expand(container.args ?? [], env), env);
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

  test('a misspelt option is rejected, so the checks above have teeth', async () => {
    const result = await parseClientArgs(['bench', '--url', 'http://x/v1/histogram', '--connection', '8']);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /Unknown argument/);
  });

  test('service links (HISTOGRAM_SERVER_* variables) would break the CLI, which is why the Jobs disable them', async () => {
    const job = findResource(resources, 'Job', 'histogram-bench');
    const bench = containersOf(job).find((c) => c.name === 'bench')!;
    const env = { ...serviceLinkEnv(), SHARD_INDEX: '0', SHARD_COUNT: '4' };
    const result = await parseClientArgs(expand(bench.args!, env), env);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /Unknown argument/);
    for (const j of resources.filter((r) => r.kind === 'Job')) {
      assert.equal((podTemplate(j)!.spec as { enableServiceLinks?: boolean }).enableServiceLinks, false, j.metadata.name);
    }
  });
});
