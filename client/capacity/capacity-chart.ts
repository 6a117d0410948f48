// The capacity chart: latency percentiles against offered rate (log scale, so the knee stands
// out), with the latency objectives as dashed lines, above achieved against offered rate.
import type { ChartConfiguration } from 'chart.js';
import { renderChart, stackPngs } from '../report/report-chart.ts';
import { parseObjectives } from './objectives.ts';
import type { CapacityAnswer } from './capacity-answer.ts';

const SERIES = [
  { key: 'p50', label: 'p50', colour: '#2ca02c' },
  { key: 'p90', label: 'p90', colour: '#1f77b4' },
  { key: 'p99', label: 'p99', colour: '#d62728' },
  { key: 'p999', label: 'p99.9', colour: '#9467bd' },
] as const;

/** chart.js configuration of the latency panel. */
export function latencyVsRateChart(answer: CapacityAnswer): ChartConfiguration {
  const steps = [...answer.steps].sort((a, b) => a.offeredRate - b.offeredRate);
  const maxRate = Math.max(...steps.map((s) => s.offeredRate));
  const limits = parseObjectives(answer.objectives).flatMap((o) => (o.kind === 'latency' ? [o] : []));
  return {
    type: 'scatter',
    data: {
      datasets: [
        ...SERIES.map(({ key, label, colour }) => ({
          label: `${label} (corrected)`,
          data: steps.map((s) => ({ x: s.offeredRate, y: Math.max(s.latencyUs[key], 1) / 1000 })),
          borderColor: colour,
          backgroundColor: colour,
          showLine: true,
          borderWidth: 2,
          pointRadius: 4,
        })),
        {
          label: 'p99 (uncorrected)',
          data: steps.filter((s) => s.uncorrectedLatencyUs).map((s) => ({ x: s.offeredRate, y: Math.max(s.uncorrectedLatencyUs!.p99, 1) / 1000 })),
          borderColor: '#ff7f0e',
          backgroundColor: '#ff7f0e',
          showLine: true,
          borderWidth: 1.5,
          borderDash: [3, 3],
          pointRadius: 2,
        },
        ...limits.map((o) => ({
          label: `objective ${o.text}`,
          data: [
            { x: 0, y: o.maxUs / 1000 },
            { x: maxRate, y: o.maxUs / 1000 },
          ],
          borderColor: '#555555',
          backgroundColor: '#555555',
          showLine: true,
          borderWidth: 1,
          borderDash: [8, 4],
          pointRadius: 0,
        })),
      ],
    },
    options: {
      parsing: false,
      plugins: {
        title: {
          display: true,
          text: `Latency of 2xx responses against offered rate${answer.sustainedRate !== null ? ` (sustained ${answer.sustainedRate} req/s)` : ''}`,
        },
        legend: { position: 'top' },
      },
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: 'offered rate (req/s)' } },
        y: { type: 'logarithmic', title: { display: true, text: 'latency (ms, log scale)' } },
      },
    },
  };
}

/** chart.js configuration of the throughput panel: achieved 2xx/s and the ideal y = x. */
export function achievedVsOfferedChart(answer: CapacityAnswer): ChartConfiguration {
  const steps = [...answer.steps].sort((a, b) => a.offeredRate - b.offeredRate);
  const maxRate = Math.max(...steps.map((s) => s.offeredRate));
  return {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'achieved (2xx/s)',
          data: steps.map((s) => ({ x: s.offeredRate, y: s.achievedRate })),
          borderColor: '#1f77b4',
          backgroundColor: '#1f77b4',
          showLine: true,
          borderWidth: 2,
          pointRadius: 4,
        },
        {
          label: 'achieved = offered',
          data: [
            { x: 0, y: 0 },
            { x: maxRate, y: maxRate },
          ],
          borderColor: '#7f7f7f',
          backgroundColor: '#7f7f7f',
          showLine: true,
          borderWidth: 1,
          borderDash: [6, 4],
          pointRadius: 0,
        },
        ...(answer.sustainedRate !== null
          ? [
              {
                label: `sustained ${answer.sustainedRate} req/s`,
                data: [
                  { x: answer.sustainedRate, y: 0 },
                  { x: answer.sustainedRate, y: maxRate },
                ],
                borderColor: '#2ca02c',
                backgroundColor: '#2ca02c',
                showLine: true,
                borderWidth: 1.5,
                borderDash: [2, 3],
                pointRadius: 0,
              },
            ]
          : []),
      ],
    },
    options: {
      parsing: false,
      plugins: { title: { display: true, text: 'Achieved against offered rate' }, legend: { position: 'top' } },
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: 'offered rate (req/s)' } },
        y: { type: 'linear', min: 0, title: { display: true, text: 'achieved rate (2xx/s)' } },
      },
    },
  };
}

/** The chart as PNG bytes: latency panel above throughput panel. */
export async function renderCapacityChart(answer: CapacityAnswer): Promise<Buffer> {
  return stackPngs([await renderChart(latencyVsRateChart(answer)), await renderChart(achievedVsOfferedChart(answer))]);
}
