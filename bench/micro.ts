// Micro-benchmarks of the hot path's parts, one core, no HTTP: counting throughput, chart
// render + encode, decode per image size. Prints a table and rewrites the micro section of
// bench/RESULTS.md (between <!-- micro:begin --> and <!-- micro:end -->).
// Run: npm run bench:micro  (taskset -c 1 npm run bench:micro pins it to one CPU)
import sharp from 'sharp';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { countPixels, createPixelCounter } from '../server/histogram/count-pixels.ts';
import { chartConfig } from '../server/chart/chart-config.ts';
import { renderChartPng } from '../server/chart/render-chart.ts';
import { decodeImage } from '../server/image/decode-image.ts';
import { synthesizeImage } from '../client/generate/synthesize-image.ts';

sharp.cache(false);
sharp.concurrency(1);

const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 15);

/**
 * Median over `rounds` of the mean time of `batch` calls of `work`. Batches of several calls
 * charge each its share of the garbage collection its allocations cause, which a median of
 * single calls leaves out whenever the collection falls in another sample.
 */
async function medianMs(rounds: number, work: () => unknown, batch = 1): Promise<number> {
  for (let i = 0; i < 3; i++) await work(); // warm-up: JIT, codecs, fonts
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    for (let k = 0; k < batch; k++) await work();
    times.push((performance.now() - start) / batch);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Renders per timed sample of the chart figures. */
const CHART_BATCH = 10;

const rows: string[] = [];
const log = (line: string) => {
  console.log(line);
  rows.push(line);
};

// 1. Counting: a 12 MP photo-like image's real pixels (decoded), whole and in slices, and the
// cost of small calls, so a caller that counts in slices between other work can size them.
const photo = await synthesizeImage({ kind: 'photo', width: 4000, height: 3000, format: 'png' });
const photoRgb = new Uint8Array(await sharp(photo).raw().toBuffer());
const photoRgba = new Uint8Array(await sharp(photo).ensureAlpha().raw().toBuffer());
const photoGray = new Uint8Array(await sharp(photo).toColourspace('b-w').raw().toBuffer());
const SLICE_PIXELS = 349_525; // 1 MiB of RGB, less one byte: slices hold whole pixels
const countInSlices = (buffer: Uint8Array, channels: number) => {
  const counter = createPixelCounter(channels);
  const step = SLICE_PIXELS * channels;
  for (let at = 0; at < buffer.length; at += step) counter.add(buffer.subarray(at, at + step));
  return counter.finish();
};
const COUNTING_TARGET_GBPS = 1.6;
let rgbMs = Number.NaN;
log('| counting (one core) | bytes | median ms | GB/s | target |');
log('|---|---:|---:|---:|---|');
for (const [label, buffer, channels, count] of [
  ['12 MP RGB + luma', photoRgb, 3, countPixels],
  ['12 MP RGBA + luma', photoRgba, 4, countPixels],
  ['12 MP gray', photoGray, 1, countPixels],
  ['12 MP RGB + luma, `createPixelCounter` in 1 MiB slices', photoRgb, 3, countInSlices],
] as const) {
  const ms = await medianMs(ROUNDS, () => count(buffer, channels));
  const gbps = buffer.length / ms / 1e6;
  if (label === '12 MP RGB + luma') rgbMs = ms;
  const target =
    label === '12 MP RGB + luma'
      ? `≥ ${COUNTING_TARGET_GBPS} GB/s: ${gbps >= COUNTING_TARGET_GBPS ? 'met' : `missed (${((gbps / COUNTING_TARGET_GBPS) * 100).toFixed(0)} %)`}`
      : '—';
  log(`| ${label} | ${buffer.length} | ${ms.toFixed(1)} | ${gbps.toFixed(2)} | ${target} |`);
}

// Small calls are timed in batches of CALLS, the median batch divided by CALLS.
const CALLS = 50;
const perCallUs = async (buffer: Uint8Array, channels: number) => {
  const batchMs = await medianMs(ROUNDS * 2, () => {
    for (let i = 0; i < CALLS; i++) countPixels(buffer, channels);
  });
  return (1000 * batchMs) / CALLS;
};
const smallRgb = photoRgb.subarray(0, 225 * 225 * 3);
const fixedUs = await perCallUs(photoRgb.subarray(0, 16 * 3), 3);
const smallUs = await perCallUs(smallRgb, 3);
const msPerMiB = rgbMs / (photoRgb.length / 2 ** 20);
log('');
log('| counting cost per call, RGB + luma (one core) | cost |');
log('|---|---:|');
log(`| fixed cost of a call (\`countPixels\` of 16 pixels) | ${fixedUs.toFixed(1)} µs |`);
log(`| 225×225 image (50 625 pixels, ${smallRgb.length} bytes), one call | ${smallUs.toFixed(0)} µs |`);
log(`| per MiB of pixels (12 MP image) | ${msPerMiB.toFixed(3)} ms |`);
log(`| largest slice that stays under 1 ms | ${((1 - fixedUs / 1000) / msPerMiB).toFixed(2)} MiB |`);

// 2. Chart: the default 800×400 line chart of R, G, B, luma, render + PNG encode.
const raw = countPixels(photoRgb, 3);
const series = (['red', 'green', 'blue', 'luma'] as const).map((name, i) => [name, Array.from(i === 3 ? raw.luma : raw.channels[i]!)] as [string, number[]]);
const options = { width: 800, height: 400, type: 'line' as const, scale: 'linear' as const };
// Every chart with a title of its own, as real uploads have them.
let upload = 0;
const defaultChart = () => renderChartPng(chartConfig(series, options, `photo-${upload++}.png: 4000 × 3000 PNG, 256 bins`), 800, 400);
const chartMs = await medianMs(ROUNDS, defaultChart, CHART_BATCH);
const barMs = await medianMs(
  ROUNDS,
  () => renderChartPng(chartConfig(series, { ...options, type: 'bar', scale: 'log' }, `bar-${upload++}`), 800, 400),
  CHART_BATCH,
);
log('');
log('| chart (one core) | median ms | target |');
log('|---|---:|---|');
log(
  `| default 800×400 line chart, 4 channels, render + PNG encode | ${chartMs.toFixed(1)} | ≤ 10 ms: ${chartMs <= 10 ? 'met' : `missed by ${(chartMs - 10).toFixed(1)} ms`} |`,
);
log(`| 800×400 bar chart, log scale, 4 × 256 bars | ${barMs.toFixed(1)} | — |`);

// 3. Decode (header check + decode to raw, as the server does), per image size.
log('');
log('| decode to raw pixels (one libvips thread) | bytes | median ms | Mpixel/s |');
log('|---|---:|---:|---:|');
const images: Array<[string, Buffer, number]> = [
  ['225×225 JPEG', await synthesizeImage({ kind: 'photo', width: 225, height: 225, format: 'jpeg' }), 225 * 225],
  ['512×512 noise PNG', await synthesizeImage({ kind: 'noise', width: 512, height: 512, format: 'png' }), 512 * 512],
  ['1920×1080 JPEG', await synthesizeImage({ kind: 'photo', width: 1920, height: 1080, format: 'jpeg' }), 1920 * 1080],
  ['4000×3000 JPEG', await synthesizeImage({ kind: 'photo', width: 4000, height: 3000, format: 'jpeg' }), 4000 * 3000],
];
for (const [label, bytes, pixels] of images) {
  const input = new Uint8Array(bytes);
  const ms = await medianMs(label.startsWith('4000') ? 7 : ROUNDS, () => decodeImage(input, 50_000_000));
  log(`| ${label} | ${bytes.length} | ${ms.toFixed(2)} | ${(pixels / ms / 1000).toFixed(1)} |`);
}

const header = [
  '## Micro-benchmarks (`npm run bench:micro`)',
  '',
  `Measured ${new Date().toISOString()} on ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}); medians of ${ROUNDS} rounds after 3 warm-up rounds (a chart round: the mean of ${CHART_BATCH} renders, so each carries its share of garbage collection), one thread.`,
  `Command: \`${process.env.MICRO_COMMAND ?? 'npm run bench:micro'}\`. Images are the client's synthetic photo-like images (\`client generate --kind photo\`).`,
  '',
];
const path = new URL('./RESULTS.md', import.meta.url);
const section = `<!-- micro:begin -->\n${[...header, ...rows].join('\n')}\n<!-- micro:end -->`;
const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
const updated = current.includes('<!-- micro:begin -->')
  ? current.replace(/<!-- micro:begin -->[\s\S]*<!-- micro:end -->/, section)
  : current.replace(/^# Benchmark results\n/, `# Benchmark results\n\n${section}\n`);
writeFileSync(path, updated);
console.error(`wrote the micro section of ${path.pathname}`);
