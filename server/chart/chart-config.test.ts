import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scale } from 'chart.js';
import { chartConfig, type ChartOptions } from './chart-config.ts';

const options: ChartOptions = { width: 800, height: 400, type: 'line', scale: 'linear' };

/** Runs the x axis hooks the way chart.js does, on a stand-in axis reading `datasets`. */
function axisAfterHooks(config: ReturnType<typeof chartConfig>, datasets = config.data.datasets) {
  const x = config.options!.scales!.x as { afterDataLimits: (axis: Scale) => void; afterBuildTicks: (axis: Scale) => void };
  const axis = { chart: { data: { datasets } }, min: 0, max: 0, ticks: [] as Array<{ value: number }> };
  x.afterDataLimits(axis as unknown as Scale);
  x.afterBuildTicks(axis as unknown as Scale);
  return { min: axis.min, max: axis.max, ticks: axis.ticks.map((t) => t.value) };
}

test('the default chart spans 0..255 with one point per value and ticks at multiples of 32', () => {
  const config = chartConfig([['luma', new Array(256).fill(1)]], options, 't');
  assert.deepEqual(axisAfterHooks(config), { min: 0, max: 255, ticks: [0, 32, 64, 96, 128, 160, 192, 224, 255] });
  assert.deepEqual(
    config.data.datasets[0]!.data.slice(0, 2).map((p) => p.x),
    [0, 1],
  );
});

test('16 bins at depth 8 sit at the centre of their 16 values (7.5, 23.5, …)', () => {
  const config = chartConfig([['luma', new Array(16).fill(1), [0, 256]]], options, 't');
  assert.deepEqual(
    config.data.datasets[0]!.data.slice(0, 2).map((p) => p.x),
    [7.5, 23.5],
  );
});

test('depth 16 spans 0..65535 with ticks at eighths, each bin at the centre of its values', () => {
  const config = chartConfig([['luma', new Array(256).fill(1), [0, 65536]]], options, 't');
  assert.deepEqual(axisAfterHooks(config), { min: 0, max: 65535, ticks: [0, 8192, 16384, 24576, 32768, 40960, 49152, 57344, 65535] });
  assert.equal(config.data.datasets[0]!.data[0]!.x, 127.5);
  assert.match(String((config.options!.scales!.x as { title: { text: string } }).title.text), /256 bins of 256, 16-bit/);
});

test("range data and LO,HI span the bins' edges, each bin at its middle", () => {
  const config = chartConfig(
    [
      ['red', [1, 2], [10, 20]],
      ['green', [3, 4], [12, 30]],
    ],
    { ...options, range: 'data' },
    't',
  );
  assert.deepEqual(axisAfterHooks(config), { min: 10, max: 30, ticks: [10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5, 30] });
  assert.deepEqual(
    config.data.datasets.map((d) => d.data.map((p) => p.x)),
    [
      [12.5, 17.5],
      [16.5, 25.5],
    ],
  );
});

test("a chart object kept for a default chart and handed a depth-16 chart's datasets takes the new axis", () => {
  // The renderer keeps a chart object per size and swaps in new datasets: the axis must come
  // from them, not from the scale options it was created with.
  const first = chartConfig([['luma', new Array(256).fill(1)]], options, 'a');
  const second = chartConfig([['luma', new Array(256).fill(1), [0, 65536]]], options, 'b');
  assert.equal(axisAfterHooks(first, second.data.datasets).max, 65535);
});
