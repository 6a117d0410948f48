// The programmatic API behind the `client` command: uploads images, writes the outputs and
// returns one result per image. Prints nothing (see print-*.ts and progress-reporter.ts).
import { mkdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { postImage, RequestFailedError } from '../http/post-image.ts';
import { resolveHistogramUrl, withQuery } from '../http/resolve-url.ts';
import { expandInputs } from './expand-inputs.ts';
import { parseHistogramAnswer, parseHistogramJson, type HistogramJson, type LegacyHistogram } from './histogram-json.ts';
import { legacyChartPng, legacyCsv, legacyJson } from './legacy-outputs.ts';
import { outputNames } from './output-names.ts';
import { describeServerError } from './server-error.ts';
import { writeOutput } from './write-output.ts';

/** What the server can answer with, and so what an output file holds. */
export type OutputFormat = 'png' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['png', 'json', 'csv'];

/** Query parameters passed through to the server (docs/api.md, "Query parameters"). */
export interface HistogramQuery {
  bins?: number;
  /** 8 or 16: the sample depth to count at. */
  depth?: number;
  /** `full`, `data` or `LO,HI`. */
  range?: string;
  /** `alpha`: count only pixels whose alpha is not 0. */
  mask?: 'alpha';
  channels?: string;
  width?: number;
  height?: number;
  scale?: 'linear' | 'log';
  type?: 'line' | 'bar';
}

export interface HistogramOptions {
  /** Files, folders and globs (see expandInputs). */
  images: string[];
  /** Server URL; a bare base gets /v1/histogram. */
  url: string;
  /** The output file of a single image; its extension picks the format. */
  output?: string;
  /** Folder for one output per image (created if missing). */
  outDir?: string;
  /** Format of the --out-dir outputs (default: from `output`'s extension, else png). */
  format?: OutputFormat;
  query?: HistogramQuery;
  /** Uploads in flight at once (default 1). */
  concurrency?: number;
  /** Per attempt (default 60 000). */
  timeoutMs?: number;
  /** Further attempts after 503 or a connection error (default 0). */
  retries?: number;
  headers?: Record<string, string>;
  /** Also fetch the JSON statistics when the output is PNG/CSV (one more request per image). */
  wantStats?: boolean;
  onResult?: (result: ImageResult, finished: number, total: number) => void;
  onRetry?: (file: string, info: { attempt: number; waitMs: number; reason: string }) => void;
  /**
   * Called once per run, on the first answer that comes from an older server (luma histogram
   * only), with the query parameters that server cannot apply.
   */
  onLegacyServer?: (url: URL, ignored: readonly string[]) => void;
  /** Called once the inputs are expanded, before any upload; `single` as in HistogramRun. */
  onStart?: (files: readonly string[], single: boolean) => void;
}

interface ResultBase {
  file: string;
  /** Client-side milliseconds for this image, all requests and retries included. */
  elapsedMs: number;
  /** Attempts of the main request (1 = no retry). */
  attempts: number;
}
export interface ImageSuccess extends ResultBase {
  ok: true;
  bytes: number;
  output?: string;
  servedBy?: string;
  requestId?: string;
  stats?: HistogramJson;
  /** Set instead of `stats` when an older server answered: its luma histogram. */
  legacy?: LegacyHistogram;
}
export interface ImageFailure extends ResultBase {
  ok: false;
  status?: number;
  code?: string;
  message: string;
}
export type ImageResult = ImageSuccess | ImageFailure;

export interface HistogramRun {
  url: URL;
  /** True when the user named one file: the caller shows its histogram. */
  single: boolean;
  results: ImageResult[];
  elapsedMs: number;
  failed: number;
}

/** `png` for `chart.png`, etc. @throws Error for any other extension. */
export function formatFromPath(path: string): OutputFormat {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'png' || ext === 'json' || ext === 'csv') return ext;
  throw new Error(`Expected an output file ending in .png, .json or .csv but received ${JSON.stringify(path)}`);
}

/**
 * Runs the whole job. Input and option problems throw before any upload (InputError for
 * `--image`, Error for the URL or output name); per-image failures (server errors, no
 * connection) are results with `ok: false`, never throws.
 */
export async function runHistogram(options: HistogramOptions): Promise<HistogramRun> {
  const started = performance.now();
  const url = resolveHistogramUrl(options.url);
  const { files, single } = await expandInputs(options.images);
  if (options.output && files.length > 1) {
    throw new Error(`--histogram names one output file but ${files.length} images were given: use --out-dir`);
  }
  const format = options.format ?? (options.output ? formatFromPath(options.output) : 'png');
  const outputs: (string | undefined)[] = options.output
    ? [options.output]
    : options.outDir
      ? outputNames(files, options.outDir, format)
      : files.map(() => undefined);
  if (options.outDir) await mkdir(options.outDir, { recursive: true });
  options.onStart?.(files, single);

  const results: ImageResult[] = new Array(files.length);
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const result = await processImage(files[index]!, outputs[index], format, url, options);
      results[index] = result;
      options.onResult?.(result, ++finished, files.length);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, files.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    url,
    single,
    results,
    elapsedMs: performance.now() - started,
    failed: results.filter((r) => !r.ok).length,
  };
}

async function processImage(file: string, output: string | undefined, format: OutputFormat, url: URL, options: HistogramOptions): Promise<ImageResult> {
  const started = performance.now();
  let attempts = 0;
  const elapsed = () => performance.now() - started;
  try {
    const bytes = await readFile(file);
    // `channels` shapes the output file only: the statistics shown always cover every channel,
    // so the summary has luma even when the file holds just `red`.
    const request = async (wanted: OutputFormat, forDisplay: boolean) => {
      const query = forDisplay ? { ...options.query, channels: undefined } : options.query;
      const response = await postImage({
        url: withQuery(url, { ...query, format: wanted }),
        bytes,
        fileName: file,
        headers: options.headers,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        onRetry: (info) => options.onRetry?.(file, info),
      });
      attempts ||= response.attempts;
      if (response.status !== 200) {
        const failure = describeServerError(response.status, response.headers, response.body, url);
        return { failure };
      }
      return { response };
    };
    const main = await request(output ? format : 'json', !output);
    if ('failure' in main) return { file, ok: false, elapsedMs: elapsed(), attempts, ...main.failure! };
    const { response } = main;
    const contentType = headerValue(response.headers['content-type']);
    let stats: HistogramJson | undefined;
    let legacy: LegacyHistogram | undefined;
    // JSON where a chart or table was asked for: an older server, which answers JSON whatever
    // the query says.
    const jsonAnswer = format === 'json' || !output || /json/i.test(contentType ?? '');
    if (jsonAnswer) {
      const answer = parseHistogramAnswer(response.body);
      if (answer.kind === 'legacy') {
        legacy = answer.legacy;
        reportLegacy(url, options);
      } else if (output && format !== 'json') {
        throw new Error(`expected a ${format === 'png' ? 'PNG chart' : 'CSV table'} but the server sent a JSON histogram`);
      } else if (!output || options.query?.channels === undefined) {
        stats = answer.json;
      }
    }
    if (output) {
      if (legacy) await writeOutput(output, format, await legacyContent(legacy, format, file, options.query));
      else await writeOutput(output, format, response.body, contentType);
    }
    if (!stats && !legacy && options.wantStats) {
      const extra = await request('json', true);
      if ('failure' in extra) return { file, ok: false, elapsedMs: elapsed(), attempts, ...extra.failure! };
      stats = parseHistogramJson(extra.response!.body);
    }
    return {
      file,
      ok: true,
      elapsedMs: elapsed(),
      attempts,
      bytes: bytes.length,
      output,
      servedBy: headerValue(response.headers['x-served-by']) ?? stats?.servedBy,
      requestId: headerValue(response.headers['x-request-id']),
      stats,
      legacy,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const tries = error instanceof RequestFailedError ? error.attempts : attempts;
    return { file, ok: false, elapsedMs: elapsed(), attempts: tries, message: readableFsError(error, file) ?? message };
  }
}

/** Query parameters an older server cannot apply (the chart's own settings the client draws with). */
const NOT_APPLIED_BY_OLDER_SERVERS = ['bins', 'depth', 'range', 'mask', 'channels'] as const;

const reported = new WeakSet<HistogramOptions>();

/** Tells the caller, once per run, that an older server answered. */
function reportLegacy(url: URL, options: HistogramOptions): void {
  if (reported.has(options)) return;
  reported.add(options);
  const ignored = NOT_APPLIED_BY_OLDER_SERVERS.filter((name) => options.query?.[name] !== undefined);
  options.onLegacyServer?.(url, ignored);
}

/** The output file's content for an older server's answer, made here. */
async function legacyContent(legacy: LegacyHistogram, format: OutputFormat, file: string, query: HistogramQuery | undefined): Promise<Buffer | string> {
  if (format === 'json') return legacyJson(legacy);
  if (format === 'csv') return legacyCsv(legacy);
  return legacyChartPng(legacy, basename(file), { width: query?.width, height: query?.height, scale: query?.scale, type: query?.type });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** File-system errors in words (the input vanished, the output folder is read-only). */
function readableFsError(error: unknown, file: string): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const path = (error as { path?: unknown } | null)?.path;
  if (typeof code !== 'string' || typeof path !== 'string') return undefined;
  if (code === 'ENOENT') return `cannot read ${path}: no such file`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot access ${path}: permission denied`;
  if (code === 'EISDIR') return `${path} is a folder, not a file`;
  return path === file ? `cannot read ${path}: ${code}` : `cannot write ${path}: ${code}`;
}
