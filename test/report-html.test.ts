// `report --html` in the real browser: Debian's chromium, driven by playwright-core, offline.
// The runs are real (the client against a fixed-service target, bounded in count and time);
// every chart must have drawn (its canvas is not blank), the figures on the page must equal the
// merged result that `report --json` prints for the same lines, and the page must load nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFixedServiceServer, type FixedServiceServer } from './helpers/fixed-service-server.ts';
import { runCli } from './helpers/run-cli.ts';
import type { MergedReport } from '../client/report/merge-results.ts';
import type { CapacityAnswer } from '../client/capacity/capacity-answer.ts';
import type { Comparison } from '../client/report/compare-runs.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`;
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
let target: FixedServiceServer;
let dir: string;
before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'report-html-'));
  // 10 ms per request, 4 at once: 400 req/s, far above the rates asked below.
  [browser, target] = await Promise.all([
    chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS }),
    startFixedServiceServer({ serviceMs: 10, concurrency: 4 }),
  ]);
});
after(async () => {
  await browser?.close();
  await target?.stop();
});

/** The result lines of a two-pod open-model bench Job at `rate` req/s for 2 s. */
async function twoPodBench(rate: number): Promise<string> {
  const pod = (k: number) =>
    runCli([
      'bench',
      '--url',
      `${target.url}/v1/histogram`,
      '--rate',
      String(rate),
      '-c',
      '2',
      '-d',
      '2s',
      '--shard-index',
      String(k),
      '--shard-count',
      '2',
      '--generate',
      '32x32',
      '--count',
      '2',
      '--json',
    ]);
  const runs = await Promise.all([pod(0), pod(1)]);
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  return runs.map((run) => `[pod/bench-${run.stdout.length % 7}] ${run.stdout}`).join('');
}

/** Runs `report` with `args`, expecting exit 0; returns stdout. */
async function report(args: string[]): Promise<string> {
  const run = await runCli(['report', ...args]);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout;
}

/** Opens `file` offline at `width` px; fails on any script error or any request that is not the file itself. */
async function open(file: string, width: number): Promise<Page> {
  const context = await browser.newContext({ offline: true, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('request', (request) => {
    if (request.url() !== pathToFileURL(file).href) problems.push(`request for ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.documentElement.dataset.chartsDrawn !== undefined);
  assert.deepEqual(problems, []);
  return page;
}

/** Per canvas: its id and how many of its pixels are painted (alpha > 0). */
function paintedPixels(page: Page): Promise<Array<{ id: string; painted: number; width: number }>> {
  return page.$$eval('canvas', (canvases) =>
    canvases.map((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      return { id: c.id, painted, width: c.getBoundingClientRect().width };
    }),
  );
}

/** The summary figures of the first run on the page, by key. */
function summary(page: Page): Promise<Record<string, string>> {
  return page.$$eval('table.summary td[data-key]', (cells) => Object.fromEntries(cells.map((td) => [(td as HTMLElement).dataset.key, td.textContent ?? ''])));
}

const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;

describe('report --html', { skip }, () => {
  test('a merged two-pod bench page draws all six charts, shows the merged figures, and fits 1200 px and a phone', async () => {
    const logs = join(dir, 'bench.log');
    await writeFile(logs, await twoPodBench(40));
    const merged = JSON.parse(await report([logs, '--json'])) as MergedReport;
    const html = join(dir, 'bench.html');
    await report([logs, '--html', html, '--slo', 'p99=60s']);

    for (const width of [1200, 390]) {
      const page = await open(html, width);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.chartsDrawn), '6');
      const canvases = await paintedPixels(page);
      assert.deepEqual(
        canvases.map((c) => c.id),
        ['chart-curve', 'chart-throughput', 'chart-latency-time', 'chart-replicas-time', 'chart-replicas', 'chart-outcomes'],
      );
      for (const c of canvases) assert.ok(c.painted > 2000, `${c.id} at ${width} px: ${c.painted} painted pixels`);
      // Nothing wider than the screen: tables scroll inside their box, charts shrink.
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= width, `page wider than ${width} px`);
      if (width === 390) for (const c of canvases) assert.ok(c.width <= 390, `${c.id} is ${c.width} px wide on a phone`);

      const figures = await summary(page);
      const rates = merged.allRunning ?? merged.whole;
      assert.equal(figures.pods, '2');
      assert.equal(figures['requests.sent'], String(merged.requests.sent));
      assert.equal(figures['requests.completed'], String(merged.requests.completed));
      assert.equal(figures['requests.ok'], String(merged.requests.ok));
      assert.equal(figures.okPerSec, rates.okPerSec.toFixed(1));
      assert.equal(figures.failedPercent, '0.00 %');
      for (const key of ['p50', 'p90', 'p99', 'p999', 'max'] as const) assert.equal(figures[`latencyUs.${key}`], ms(merged.latencyUs[key]), key);
      assert.equal(figures['uncorrectedLatencyUs.p99'], ms(merged.uncorrectedLatencyUs!.p99));
      assert.match((await page.textContent('.slo')) ?? '', /Objectives: all met/);

      // The charts hold the merged counts: replicas and the per-second 2xx add up to the totals.
      // (No named functions inside evaluate: tsx would wrap them in a helper the page lacks.)
      const drawn = (await page.evaluate(() =>
        ['chart-replicas', 'chart-throughput', 'chart-replicas-time'].map(
          (id) =>
            (window as unknown as { Chart: { getChart(id: string): { data: { datasets: Array<{ data: unknown[] }> } } } }).Chart.getChart(id).data.datasets[0]!
              .data,
        ),
      )) as [number[], Array<{ y: number | null }>, Array<{ y: number }>];
      const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);
      const drawnCounts = { replicas: sum(drawn[0]), okPerSecond: sum(drawn[1].map((p) => p.y ?? 0)) };
      assert.equal(drawnCounts.replicas, merged.requests.completed);
      assert.equal(drawnCounts.okPerSecond, merged.requests.ok);
      // One replica (the test target): its line per second adds up to every response.
      assert.equal(sum(drawn[2].map((p) => p.y)), merged.requests.completed);
      await page.context().close();
    }
  });

  test('the bench page prints: a PDF of it holds the charts', async () => {
    const html = join(dir, 'bench.html');
    const page = await open(html, 1200);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.length > 20_000, `PDF of ${pdf.length} bytes`);
    for (const c of await paintedPixels(page)) assert.ok(c.painted > 2000, `${c.id} in print: ${c.painted} painted pixels`);
    await page.context().close();
  });

  test('a capacity page draws latency and achieved against offered rate and shows the answer of report --json', async () => {
    const run = await runCli([
      'capacity',
      '--url',
      `${target.url}/v1/histogram`,
      '--rates',
      '20,40',
      '--step-warmup',
      '0s',
      '--step-duration',
      '1s',
      '--step-gap',
      '0s',
      '--slo',
      'p99=5s',
      '--generate',
      '32x32',
      '--count',
      '1',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const logs = join(dir, 'capacity.log');
    await writeFile(logs, run.stdout);
    const answer = JSON.parse(await report([logs, '--json'])) as CapacityAnswer;
    const html = join(dir, 'capacity.html');
    await report([logs, '--html', html]);
    const page = await open(html, 1200);
    const canvases = await paintedPixels(page);
    assert.deepEqual(
      canvases.map((c) => c.id),
      ['chart-capacity-latency', 'chart-capacity-achieved'],
    );
    for (const c of canvases) assert.ok(c.painted > 2000, `${c.id}: ${c.painted} painted pixels`);
    const figures = await summary(page);
    assert.equal(figures.sustainedRate, String(answer.sustainedRate));
    assert.equal(figures.objectives, 'p99=5s errors=1%');
    const offered = await page.$$eval('table.steps td[data-col="offered/s"]', (cells) => cells.map((td) => td.textContent));
    assert.deepEqual(
      offered,
      answer.steps.map((s) => s.offeredRate.toFixed(1)),
    );
    await page.context().close();
  });

  test('a --compare page puts both runs on the same axes and shows the scaling efficiency of report --compare --json', async () => {
    const [a, b] = [join(dir, 'a.log'), join(dir, 'b.log')];
    await writeFile(a, await twoPodBench(20));
    await writeFile(b, await twoPodBench(40));
    const comparison = JSON.parse(await report(['--compare', a, b, '--replicas-a', '1', '--replicas-b', '2', '--json'])) as Comparison;
    const html = join(dir, 'compare.html');
    await report(['--compare', a, b, '--replicas-a', '1', '--replicas-b', '2', '--html', html]);
    const page = await open(html, 1200);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.chartsDrawn), '5');
    for (const c of await paintedPixels(page)) assert.ok(c.painted > 2000, `${c.id}: ${c.painted} painted pixels`);
    const labels = await page.evaluate(() => {
      const Chart = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: Array<{ label: string }> } } } }).Chart;
      return ['chart-curve', 'chart-throughput'].map((id) => Chart.getChart(id).data.datasets.map((d) => d.label));
    });
    assert.deepEqual(labels[0], [`A: ${a}: latency of 2xx`, `B: ${b}: latency of 2xx`]);
    assert.equal(labels[1]!.length, 2);
    assert.equal(await page.textContent('[data-key="scalingEfficiency"]'), `${(100 * comparison.scalingEfficiency!).toFixed(1)} %`);
    assert.equal((await page.$$('table.summary')).length, 2);
    await page.context().close();
  });
});
