import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { chartConfig } from './chart-config.ts';
import { liveChartCount, MAX_LIVE_CHARTS, renderChartPng, swapRedBlue } from './render-chart.ts';
import { forgetStaticLayers, STATIC_LAYER_BUDGET_BYTES, staticLayerCounts } from './static-layers.ts';

const ramp = (scale: number) => Array.from({ length: 256 }, (_, v) => Math.round(scale * (1 + Math.sin(v / 20))));
const options = { width: 640, height: 320, type: 'line' as const, scale: 'linear' as const };

test('renders a PNG of the requested size with the channels drawn in their colours', async () => {
  const png = await renderChartPng(
    chartConfig(
      [
        ['red', ramp(100)],
        ['blue', ramp(50)],
      ],
      options,
      'test',
    ),
    640,
    320,
  );
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height, info.channels], [640, 320, 3]);
  let reddish = 0;
  let bluish = 0;
  for (let i = 0; i < data.length; i += 3) {
    if (data[i]! > 180 && data[i + 1]! < 90 && data[i + 2]! < 90) reddish++;
    if (data[i + 2]! > 150 && data[i]! < 80) bluish++;
  }
  assert.ok(reddish > 200, `${reddish} red pixels`);
  assert.ok(bluish > 200, `${bluish} blue pixels`);
});

test('a reused chart leaves nothing behind: the same input renders the same PNG after another', async () => {
  const first = chartConfig(
    [
      ['red', ramp(100)],
      ['luma', ramp(70)],
    ],
    options,
    'first image',
  );
  const other = chartConfig(
    [
      ['green', ramp(9000)],
      ['blue', ramp(10)],
      ['alpha', ramp(3)],
    ],
    options,
    'another image, other title',
  );
  const before = await renderChartPng(first, 640, 320);
  await renderChartPng(other, 640, 320);
  const after = await renderChartPng(
    chartConfig(
      [
        ['red', ramp(100)],
        ['luma', ramp(70)],
      ],
      options,
      'first image',
    ),
    640,
    320,
  );
  assert.ok(before.equals(after));
});

test(`keeps at most ${MAX_LIVE_CHARTS} live charts, and redraws a size whose chart was pushed out exactly as before`, async () => {
  const series: Array<[string, number[]]> = [['luma', ramp(40)]];
  const at = (width: number) => renderChartPng(chartConfig(series, { ...options, width }, 'size test'), width, 200);
  const first = await at(300);
  for (let i = 1; i <= 3 * MAX_LIVE_CHARTS; i++) {
    await at(300 + i);
    assert.ok(liveChartCount() <= MAX_LIVE_CHARTS, `${liveChartCount()} live charts`);
  }
  assert.ok((await at(300)).equals(first));
});

test('swapRedBlue exchanges red and blue in rgb() and rgba() colours and leaves other values alone', () => {
  assert.equal(swapRedBlue('rgb(214, 39, 40)'), 'rgb(40, 39, 214)');
  assert.equal(swapRedBlue('rgba(31, 119, 180, 0.45)'), 'rgba(180, 119, 31, 0.45)');
  assert.equal(swapRedBlue('black'), 'black');
  assert.equal(swapRedBlue(undefined), undefined);
});

test('a render over kept static layers gives the same PNG, pixel for pixel, as one drawn whole', async () => {
  for (const chartOptions of [options, { ...options, type: 'bar' as const, scale: 'log' as const }]) {
    const first = ramp(1000);
    // Other data on the same axes: the largest count, and so the y range and ticks, are unchanged.
    const second = first.map((count, v) => (v % 7 === 0 ? Math.round(count / 3) : count));
    assert.equal(Math.max(...second), Math.max(...first));
    const render = (counts: number[]) =>
      renderChartPng(
        chartConfig(
          [
            ['red', counts],
            ['luma', counts.map((c) => c >> 1)],
          ],
          chartOptions,
          'layers',
        ),
        640,
        320,
      );
    forgetStaticLayers();
    await render(first);
    await render(first);
    const before = staticLayerCounts();
    const reused = await render(second);
    assert.equal(staticLayerCounts().hits, before.hits + 1, 'the third render reused the kept layers');
    forgetStaticLayers();
    const whole = await render(second);
    assert.equal(staticLayerCounts().misses, before.misses + 1, 'the render after forgetting drew everything');
    const a = await sharp(reused).raw().toBuffer();
    const b = await sharp(whole).raw().toBuffer();
    assert.ok(a.equals(b), `${chartOptions.type}/${chartOptions.scale}: reused and whole renders differ`);
  }
});

test('a chart drawn once keeps nothing; the second render with the same axes keeps its layers, and the third reuses them', async () => {
  const render = (counts: number[]) => renderChartPng(chartConfig([['red', counts]], options, 'kept'), 640, 320);
  forgetStaticLayers();
  const before = staticLayerCounts();
  await render(ramp(1000));
  assert.deepEqual([staticLayerCounts().kept, staticLayerCounts().misses], [0, before.misses + 1], 'first render: drawn whole, nothing kept');
  await render(ramp(999));
  assert.deepEqual([staticLayerCounts().kept, staticLayerCounts().misses], [1, before.misses + 2], 'second render: drawn whole, layers kept');
  await render(ramp(998));
  assert.deepEqual([staticLayerCounts().kept, staticLayerCounts().hits], [1, before.hits + 1], 'third render: layers reused');
});

test('remembers a bounded number of charts drawn once', async () => {
  forgetStaticLayers();
  const render = (title: string) => renderChartPng(chartConfig([['red', ramp(1000)]], options, title), 640, 320);
  await render('first');
  // Enough other charts to push the first out of memory: its next render is its first again.
  for (let i = 0; i < 40; i++) await render(`other ${i}`);
  await render('first');
  assert.equal(staticLayerCounts().kept, 0, 'the first chart was forgotten, so its second render kept nothing');
  await render('first');
  assert.equal(staticLayerCounts().kept, 1);
});

test('a new title, legend or y range draws the static layers again instead of reusing stale ones', async () => {
  const counts = ramp(1000);
  const render = (series: Array<[string, number[]]>, title: string) => renderChartPng(chartConfig(series, options, title), 640, 320);
  forgetStaticLayers();
  await render([['red', counts]], 'one');
  const base = await render([['red', counts]], 'one');
  const changes: Array<[string, Array<[string, number[]]>, string]> = [
    ['title', [['red', counts]], 'two'],
    ['legend', [['green', counts]], 'one'],
    ['y range', [['red', counts.map((c) => c * 10)]], 'one'],
  ];
  for (const [what, series, title] of changes) {
    const before = staticLayerCounts();
    const png = await render(series, title);
    assert.equal(staticLayerCounts().misses, before.misses + 1, `a new ${what} was drawn whole`);
    assert.ok(!png.equals(base), `a new ${what} changed the picture`);
  }
});

test(`keeps at most ${STATIC_LAYER_BUDGET_BYTES / 2 ** 20} MiB of static layers, whatever the sizes asked for`, async () => {
  forgetStaticLayers();
  for (let i = 0; i < 12; i++) {
    const width = 600 + i * 10;
    // Twice: a chart's layers are kept from its second render.
    for (let twice = 0; twice < 2; twice++) await renderChartPng(chartConfig([['luma', ramp(40)]], { ...options, width, height: 450 }, 'budget'), width, 450);
    assert.ok(staticLayerCounts().keptBytes <= STATIC_LAYER_BUDGET_BYTES, `${staticLayerCounts().keptBytes} bytes kept`);
  }
  assert.ok(staticLayerCounts().kept >= 2, 'layers were kept at all');
});

test("the clip spelled out in the configuration is chart.js's own default, and datasets that leave it to chart.js are always drawn whole", async () => {
  for (const chartOptions of [options, { ...options, type: 'bar' as const, scale: 'log' as const }]) {
    const series: Array<[string, number[]]> = [
      ['red', ramp(1000)],
      ['luma', ramp(400)],
    ];
    const defaultClip = () => {
      const config = chartConfig(series, chartOptions, 'clip');
      for (const dataset of config.data.datasets) delete (dataset as { clip?: unknown }).clip;
      return config;
    };
    forgetStaticLayers();
    const before = staticLayerCounts();
    const chartJs = await renderChartPng(defaultClip(), 640, 320);
    await renderChartPng(defaultClip(), 640, 320);
    assert.deepEqual([staticLayerCounts().hits, staticLayerCounts().misses], [before.hits, before.misses], 'neither kept nor reused');
    await renderChartPng(chartConfig(series, chartOptions, 'clip'), 640, 320);
    await renderChartPng(chartConfig(series, chartOptions, 'clip'), 640, 320);
    const reused = await renderChartPng(chartConfig(series, chartOptions, 'clip'), 640, 320);
    assert.equal(staticLayerCounts().hits, before.hits + 1, 'the last render reused the kept layers');
    assert.ok(reused.equals(chartJs), `${chartOptions.type}/${chartOptions.scale}: differs from chart.js's own clipping`);
  }
});
