// PNG plots beside RESULTS.md: JSON throughput per image and server against the decode-only
// ceiling, and goodput under the two overloads as a fraction of each server's closed-loop maximum.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { barChart, renderChart } from '../client/report/report-chart.ts';
import { bestRate, goodputRatio, versusRate, VERSUS_CONNECTIONS } from './suite-summary.ts';
import type { SubjectId, SuiteRun } from './suite-types.ts';

const COLOUR: Readonly<Record<SubjectId | 'decode', string>> = { decode: '#7f7f7f', old: '#ff7f0e', baseline: '#d62728', this: '#1f77b4' };

/** Gives each dataset its producer's colour, the same in every plot. */
function paint(config: { data: { datasets: Array<{ backgroundColor?: unknown }> } }, producers: ReadonlyArray<SubjectId | 'decode'>): void {
  config.data.datasets.forEach((dataset, k) => {
    dataset.backgroundColor = COLOUR[producers[k]!];
  });
}

/** Writes suite-throughput.png and suite-overload.png into `dir`; returns their paths. */
export async function writeSuitePlots(run: SuiteRun, dir: string): Promise<string[]> {
  const measured = run.subjects.filter((s) => s.measured);
  const labels = run.images.map((i) => i.label);
  const throughputBars = [
    { label: 'decode only (sharp, best C)', values: run.images.map((i) => bestRate(run, i.id, 'decode') ?? 0) },
    ...measured.map((s) => ({
      label: `${s.label}, C=${VERSUS_CONNECTIONS}`,
      values: run.images.map((i) => versusRate(run, i.id, s.id) ?? 0),
    })),
  ];
  const throughputConfig = barChart('JSON requests per second (2xx), one CPU, log scale', 'req/s', throughputBars, labels);
  (throughputConfig.options!.scales as Record<string, unknown>).y = { type: 'logarithmic', title: { display: true, text: 'req/s' } };
  paint(throughputConfig as never, ['decode', ...measured.map((m) => m.id)]);
  const throughput = await renderChart(throughputConfig);

  const loads = [
    ['wrk-c100', 'wrk -c100'],
    ['open-1000', 'open model 1000/s'],
  ] as const;
  const overloadConfig = barChart(
    'Goodput under overload: 2xx/s ÷ closed-loop maximum (target ≥ 0.9)',
    '÷ closed-loop maximum',
    measured.map((s) => ({ label: s.label, values: loads.map(([load]) => goodputRatio(run, s.id, load) ?? 0) })),
    loads.map(([, name]) => name),
  );
  (overloadConfig.options!.scales as Record<string, unknown>).y = { min: 0, max: 1, title: { display: true, text: '÷ closed-loop maximum' } };
  paint(
    overloadConfig as never,
    measured.map((m) => m.id),
  );
  const overload = await renderChart(overloadConfig);
  const paths = [join(dir, 'suite-throughput.png'), join(dir, 'suite-overload.png')];
  await writeFile(paths[0]!, throughput);
  await writeFile(paths[1]!, overload);
  return paths;
}
