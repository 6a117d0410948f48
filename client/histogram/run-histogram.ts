// The programmatic API behind the `client` command: uploads images, writes the outputs and
// returns one result per image. Prints nothing (see print-*.ts and progress-reporter.ts).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { postImage, RequestFailedError } from '../http/post-image.ts';
import { resolveHistogramUrl, withQuery } from '../http/resolve-url.ts';
import { expandInputs } from './expand-inputs.ts';
import { parseHistogramJson, type HistogramJson } from './histogram-json.ts';
import { outputNames } from './output-names.ts';
import { describeServerError } from './server-error.ts';

/** What the server can answer with, and so what an output file holds. */
export type OutputFormat = 'png' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['png', 'json', 'csv'];

/** Query parameters passed through to the server (docs/api.md, "Query parameters"). */
export interface HistogramQuery {
  bins?: number;
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
    let stats: HistogramJson | undefined;
    if (!output || (format === 'json' && options.query?.channels === undefined)) stats = parseHistogramJson(response.body);
    if (output) {
      if (format === 'png' && !response.body.subarray(0, 8).equals(PNG_SIGNATURE)) {
        throw new Error(`expected a PNG chart but the server sent ${response.headers['content-type'] ?? 'no content type'}`);
      }
      await mkdir(dirname(output), { recursive: true });
      await writeFile(output, response.body);
    }
    if (!stats && options.wantStats) {
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
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const tries = error instanceof RequestFailedError ? error.attempts : attempts;
    return { file, ok: false, elapsedMs: elapsed(), attempts: tries, message: readableFsError(error, file) ?? message };
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

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
