// Static checks of Dockerfile.server, Dockerfile.client and .dockerignore: multi-stage on a
// slim Node LTS base, production dependencies only at run time, non-root, exec form, and a
// build context that holds every COPY source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { copyPaths, dockerignore, execForm, last, parseDockerfile } from './helpers/k8s-dockerfile.ts';

const ignored = dockerignore('.dockerignore');

for (const [file, entry] of [
  ['Dockerfile.server', 'dist/server/main.js'],
  ['Dockerfile.client', 'dist/client/main.js'],
] as const) {
  const stages = parseDockerfile(file);
  const runtime = stages.at(-1)!;

  test(`${file} builds on a Debian slim image of an even-numbered (LTS) Node major`, () => {
    const images = stages.map((s) => s.from).filter((from) => !stages.some((s) => s.name === from));
    for (const image of images) {
      const m = /^node:(\d+)(\.[\d.]+)?-(bookworm|trixie)-slim$/.exec(image);
      assert.ok(m, `${image} is not a Debian slim Node image`);
      assert.equal(Number(m[1]) % 2, 0, `${image}: odd Node majors are never LTS`);
    }
  });

  test(`${file} installs dependencies with npm ci, production only for what the runtime copies`, () => {
    const copied = runtime.instructions.filter((i) => i.keyword === 'COPY' && i.flags.from);
    const modules = copied.find((i) => copyPaths(i).dest.replace(/\/$/, '').endsWith('node_modules'))!;
    assert.ok(modules, 'the runtime stage copies node_modules from a stage');
    const deps = stages.find((s) => s.name === modules.flags.from)!;
    assert.ok(deps.instructions.some((i) => i.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args)));
    assert.ok(!runtime.instructions.some((i) => i.keyword === 'RUN' && /\bnpm (install|ci)\b/.test(i.args)), 'no npm install in the runtime stage');
  });

  test(`${file} copies only what runs: package.json, node_modules and dist`, () => {
    for (const i of runtime.instructions.filter((x) => x.keyword === 'COPY')) {
      for (const source of copyPaths(i).sources) assert.match(source, /^(\/app\/)?(package\.json|node_modules|dist\/(server|client))$/, source);
    }
  });

  test(`${file} runs as a numeric non-root user with an exec-form command`, () => {
    const user = last(runtime, 'USER')?.args ?? '';
    assert.match(user, /^[1-9]\d*(:\d+)?$/, `USER ${user}`);
    const command = [...(execForm(last(runtime, 'ENTRYPOINT')) ?? []), ...(execForm(last(runtime, 'CMD')) ?? [])];
    assert.ok(command.length > 0, 'ENTRYPOINT/CMD must be exec form');
    assert.ok(command.includes(entry), `${command.join(' ')} does not run ${entry}`);
  });

  test(`${file}'s COPY sources from the build context exist and are not in .dockerignore`, () => {
    for (const stage of stages) {
      for (const i of stage.instructions.filter((x) => x.keyword === 'COPY' && !x.flags.from)) {
        for (const source of copyPaths(i).sources) {
          assert.ok(existsSync(source), `${source} is missing`);
          assert.ok(!ignored(source), `.dockerignore excludes ${source}`);
        }
      }
    }
  });
}

test('.dockerignore keeps local state and tests out of the build context', () => {
  for (const path of ['node_modules/sharp/package.json', 'dist/server/main.js', '.git/HEAD', 'test/run.ts', 'server/config.test.ts', '.tmp/x', 'coverage/x']) {
    assert.ok(ignored(path), `${path} would be sent to the daemon`);
  }
  for (const path of ['server/main.ts', 'server/web/index.html', 'client/main.ts', 'package-lock.json']) assert.ok(!ignored(path), path);
});

test('the server image exposes the port the server listens on by default', () => {
  assert.equal(last(parseDockerfile('Dockerfile.server').at(-1)!, 'EXPOSE')?.args, '8080');
});

test('Dockerfile.server starts node with the same options as `npm start`', () => {
  const runtime = parseDockerfile('Dockerfile.server').at(-1)!;
  const command = execForm(last(runtime, 'CMD')) ?? [];
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  assert.equal(start[0], 'node');
  assert.equal(command[0], 'node');
  assert.deepEqual(command.slice(1, command.indexOf('dist/server/main.js')), start.slice(1, start.indexOf('dist/server/main.js')));
  assert.ok(command.includes('--initial-old-space-size=128'), command.join(' '));
});
