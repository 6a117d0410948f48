// A command line scripts can trust, checked on the real CLI (against the app served from the
// test process): a wrong command line exits 2 with
// one line on stderr naming the bad option or value (and the nearest option name) and pointing
// to --help, before anything is uploaded; values the server would refuse are caught the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';
import { runCli as runClient } from './helpers/run-cli.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

const runCli = (args: string[]) => runClient(args, { timeoutMs: 60_000 });

/** POST requests the server has counted, from its own /metrics. */
async function serverPosts(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('http_requests_total{') && l.includes('method="POST"'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

let server: InProcessServer;
let dir: string;
let image: string;
before(async () => {
  server = await startInProcessServer();
  dir = await mkdtemp(join(tmpdir(), 'client-usage-'));
  image = join(dir, 'grey.png');
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .png()
    .toFile(image);
});
after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cases: Array<{ name: string; args: string[]; message: RegExp; help?: string }> = [
  { name: 'a misspelt --imag names it and suggests --image', args: ['--imag', '<image>'], message: /^Unknown argument --imag \(did you mean --image\?\)$/ },
  { name: 'an unknown --bogus is named without a suggestion', args: ['-i', '<image>', '--bogus'], message: /^Unknown argument --bogus$/ },
  {
    name: 'a misspelt bench option suggests the bench option and its help',
    args: ['bench', '--conections', '3'],
    message: /^Unknown argument --conections \(did you mean --connections\?\)$/,
    help: 'bench',
  },
  { name: 'a misspelt command suggests the command', args: ['benc'], message: /^Unknown command "benc" \(did you mean bench\?\)$/ },
  { name: 'no --image says the option is required', args: [], message: /^Missing required option --image$/ },
  {
    name: '--bins 300 is refused as the server would refuse it',
    args: ['-i', '<image>', '--bins', '300'],
    message: /^Expected integer between 1 and 256 for --bins but received 300$/,
  },
  { name: '--bins 0 is refused', args: ['-i', '<image>', '--bins', '0'], message: /^Expected integer between 1 and 256 for --bins but received 0$/ },
  { name: '--bins abc is not a number', args: ['-i', '<image>', '--bins', 'abc'], message: /^Expected a number for --bins but received "abc"$/ },
  {
    name: '--chart-width 199 is below the server minimum',
    args: ['-i', '<image>', '--chart-width', '199'],
    message: /^Expected integer between 200 and 4000 for --chart-width but received 199$/,
  },
  {
    name: '--chart-height 3001 is above the server maximum',
    args: ['-i', '<image>', '--chart-height', '3001'],
    message: /^Expected integer between 100 and 3000 for --chart-height but received 3001$/,
  },
  {
    name: '--format gif is not a format the server writes',
    args: ['-i', '<image>', '--format', 'gif'],
    message: /^Expected one of png, json, csv for --format but received "gif"$/,
  },
  {
    name: '--scale cubic is not a scale',
    args: ['-i', '<image>', '--scale', 'cubic'],
    message: /^Expected one of linear, log for --scale but received "cubic"$/,
  },
  { name: '--type pie is not a chart type', args: ['-i', '<image>', '--type', 'pie'], message: /^Expected one of line, bar for --type but received "pie"$/ },
  {
    name: '--channels with an unknown channel names it',
    args: ['-i', '<image>', '--channels', 'red,purple'],
    message: /^Expected channels from red,green,blue,alpha,luma for --channels but received "purple"$/,
  },
  {
    name: '--bins 257 is refused at depth 8',
    args: ['-i', '<image>', '--bins', '257'],
    message: /^Expected integer between 1 and 256 for --bins but received 257$/,
  },
  {
    name: '--bins 65537 is refused at --depth 16, naming the depth',
    args: ['-i', '<image>', '--depth', '16', '--bins', '65537'],
    message: /^Expected integer between 1 and 65536 for --bins at --depth 16 but received 65537$/,
  },
  { name: '--depth 12 is not a depth', args: ['-i', '<image>', '--depth', '12'], message: /^Expected one of 8, 16 for --depth but received 12$/ },
  {
    name: '--range with one number is refused',
    args: ['-i', '<image>', '--range', '10'],
    message: /^Expected full, data or LO,HI \(two numbers\) for --range but received "10"$/,
  },
  {
    name: '--range LO above HI is refused',
    args: ['-i', '<image>', '--range', '200,100'],
    message: /^Expected LO <= HI for --range but received "200,100"$/,
  },
  { name: '--range inf,1 is not finite', args: ['-i', '<image>', '--range', 'inf,1'], message: /for --range but received "inf,1"$/ },
  { name: '--mask luma is not a mask', args: ['-i', '<image>', '--mask', 'luma'], message: /^Expected one of alpha for --mask but received "luma"$/ },
  {
    name: 'capacity refuses an objective it cannot check',
    args: ['capacity', '--slo', 'p98=1s'],
    message: /for --slo but received "p98=1s"$/,
    help: 'capacity',
  },
  {
    name: 'capacity refuses a falling rate list',
    args: ['capacity', '--rates', '20,10'],
    message: /^Expected rising rates > 0 for --rates but received 20,10$/,
    help: 'capacity',
  },
  {
    name: 'report --compare needs two runs',
    args: ['report', '--compare', 'a.log'],
    message: /^Expected two runs for --compare \(A B\) but received 1$/,
    help: 'report',
  },
];

test('every wrong command line exits 2 with one line naming what was wrong, and nothing reaches the server', { concurrency: 4 }, async (t) => {
  const postsBefore = await serverPosts(server.url);
  await Promise.all(
    cases.map((c) =>
      t.test(c.name, async () => {
        const args = c.args.map((a) => (a === '<image>' ? image : a));
        // The default command gets the live server, so an upload would show in its counters.
        const run = await runCli(c.help || args[0] === 'benc' ? args : [...args, '--url', server.url]);
        assert.equal(run.code, 2, run.stderr);
        const lines = run.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
        const help = `; see 'histogram-client${c.help ? ` ${c.help}` : ''} --help'`;
        assert.ok(lines[0]!.startsWith('histogram-client: ') && lines[0]!.endsWith(help), lines[0]);
        assert.match(lines[0]!.slice('histogram-client: '.length, -help.length), c.message);
        assert.equal(run.stdout, '');
      }),
    ),
  );
  assert.equal(await serverPosts(server.url), postsBefore, 'no wrong command line uploaded anything');
});

test('the limits themselves (bins 1 and 256, 65536 at depth 16, chart 200×100 and 4000×3000) and every range and mask form are accepted by client and server', async () => {
  for (const args of [
    ['--bins', '1'],
    ['--bins', '256'],
    ['--chart-width', '200', '--chart-height', '100'],
    ['--chart-width', '4000', '--chart-height', '3000'],
    ['--depth', '16', '--bins', '65536'],
    ['--range', 'data'],
    ['--range', '10.5,200'],
    ['--range=-1,300'], // a leading minus needs the = form, or yargs reads it as an option
    ['--mask', 'alpha'],
  ]) {
    const run = await runCli(['-i', image, '--url', server.url, '-o', join(dir, 'out.png'), '-q', ...args]);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
  }
});

test('--version prints the package version and exits 0', async () => {
  const run = await runCli(['--version']);
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(run.code, 0);
  assert.equal(run.stdout.trim(), version);
});

test('an image the server refuses still exits 1, not 2', async () => {
  const text = join(dir, 'notes.png');
  await writeFile(text, 'not an image');
  const run = await runCli(['-i', text, '--url', server.url]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /415 UNSUPPORTED_MEDIA_TYPE/);
});
