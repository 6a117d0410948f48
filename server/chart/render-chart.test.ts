import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { chartConfig } from './chart-config.ts';
import { liveChartCount, MAX_LIVE_CHARTS, renderChartPng, swapRedBlue } from './render-chart.ts';

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
