// PNG plots beside RESULTS.md: throughput per image and mode, and the overload latency curves.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHistogram } from '../client/bench/latency-histogram.ts';
import { percentileChart, renderChart } from '../client/report/report-chart.ts';
import { okRate, type SuiteRun } from './suite-types.ts';

/** Writes suite-throughput.png and suite-overload.png into `dir`; returns their paths. */
export async function writeSuitePlots(run: SuiteRun, dir: string): Promise<string[]> {
  const images = [...new Set(run.cells.map((c) => c.image))];
  const bestOf = (image: string, rate: (c: SuiteRun['cells'][number]) => number) =>
    Math.max(0, ...run.cells.filter((c) => c.image === image).map(rate));
  const series = [
    { label: 'decode only (sharp)', rate: (c: SuiteRun['cells'][number]) => c.decodePerSec, colour: '#7f7f7f' },
    { label: 'HTTP floor', rate: (c: SuiteRun['cells'][number]) => okRate(c.floor), colour: '#bcbd22' },
    { label: 'server JSON', rate: (c: SuiteRun['cells'][number]) => okRate(c.json), colour: '#1f77b4' },
    { label: 'server PNG chart', rate: (c: SuiteRun['cells'][number]) => okRate(c.png), colour: '#ff7f0e' },
  ];
  const throughput = await renderChart({
    type: 'bar',
    data: {
      labels: images,
      datasets: series.map((s) => ({ label: s.label, backgroundColor: s.colour, data: images.map((image) => bestOf(image, s.rate)) })),
    },
    options: {
      plugins: { title: { display: true, text: `Requests per second (best over C = ${[...new Set(run.cells.map((c) => c.connections))].join(', ')}), log scale` } },
      scales: { y: { type: 'logarithmic', title: { display: true, text: 'req/s' } } },
    },
  });
  const overload = await renderChart(percentileChart(
    `Overload: ${run.overload.connections} connections of ${run.overload.image}, with /healthz probed alongside`,
    [
      { label: 'uploads, 2xx', histogram: decodeHistogram(run.overload.result.histogram) },
      { label: '/healthz (from due time)', histogram: decodeHistogram(run.overload.healthz.histogram) },
    ],
  ));
  const paths = [join(dir, 'suite-throughput.png'), join(dir, 'suite-overload.png')];
  await writeFile(paths[0]!, throughput);
  await writeFile(paths[1]!, overload);
  return paths;
}
