// Regenerates docs/report-html.png: a real, bounded run on this machine — two servers
// (replica-1, replica-2) and a two-pod open-model bench Job (one pod per server, a common
// --start-at, 40 req/s in all for 20 s after a 5 s warm-up) — merged by `report --html`, and the
// page photographed at 1200 px in Debian's chromium.
// Usage: npx tsx scripts/screenshot-report.ts [--out docs/report-html.png] [--keep DIR]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'docs/report-html.png') }, keep: { type: 'string' } } });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the client; resolves with stdout, rejects with stderr on a non-zero exit. */
function client(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`client ${args[0]} exited ${code}: ${err}`))));
  });
}

const servers: ChildProcess[] = [];
try {
  const ports = [await freePort(), await freePort()];
  for (const [k, port] of ports.entries()) {
    servers.push(
      spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), POD_NAME: `replica-${k + 1}`, LOG_LEVEL: 'warn', CONCURRENCY: '1' },
        stdio: 'ignore',
      }),
    );
  }
  const dir = values.keep ?? (await mkdtemp(join(tmpdir(), 'report-html-')));
  // Both pods wait for their server, then start at the same instant, as the bench Job does.
  const startAt = new Date(Date.now() + 20_000).toISOString();
  const pods = await Promise.all(
    ports.map((port, k) =>
      client([
        'bench',
        '--url',
        `http://127.0.0.1:${port}/v1/histogram`,
        '--until-ready',
        '--start-at',
        startAt,
        '--rate',
        '40',
        '--shard-index',
        String(k),
        '--shard-count',
        '2',
        '-c',
        '4',
        '--warmup',
        '5s',
        '-d',
        '20s',
        '--generate',
        '256x256',
        '--generate-kind',
        'photo',
        '--count',
        '8',
        '--json',
      ]),
    ),
  );
  const logs = join(dir, 'bench-job.log');
  await writeFile(logs, pods.map((line, k) => `[pod/histogram-bench-${k}] ${line}`).join(''));
  const html = join(dir, 'report.html');
  await client(['report', logs, '--html', html, '--slo', 'p99=250ms']);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(pathToFileURL(html).href);
  await page.waitForFunction(() => document.documentElement.dataset.chartsDrawn !== undefined);
  await page.screenshot({ path: values.out, fullPage: true });
  await browser.close();
  process.stdout.write(`${values.out} written from ${html}\n`);
} finally {
  for (const server of servers) server.kill('SIGTERM');
}
