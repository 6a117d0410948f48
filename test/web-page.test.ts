// Browser test of the web page at GET /: Debian's chromium, driven by playwright-core, against
// the server (the app served from the test process over a real socket); the numbers the page
// shows are checked against the JSON API's own answer. One browser and one image thread serve
// both groups of tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { chromium, type Browser, type FileChooser, type Page } from 'playwright-core';
import { createImagePool, type ImagePool } from '../server/worker/image-pool.ts';
import { startInProcessServer, type InProcessServer } from './helpers/in-process-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`;
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Decimal places the page shows per statistic (the page's own table, restated here). */
const DIGITS = { mean: 2, median: 0, stdev: 2, min: 0, max: 0, p01: 0, p99: 0, entropy: 3 } as const;

interface ApiChannel {
  counts: number[];
  [stat: string]: number | number[];
}
interface ApiResult {
  width: number;
  height: number;
  pixels: number;
  bins: number;
  servedBy: string;
  channels: Record<string, ApiChannel>;
}
/** What the page's chart.js instance holds, read back through Chart.getChart(canvas). */
interface ChartState {
  type: string;
  yScale: string;
  xMin: number;
  xMax: number;
  datasets: { label: string; ys: (number | null)[] }[];
}

/** 240×160 RGB "plasma": smooth waves per channel plus seeded noise, so each channel has a broad
 * histogram like a photo's (any image would do: the page is compared with the API, not with this). */
async function plasmaPng(): Promise<Buffer> {
  const width = 240;
  const height = 160;
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed / 2 ** 31 - 0.5) * 24;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      raw[o] = clamp(150 + 55 * Math.sin(x / 19 + y / 31) + 25 * Math.cos(y / 13) + noise());
      raw[o + 1] = clamp(110 + 45 * Math.sin(y / 17) + 35 * Math.cos(x / 23 - y / 29) + noise());
      raw[o + 2] = clamp(90 + 60 * Math.cos((x + y) / 27) + 20 * Math.sin(x / 11) + noise());
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

async function api(base: string, body: Buffer, query: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/v1/histogram?${query}`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { 'Content-Type': 'application/octet-stream', ...headers },
  });
}

function chartState(page: Page, card: string): Promise<ChartState> {
  return page.$eval(`${card} canvas`, (canvas) => {
    type Chart = {
      config: { type: string };
      options: { scales: { y: { type: string } } };
      scales: { x: { min: number; max: number } };
      data: { datasets: { label: string; data: { y: number | null }[] }[] };
    };
    const { Chart } = globalThis as unknown as { Chart: { getChart(c: unknown): Chart | undefined } };
    const chart = Chart.getChart(canvas);
    if (!chart) throw new Error('no chart on the canvas');
    return {
      type: chart.config.type,
      yScale: chart.options.scales.y.type,
      xMin: chart.scales.x.min,
      xMax: chart.scales.x.max,
      datasets: chart.data.datasets.map((d) => ({ label: d.label, ys: d.data.map((p) => p.y) })),
    };
  });
}

/** The summary table as { channel: { stat: text } }. */
function tableOf(page: Page, card: string): Promise<Record<string, Record<string, string>>> {
  return page.$$eval(`${card} .summary tbody tr`, (rows) =>
    Object.fromEntries(
      rows.map((row) => [
        (row as HTMLElement).dataset.channel,
        Object.fromEntries(Array.from(row.querySelectorAll('td')).map((td) => [td.dataset.stat, td.textContent])),
      ]),
    ),
  );
}

let browser: Browser;
let images: ImagePool;
before(async () => {
  if (skip) return;
  images = createImagePool(1);
  [browser] = await Promise.all([chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS }), images.ready()]);
});
after(async () => {
  await browser?.close();
  await images?.close();
});

describe('web page', { skip }, () => {
  let server: InProcessServer;
  let shots: string;
  let png: Buffer;

  before(async () => {
    [server, shots, png] = await Promise.all([startInProcessServer({ images }), mkdtemp(join(tmpdir(), 'web-page-')), plasmaPng()]);
  });
  after(() => server?.stop());

  test('an uploaded image shows a chart and the same statistics as the JSON API', async (t) => {
    const expected = (await (await api(server.url, png, 'bins=256')).json()) as ApiResult;
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    t.after(() => page.close());
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => void scriptErrors.push(error.message));
    await page.goto(`${server.url}/`);
    await page.setInputFiles('#file', { name: 'plasma.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.card[data-state=done] canvas');
    assert.deepEqual(scriptErrors, []);

    const table = await tableOf(page, '.card');
    assert.deepEqual(Object.keys(table).sort(), Object.keys(expected.channels).sort());
    for (const [name, stats] of Object.entries(expected.channels)) {
      for (const [stat, digits] of Object.entries(DIGITS)) {
        assert.equal(table[name]?.[stat], (stats[stat] as number).toFixed(digits), `${name} ${stat}`);
      }
    }
    const chart = await chartState(page, '.card');
    assert.equal(chart.type, 'line');
    for (const dataset of chart.datasets) assert.deepEqual(dataset.ys, expected.channels[dataset.label]?.counts);
    const status = await page.textContent('.card .status');
    assert.match(status ?? '', new RegExp(`240 × 160 png, 38,400 pixels · served by ${expected.servedBy} in [\\d.]+ ms`));
    assert.equal(await page.getAttribute('.card .thumb', 'alt'), 'Thumbnail of plasma.png');

    await page.screenshot({ path: join(shots, 'web-page-one.png'), fullPage: true });
    t.diagnostic(`screenshots in ${shots}`);
  });

  test('a text file shows the server error message in the page and the page stays usable', async (t) => {
    const text = Buffer.from('this is not an image\n');
    const response = await api(server.url, text, 'bins=256');
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    t.after(() => page.close());
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => void dialogs.push(dialog.message()));
    await page.goto(`${server.url}/`);
    await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: text });
    await page.waitForSelector('.card[data-state=error]');
    const shown = await page.textContent('.card [role=alert]');
    assert.ok(shown?.includes(error.message), `"${shown}" includes "${error.message}"`);
    assert.ok(shown?.includes(`${response.status} ${error.code}`));
    assert.deepEqual(dialogs, []);

    await page.setInputFiles('#file', { name: 'plasma.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.card[data-state=done]');
    assert.equal(await page.locator('.card').count(), 2);
    await page.screenshot({ path: join(shots, 'web-page.png'), fullPage: true });
  });

  test('bins, channels, log scale and bar controls change the chart, table and downloads', async (t) => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    t.after(() => page.close());
    await page.goto(`${server.url}/`);
    await page.setInputFiles('#file', { name: 'plasma.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.card[data-state=done]');

    await page.fill('#bins', '16');
    await page.press('#bins', 'Enter');
    await page.locator('#bins').blur();
    const sixteen = (await (await api(server.url, png, 'bins=16')).json()) as ApiResult;
    await page.waitForFunction(() => {
      const ys = (globalThis as unknown as { Chart: { getChart(c: unknown): { data: { datasets: { data: unknown[] }[] } } } }).Chart.getChart(
        document.querySelector('.card canvas'),
      )?.data.datasets[0]?.data;
      return ys?.length === 16;
    });
    let chart = await chartState(page, '.card');
    for (const dataset of chart.datasets) assert.deepEqual(dataset.ys, sixteen.channels[dataset.label]?.counts);

    await page.uncheck('input[name=channel][value=luma]');
    await page.check('#log');
    await page.check('input[name=type][value=bar]');
    chart = await chartState(page, '.card');
    assert.equal(chart.type, 'bar');
    assert.equal(chart.yScale, 'logarithmic');
    assert.deepEqual(
      chart.datasets.map((d) => d.label),
      ['red', 'green', 'blue'],
    );
    assert.deepEqual(Object.keys(await tableOf(page, '.card')), ['red', 'green', 'blue']);
    await page.screenshot({ path: join(shots, 'web-page-bar-log.png'), fullPage: true });

    const expectedCsv = await (await api(server.url, png, 'format=csv&bins=16&channels=red,green,blue')).text();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('.downloads [data-format=csv]')]);
    assert.equal(csv.suggestedFilename(), 'plasma-histogram.csv');
    assert.equal(await readFile((await csv.path())!, 'utf8'), expectedCsv);
    const [chartPng] = await Promise.all([page.waitForEvent('download'), page.click('.downloads [data-format=png]')]);
    const meta = await sharp(await readFile((await chartPng.path())!)).metadata();
    assert.equal(meta.format, 'png');
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('.downloads [data-format=json]')]);
    const saved = JSON.parse(await readFile((await json.path())!, 'utf8')) as ApiResult;
    assert.equal(saved.bins, 16);
    assert.deepEqual(saved.channels.red?.counts, sixteen.channels.red?.counts);
  });

  test('the x axis spans 0..255 as the server chart does; depth, range and mask ask the server again with those parameters', async (t) => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    t.after(() => page.close());
    await page.goto(`${server.url}/`);
    await page.setInputFiles('#file', { name: 'plasma.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.card[data-state=done] canvas');
    let chart = await chartState(page, '.card');
    assert.deepEqual([chart.xMin, chart.xMax], [0, 255]);

    /** Changes a control, waits for the page's answer to a query with `name` = `value` and returns that query. */
    const ask = async (name: string, value: string, change: () => Promise<void>) => {
      const sent = (r: { url(): string }) => r.url().includes('v1/histogram?') && new URL(r.url()).searchParams.get(name) === value;
      const [response] = await Promise.all([page.waitForResponse(sent), change()]);
      await page.waitForFunction(() => document.querySelector('.card')?.getAttribute('data-state') === 'done');
      return new URL(response.url()).searchParams;
    };

    let query = await ask('range', 'data', () => page.check('input[name=range][value=data]'));
    assert.equal(query.get('range'), 'data');
    const data = (await (await api(server.url, png, 'bins=256&range=data')).json()) as ApiResult & {
      channels: Record<string, ApiChannel & { binRange: [number, number] }>;
    };
    chart = await chartState(page, '.card');
    for (const dataset of chart.datasets) assert.deepEqual(dataset.ys, data.channels[dataset.label]?.counts);
    const edges = Object.values(data.channels).map((c) => c.binRange);
    assert.deepEqual([chart.xMin, chart.xMax], [Math.min(...edges.map((e) => e[0])), Math.max(...edges.map((e) => e[1]))]);

    query = await ask('range', '50,200', async () => {
      await page.fill('#range-lo', '50');
      await page.fill('#range-hi', '200');
      await page.locator('#range-hi').blur();
    });
    assert.equal(query.get('range'), '50,200');
    chart = await chartState(page, '.card');
    assert.deepEqual([chart.xMin, chart.xMax], [50, 200]);

    query = await ask('mask', 'alpha', () => page.check('#mask'));
    assert.equal(query.get('mask'), 'alpha');
    query = await ask('depth', '16', () => page.selectOption('#depth', '16').then(() => undefined));
    assert.equal(query.get('depth'), '16');
    assert.equal(await page.getAttribute('#bins', 'max'), '65536');
  });

  test('at 375 px wide the keyboard reaches the file picker and the page does not scroll sideways', async (t) => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    t.after(() => page.close());
    await page.goto(`${server.url}/`);
    // Chromium holds input until the page's first paint, and a key press held that way may not
    // count as the user's gesture a file picker needs: wait for two frames first.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    let tabs = 0;
    while (tabs++ < 20 && (await page.evaluate(() => document.activeElement?.id)) !== 'file') await page.keyboard.press('Tab');
    assert.ok(tabs <= 20, 'Tab reaches the file input');
    // Headless Chromium now and then lets a key press on a file input go without opening the
    // picker: press again (the input still focused) before calling it a failure.
    let chooser: FileChooser | undefined;
    for (let attempt = 0; attempt < 3 && !chooser; attempt++) {
      [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 5_000 }).catch(() => undefined), page.keyboard.press('Space')]);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'file', 'the file input keeps the focus');
    }
    assert.ok(chooser, 'Space on the focused file input opens the file picker');
    assert.ok(chooser.isMultiple());
    await chooser.setFiles({ name: 'plasma.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.card[data-state=done] canvas');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375);
    await page.screenshot({ path: join(shots, 'web-page-375.png'), fullPage: true });
  });

  test('served under a path prefix, as behind an Ingress, the page loads and posts relative to it', async (t) => {
    const context = await browser.newContext();
    t.after(() => context.close());
    const prefix = `${server.url}/histogram/`;
    const seen: string[] = [];
    // Strip the prefix the way an Ingress rewrite would; anything outside it reaches the server unchanged (and 404s).
    await context.route(`${prefix}**`, (route) => {
      seen.push(route.request().url().slice(prefix.length));
      return route.continue({ url: `${server.url}/${route.request().url().slice(prefix.length)}` });
    });
    const page = await context.newPage();
    await page.goto(prefix);
    await page.setInputFiles('#file', { name: 'plasma.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('.card[data-state=done] canvas');
    for (const asset of ['assets/style.css', 'assets/app.js', 'assets/chart.umd.min.js']) assert.ok(seen.includes(asset), asset);
    assert.ok(
      seen.some((url) => url.startsWith('v1/histogram?')),
      seen.join(' '),
    );
  });
});

describe('web page with API_TOKEN and a small MAX_UPLOAD_BYTES', { skip }, () => {
  const limit = 20_000;
  let server: InProcessServer;
  let small: Buffer;
  let large: Buffer;

  before(async () => {
    [server, small, large] = await Promise.all([
      startInProcessServer({ env: { API_TOKEN: 'web-page-test-token', MAX_UPLOAD_BYTES: String(limit) }, images }),
      sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 90 } } })
        .png()
        .toBuffer(),
      plasmaPng(),
    ]);
    assert.ok(small.length < limit && large.length > limit, `${small.length} < ${limit} < ${large.length}`);
  });
  after(() => server?.stop());

  test('without a token the 401 shows in the page; with the token in the field the retry succeeds', async (t) => {
    const page = await browser.newPage();
    t.after(() => page.close());
    await page.goto(`${server.url}/`);
    await page.setInputFiles('#file', { name: 'solid.png', mimeType: 'image/png', buffer: small });
    await page.waitForSelector('.card[data-state=error]');
    assert.match((await page.textContent('.card [role=alert]')) ?? '', /401 UNAUTHORIZED/);

    await page.click('summary');
    await page.fill('#token', 'web-page-test-token');
    await page.click('.card .retry');
    await page.waitForSelector('.card[data-state=done]');
    // 64×48 solid rgb(200,30,90): every pixel in one bin per channel, by construction.
    const table = await tableOf(page, '.card');
    assert.deepEqual([table.red?.mean, table.green?.median, table.blue?.max], ['200.00', '30', '90']);
    const stored = await page.evaluate(() => [sessionStorage.length, localStorage.length]);
    assert.deepEqual(stored, [1, 0]);
  });

  test('an upload over MAX_UPLOAD_BYTES shows the 413 message in the page', async (t) => {
    const response = await api(server.url, large, 'bins=256', { Authorization: 'Bearer web-page-test-token' });
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(response.status, 413);
    const page = await browser.newPage();
    t.after(() => page.close());
    await page.goto(`${server.url}/`);
    await page.click('summary');
    await page.fill('#token', 'web-page-test-token');
    await page.setInputFiles('#file', { name: 'plasma.png', mimeType: 'image/png', buffer: large });
    await page.waitForSelector('.card[data-state=error]');
    const shown = (await page.textContent('.card [role=alert]')) ?? '';
    assert.ok(shown.includes(error.message), `"${shown}" includes "${error.message}"`);
    assert.match(shown, /413 PAYLOAD_TOO_LARGE/);
  });
});

test('scripts/screenshot-web-page.ts writes a full-page PNG of the page, 1000 px wide', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'web-page-shot-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'web-page.png');
  // Rejects (with its stderr) when the script exits non-zero.
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/screenshot-web-page.ts', out], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    timeout: 120_000,
  });
  assert.equal(run.stdout.trim(), out);
  const meta = await sharp(out).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.width, 1000);
  assert.ok((meta.height ?? 0) > 900, `height ${meta.height}: the page with two cards is taller than the viewport`);
});
