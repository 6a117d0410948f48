// The built client image against the built server image, both read-only and non-root on
// 127.0.0.1: `generate` writes an image, the single-image command fetches its histogram, a
// 2-second `bench` measures, and `report` merges the bench's result line, as the bench Job's
// pods and scripts/kind-bench.sh use them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { CLIENT_IMAGE, engineOrSkip, engine, engineOk, ensureImages, podFlags, type ServerContainer, startServerContainer } from './container-engine.ts';

const { e, skip } = engineOrSkip();
let server: ServerContainer | undefined;
// A host folder the client container (uid 1000) writes its files to, mounted at /out.
const out = mkdtempSync(join(tmpdir(), 'histogram-client-image-'));
chmodSync(out, 0o777);

before(
  async () => {
    if (skip) return;
    ensureImages();
    server = await startServerContainer(e);
  },
  { timeout: 1_800_000 },
);

after(() => {
  server?.remove();
  rmSync(out, { recursive: true, force: true });
});

/** `docker run CLIENT_IMAGE ARGS...` as a read-only pod with /out mounted. */
function client(args: string[], input?: string) {
  return engine(e, ['run', '--rm', ...(input === undefined ? [] : ['-i']), ...podFlags(e), '-v', `${out}:/out`, CLIENT_IMAGE, ...args], input);
}

test('the client image runs as uid 1000 and prints its help by default, naming every command', { skip }, () => {
  assert.equal(engineOk(e, ['image', 'inspect', '--format', '{{.Config.User}}', CLIENT_IMAGE]).trim(), '1000:1000');
  const help = client([]);
  assert.equal(help.status, 0, help.stderr);
  for (const command of ['bench', 'report', 'generate', 'capacity']) assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
});

test('the client image generates an image and fetches its exact histogram from the server container', { skip }, async () => {
  const generate = client(['generate', '--kind', 'noise', '--size', '64x32', '--format', 'png', '--out', '/out/noise.png']);
  assert.equal(generate.status, 0, generate.stderr);
  const fetched = client(['--image', '/out/noise.png', '--url', server!.url, '--histogram', '/out/noise.json', '--quiet']);
  assert.equal(fetched.status, 0, fetched.stderr);
  const body = JSON.parse(readFileSync(join(out, 'noise.json'), 'utf8')) as { pixels: number; channels: Record<string, { counts: number[] }> };
  assert.equal(body.pixels, 64 * 32);
  // The expected counts from the generated file itself, decoded on the host and counted plainly.
  const { data, info } = await sharp(readFileSync(join(out, 'noise.png')))
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (const [c, name] of ['red', 'green', 'blue'].entries()) {
    const counts = new Array<number>(256).fill(0);
    for (let i = c; i < data.length; i += info.channels) counts[data[i]!]!++;
    assert.deepEqual(body.channels[name]!.counts, counts, name);
  }
});

test('the client image runs a 2-second bench against the server container and reports it', { skip }, () => {
  const bench = client([
    'bench',
    '--url',
    `${server!.url}/v1/histogram`,
    '--generate',
    '64x64',
    '--count',
    '2',
    '--connections',
    '2',
    '--duration',
    '2s',
    '--until-ready',
    '--ready-timeout',
    '30s',
    '--json',
  ]);
  assert.equal(bench.status, 0, bench.stderr);
  const line = bench.stdout
    .trim()
    .split('\n')
    .find((l) => l.startsWith('{'));
  assert.ok(line, `no JSON result line in:\n${bench.stdout}`);
  const report = client(['report', '-'], `${line}\n`);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /X-Served-By/);
  // Every response came from the one server container, named by its POD_NAME.
  assert.match(report.stdout, new RegExp(`${server!.name}\\s+\\d+\\s+100\\.0%`));
});
