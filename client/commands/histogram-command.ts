// The default command: `client --image FILE|FOLDER|GLOB --url URL [--histogram out.png]` —
// uploads images, writes charts/tables and prints histograms (one image) or a batch summary.
import type { Argv, CommandModule } from 'yargs';
import { parseHeaders } from '../http/parse-headers.ts';
import { formatFailure, formatBatchSummary, formatHistograms, formatSummaryLine, olderServerNotice } from '../histogram/print-result.ts';
import { checkRange } from '../histogram/check-range.ts';
import { createProgressReporter } from '../histogram/progress-reporter.ts';
import { OUTPUT_FORMATS, runHistogram, type OutputFormat } from '../histogram/run-histogram.ts';

import {
  CHANNEL_NAMES,
  CHART_HEIGHT,
  CHART_SCALES,
  CHART_TYPES,
  DEFAULT_DEPTH,
  DEPTHS,
  MASKS,
  MAX_BINS,
  MIN_BINS,
  CHART_WIDTH,
  type Depth,
} from '../../server/api/query-limits.ts';
import { writeUsageError } from '../cli-usage.ts';

/** Exit status when at least one image failed. */
export const EXIT_FAILED = 1;

/** The server's limits (one module that both read): a value it would refuse is refused here before any upload. */
const CHART_LIMITS = { 'chart-width': CHART_WIDTH, 'chart-height': CHART_HEIGHT } as const;

interface HistogramArgs {
  image: string[];
  url: string;
  histogram?: string;
  'out-dir'?: string;
  format?: OutputFormat;
  bins?: number;
  depth?: Depth;
  range?: string;
  mask?: (typeof MASKS)[number];
  channels?: string;
  'chart-width'?: number;
  'chart-height'?: number;
  scale?: (typeof CHART_SCALES)[number];
  type?: (typeof CHART_TYPES)[number];
  concurrency: number;
  timeout: number;
  retries: number;
  header: string[];
  quiet: boolean;
  color?: boolean;
}

const COLOUR_CHANNELS = ['red', 'green', 'blue', 'alpha'];

function builder(yargs: Argv): Argv<HistogramArgs> {
  return yargs
    .usage('$0 --image <file|folder|glob>... [--url URL] [--histogram out.png | --out-dir DIR]')
    .option('image', {
      alias: 'i',
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'Image file(s), a folder (its image files) or a quoted glob such as "photos/**/*.jpg"',
    })
    .option('url', {
      alias: 'u',
      type: 'string',
      default: 'http://localhost:8080',
      describe: 'Server URL; a bare base URL gets /v1/histogram, /process-image is kept',
    })
    .option('histogram', { alias: 'o', type: 'string', describe: 'Output file for one image: .png chart, .json or .csv' })
    .option('out-dir', { alias: 'd', type: 'string', describe: 'Folder for one output per image, named after it (<name>.<format>)' })
    .option('format', { alias: 'f', choices: OUTPUT_FORMATS, describe: 'Output format in --out-dir [default: png]' })
    .option('bins', {
      type: 'number',
      describe: `Equal-width bins, ${MIN_BINS}..${MAX_BINS[8]} (${MIN_BINS}..${MAX_BINS[16]} with --depth 16) [server default: 256]`,
    })
    .option('depth', {
      choices: DEPTHS,
      coerce: (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
      describe: `Sample depth to count at: 16 counts 16-bit images over 0..65535 [server default: ${DEFAULT_DEPTH}]`,
    })
    .option('range', {
      type: 'string',
      describe:
        "Values the bins span: full (the depth's whole scale), data (each channel's min..max, as the old service binned) or LO,HI [server default: full]",
    })
    .option('mask', { choices: MASKS, describe: 'alpha: count only pixels whose alpha is not 0 [server default: every pixel]' })
    .option('channels', {
      type: 'string',
      describe: 'Also draw the colour channels; with a list (red,green,blue,alpha,luma) also asks the server for only those',
    })
    .option('chart-width', {
      type: 'number',
      describe: `Chart width in pixels, ${CHART_WIDTH.min}..${CHART_WIDTH.max} [server default: ${CHART_WIDTH.default}]`,
    })
    .option('chart-height', {
      type: 'number',
      describe: `Chart height in pixels, ${CHART_HEIGHT.min}..${CHART_HEIGHT.max} [server default: ${CHART_HEIGHT.default}]`,
    })
    .option('scale', { choices: CHART_SCALES, describe: 'Chart y scale' })
    .option('type', { choices: CHART_TYPES, describe: 'Chart type' })
    .option('concurrency', { alias: 'c', type: 'number', default: 4, describe: 'Uploads in flight at once in a batch' })
    .option('timeout', { alias: 't', type: 'number', default: 60, describe: 'Seconds to wait for each response' })
    .option('retries', { alias: 'r', type: 'number', default: 2, describe: 'Further attempts after 503 (waiting Retry-After) or a connection error' })
    .option('header', {
      alias: 'H',
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Extra request header "Name: value" (repeatable), e.g. "Host: histogram.local" for an Ingress',
    })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'One image: print only the summary line (no terminal histogram, no extra JSON request)',
    })
    .option('color', { type: 'boolean', describe: 'Colour the terminal histograms [default: when stdout is a terminal and NO_COLOR is unset]' })
    .check((argv) => {
      if (argv.histogram && argv['out-dir']) throw new Error('--histogram and --out-dir are alternatives: give one');
      const maxBins = MAX_BINS[(argv.depth as Depth | undefined) ?? DEFAULT_DEPTH];
      const limits = { bins: { min: MIN_BINS, max: maxBins }, ...CHART_LIMITS };
      for (const [name, { min, max }] of Object.entries(limits)) {
        const value = argv[name as keyof typeof limits];
        if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
          const depth = name === 'bins' && argv.depth !== undefined ? ` at --depth ${argv.depth}` : '';
          throw new Error(`Expected integer between ${min} and ${max} for --${name}${depth} but received ${value}`);
        }
      }
      if (argv.range !== undefined) checkRange(argv.range);
      const unknown = (argv.channels ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c && !(CHANNEL_NAMES as readonly string[]).includes(c));
      if (unknown.length > 0)
        throw new Error(`Expected channels from ${CHANNEL_NAMES.join(',')} for --channels but received ${JSON.stringify(unknown.join(','))}`);
      for (const name of ['concurrency', 'retries', 'timeout'] as const) {
        const value = argv[name];
        if (!Number.isFinite(value) || value < (name === 'retries' ? 0 : 1e-3) || (name === 'concurrency' && !Number.isInteger(value))) {
          throw new Error(
            `Expected a ${name === 'timeout' ? 'positive number' : name === 'retries' ? 'whole number >= 0' : 'whole number >= 1'} for --${name} but received ${value}`,
          );
        }
      }
      return true;
    })
    .example(
      '$0 --image lenna.jpeg --url http://localhost:8080/process-image --histogram out.png',
      'One image: chart to out.png, histogram and summary on the terminal',
    )
    .example('$0 -i lenna.jpeg -o lenna.json --channels', 'JSON to a file; draw luma, red, green and blue')
    .example('$0 -i scan.png -o scan.csv --range data', "Bins over the data's min..max, as the old service counted")
    .example('$0 -i photos/ --out-dir charts --concurrency 8', 'Every image in photos/ to charts/<name>.png, 8 at a time')
    .example('$0 -i "shots/**/*.jpg" -d out -f csv --retries 5', 'A glob (quoted, so the client expands it) to CSV tables')
    .example(
      'HISTOGRAM_URL=http://127.0.0.1:8080 $0 -i a.png -H "Host: histogram.local"',
      'URL from the environment, Host header for an Ingress',
    ) as unknown as Argv<HistogramArgs>;
}

async function handler(argv: HistogramArgs): Promise<void> {
  const useColor = argv.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  const columns = process.stdout.columns || Number(process.env.COLUMNS) || 80;
  const channelList =
    argv.channels === undefined
      ? undefined
      : argv.channels
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean);
  const progress = createProgressReporter(process.stderr);
  let single = false;
  try {
    const headers = parseHeaders(argv.header);
    const run = await runHistogram({
      images: argv.image,
      url: argv.url,
      output: argv.histogram,
      outDir: argv['out-dir'],
      format: argv.format,
      query: {
        bins: argv.bins,
        depth: argv.depth,
        range: argv.range?.trim(),
        mask: argv.mask,
        channels: channelList && channelList.length > 0 ? channelList.join(',') : undefined,
        width: argv['chart-width'],
        height: argv['chart-height'],
        scale: argv.scale,
        type: argv.type,
      },
      concurrency: argv.concurrency,
      timeoutMs: argv.timeout * 1000,
      retries: argv.retries,
      headers,
      wantStats: !argv.quiet,
      onStart: (files, isSingle) => {
        single = isSingle;
        if (!single) progress.start(files.length);
      },
      onResult: (result, finished, total) => {
        if (!single) progress.update(result, finished, total);
      },
      onRetry: (file, info) => progress.retry(file, info),
      onLegacyServer: (url, ignored) => process.stderr.write(`${olderServerNotice(url, ignored)}\n`),
    });
    progress.finish();
    if (run.single) {
      const result = run.results[0]!;
      if (!result.ok) {
        process.stderr.write(`${formatFailure(result)}\n`);
        process.exitCode = EXIT_FAILED;
        return;
      }
      if (!argv.quiet && (result.stats || result.legacy)) {
        const shown = channelList === undefined ? [] : channelList.length > 0 ? channelList : COLOUR_CHANNELS;
        process.stdout.write(`${formatHistograms(result, { columns, color: useColor, channels: shown })}\n\n`);
      }
      process.stdout.write(`${formatSummaryLine(result)}\n`);
      return;
    }
    process.stdout.write(`${formatBatchSummary(run)}\n`);
    if (run.failed > 0) process.exitCode = EXIT_FAILED;
  } catch (error) {
    progress.finish();
    // Everything that throws here happens before the first upload: a usage problem.
    writeUsageError(error);
  }
}

/** `histogram-client [--image ...]`: the default command. */
export const histogramCommand: CommandModule<object, HistogramArgs> = {
  command: '$0',
  describe: 'Ask the server for the histogram of one image, or of many (a batch)',
  builder,
  handler,
};
