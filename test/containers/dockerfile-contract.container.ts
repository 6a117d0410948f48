// What the Dockerfiles promise, read from the built images rather than from the Dockerfiles'
// text: the engine's own `image inspect` (user, entrypoint, command, ports, environment) and
// the images' own files, checked against package.json's `npm start` and the rendered manifests;
// and the build context as the engine itself sends it under .dockerignore.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAllocatorVariable } from '../../bench/server-launch.ts';
import { container, kustomizeUnavailable, one, podTemplate, renderKustomization, type Resource } from '../helpers/k8s-render.ts';
import { CLIENT_IMAGE, engine, engineOk, engineOrSkip, ensureImages, podFlags, repo, SERVER_IMAGE } from './container-engine.ts';

const { e, skip } = engineOrSkip();
const manifests = skip || kustomizeUnavailable ? undefined : renderKustomization(`${repo}/k8s`);
const withManifests = skip || kustomizeUnavailable || false;

before(
  () => {
    if (!skip) ensureImages();
  },
  { timeout: 1_800_000 },
);

interface ImageConfig {
  User?: string;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[];
  WorkingDir?: string;
  ExposedPorts?: Record<string, unknown>;
}

/** The image's configuration as the engine reports it. */
function configOf(image: string): ImageConfig {
  return JSON.parse(engineOk(e, ['image', 'inspect', '--format', '{{json .Config}}', image])) as ImageConfig;
}

/** Runs `script` with sh inside `image` as a hardened pod; its stdout. */
function shell(image: string, script: string): string {
  return engineOk(e, ['run', '--rm', ...podFlags(e), '--entrypoint', 'sh', image, '-c', script]);
}

const envOf = (config: ImageConfig) => Object.fromEntries((config.Env ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

/** The image's command as words: ENTRYPOINT and CMD, with a `sh -c` script split on spaces. */
function commandWords(config: ImageConfig): string[] {
  return [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])].flatMap((word) => word.split(/\s+/)).filter((word) => word !== '');
}

// The client imports the API's limits module (dist/server/api) besides its own code.
for (const [image, entry, dist] of [
  [SERVER_IMAGE, 'dist/server/main.js', ['server']],
  [CLIENT_IMAGE, 'dist/client/main.js', ['client', 'server']],
] as const) {
  test(`${image} runs Node as a numeric non-root user through an init, on a Debian base with an LTS (even) Node major`, { skip }, () => {
    const config = configOf(image);
    assert.match(config.User ?? '', /^[1-9]\d*:[1-9]\d*$/, `USER ${config.User}`);
    const command = commandWords(config);
    // An init as PID 1 forwards SIGTERM to node and reaps children.
    assert.match(command[0] ?? '', /\/tini$/, command.join(' '));
    assert.ok(command.includes('node') && command.includes(entry), `${command.join(' ')} does not run node ${entry}`);
    const [os, major] = shell(image, '. /etc/os-release && echo "$ID" && node -p "process.versions.node.split(\'.\')[0]"').trim().split('\n');
    assert.equal(os, 'debian');
    assert.equal(Number(major) % 2, 0, `Node ${major}: odd majors are never LTS`);
  });

  test(`${image} holds only package.json, production node_modules and its own part of dist in /app`, { skip }, () => {
    assert.equal(configOf(image).WorkingDir, '/app');
    const listing = shell(image, 'ls -A /app; echo --; ls -A /app/dist').trim().split('\n');
    const split = listing.indexOf('--');
    assert.deepEqual(listing.slice(0, split).sort(), ['dist', 'node_modules', 'package.json']);
    assert.deepEqual(listing.slice(split + 1), dist);
  });
}

test('the server image starts node with the options of `npm start`, and exposes the port the server listens on by default', { skip }, () => {
  const config = configOf(SERVER_IMAGE);
  const command = commandWords(config);
  const node = command.indexOf('node');
  // The node options of the start script: the words between `node` and the entry file.
  const start = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  const startOptions = start.slice(start.indexOf('node') + 1, start.indexOf('dist/server/main.js'));
  assert.ok(start.includes('node') && startOptions.length < start.length, `npm start does not run node: ${start.join(' ')}`);
  assert.deepEqual(command.slice(node + 1, command.indexOf('dist/server/main.js')), startOptions);
  assert.deepEqual(Object.keys(config.ExposedPorts ?? {}), ['8080/tcp']);
});

test('the manifests run each image as its own user, on the port it exposes, with its allocator settings', { skip: withManifests }, () => {
  const resources = manifests!;
  const server = configOf(SERVER_IMAGE);
  const deployment = one<IDeployment>(resources, Deployment, 'histogram-server');
  const [uid, gid] = server.User!.split(':').map(Number);
  const workloads: Resource[] = [deployment, ...resources.filter((r) => Job.is(r))];
  for (const r of workloads) {
    const image = configOf(r.kind === 'Job' ? CLIENT_IMAGE : SERVER_IMAGE);
    const [imageUid, imageGid] = image.User!.split(':').map(Number);
    assert.deepEqual([imageUid, imageGid], [uid, gid], 'both images run as one user');
    const security = podTemplate(r)!.spec!.securityContext!;
    assert.deepEqual([security.runAsUser, security.runAsGroup ?? gid], [imageUid, imageGid], `${r.kind}/${r.metadata.name}`);
  }
  const port = Number(Object.keys(server.ExposedPorts ?? {})[0]!.split('/')[0]);
  assert.equal(Number(one<IConfigMap>(resources, ConfigMap, 'histogram-server').data!.PORT), port);
  assert.equal(container(deployment, 'server').ports!.find((p) => p.name === 'http')!.containerPort, port);
  // The image's environment, as the engine reports it, is what the manifest repeats.
  const imageAllocator = Object.fromEntries(Object.entries(envOf(server)).filter(([name]) => isAllocatorVariable(name)));
  assert.ok(imageAllocator.MALLOC_ARENA_MAX, 'the server image bounds malloc arenas');
  const manifestAllocator = Object.fromEntries(
    container(deployment, 'server')
      .env!.filter((v) => isAllocatorVariable(v.name))
      .map((v) => [v.name, v.value]),
  );
  assert.deepEqual(manifestAllocator, imageAllocator);
});

test('the build context the engine sends under .dockerignore holds the sources, and no tests, node_modules, dist or .git', { skip }, (t) => {
  // An image of nothing but the context (FROM scratch, COPY .), built from the repository as
  // the Dockerfiles are, then listed from its exported file system.
  const dir = mkdtempSync(join(tmpdir(), 'histogram-context-'));
  const tag = `localhost/histogram-context-probe:${process.pid}`;
  t.after(() => {
    engine(e, ['rmi', '-f', tag]);
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, 'Containerfile'), 'FROM scratch\nCOPY . /context/\n');
  engineOk(e, ['build', '-q', '-f', join(dir, 'Containerfile'), '-t', tag, repo]);
  const id = engineOk(e, ['create', tag, 'none']).trim();
  t.after(() => engine(e, ['rm', '-f', id]));
  engineOk(e, ['export', '-o', join(dir, 'context.tar'), id]);
  const tar = spawnSync('tar', ['-tf', join(dir, 'context.tar')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(tar.status, 0, tar.stderr);
  const files = tar.stdout
    .split('\n')
    .filter((path) => path.startsWith('context/') && !path.endsWith('/'))
    .map((path) => path.slice('context/'.length));
  for (const needed of ['package.json', 'package-lock.json', 'server/main.ts', 'server/web/index.html', 'client/main.ts'])
    assert.ok(files.includes(needed), `${needed} is not sent`);
  const unwanted = files.filter((path) => /(^|\/)(node_modules|dist|\.git|test|coverage)\/|\.test\.ts$/.test(path));
  assert.deepEqual(unwanted, [], 'sent to the engine but never copied into an image');
});
