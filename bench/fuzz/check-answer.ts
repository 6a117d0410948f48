// Judges one answer against the contract: the status is one the error table allows, every error
// is JSON of the documented shape with a code that matches its status, and every 2xx is a
// well-formed result whose counts add up to `pixels` in each channel.
import type { Answer, Outcome } from './http-exchange.ts';
import type { Expectation } from './fuzz-case.ts';

/** Failure classes, in the order the summary lists them. */
export const FAILURE_KINDS = ['crash', 'memory', 'healthz', '5xx', 'no-answer', 'error-body', 'wrong-status', 'bad-2xx'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Problem {
  kind: FailureKind;
  detail: string;
}

/** The code each status must carry (the error table). */
export const CODE_FOR_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_IMAGE',
  500: 'INTERNAL',
  503: 'OVERLOADED',
  504: 'TIMEOUT',
};

export interface CheckOptions {
  /** Statuses tolerated on top of the expectation (the soak allows 503 OVERLOADED). */
  alsoAllowed?: readonly number[];
}

/** The problems with `outcome` (empty when it is a correct answer). */
export function checkOutcome(outcome: Outcome, expect: Expectation, options: CheckOptions = {}): Problem[] {
  if (outcome.kind === 'no-answer') return [{ kind: 'no-answer', detail: outcome.error }];
  const { answer } = outcome;
  const problems: Problem[] = [];
  const allowed = [...expect.statuses, ...(options.alsoAllowed ?? [])];
  const requestId = header(answer, 'x-request-id');
  if (!requestId) problems.push({ kind: answer.status >= 400 ? 'error-body' : 'bad-2xx', detail: 'no X-Request-Id header' });
  else if (expect.requestId && requestId !== expect.requestId)
    problems.push({ kind: 'bad-2xx', detail: `X-Request-Id is "${requestId}", not the "${expect.requestId}" sent` });

  if (answer.status >= 400) {
    const error = errorJson(answer, problems);
    const summary = error ? `${answer.status} ${error.code}: ${error.message}` : `${answer.status} ${snippet(answer.body)}`;
    // A 503 OVERLOADED with Retry-After is the documented shedding answer where the caller allows it.
    if (answer.status >= 500 && !(allowed.includes(answer.status) && answer.status === 503)) problems.push({ kind: '5xx', detail: summary });
    else if (!allowed.includes(answer.status))
      problems.push({ kind: 'wrong-status', detail: `${summary} (expected ${expect.statuses.join(' or ')}: ${expect.rule})` });
    if (error && requestId && error.requestId !== requestId)
      problems.push({ kind: 'error-body', detail: `error.requestId "${error.requestId}" differs from X-Request-Id "${requestId}"` });
    if (error && answer.status === 400 && expect.invalidParams.length > 0) {
      for (const name of expect.invalidParams) {
        if (!new RegExp(`\\b${name}\\b`).test(error.message))
          problems.push({ kind: 'error-body', detail: `400 message does not name the invalid parameter ${name}: ${error.message}` });
      }
    }
    if (answer.status === 503 && !header(answer, 'retry-after')) problems.push({ kind: 'error-body', detail: '503 without Retry-After' });
    return problems;
  }
  if (!allowed.includes(answer.status)) {
    problems.push({ kind: 'wrong-status', detail: `${answer.status} (expected ${expect.statuses.join(' or ')}: ${expect.rule})` });
    return problems;
  }
  if (answer.status === 200) problems.push(...checkResult(answer, expect));
  return problems;
}

function header(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function snippet(body: Buffer): string {
  return JSON.stringify(body.subarray(0, 160).toString('utf8'));
}

interface ErrorJson {
  code: string;
  message: string;
  requestId: string;
}

/** The `error` object of an error answer, or undefined (with the problem recorded). */
function errorJson(answer: Answer, problems: Problem[]): ErrorJson | undefined {
  const type = header(answer, 'content-type') ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body.toString('utf8'));
  } catch {
    problems.push({ kind: 'error-body', detail: `${answer.status} body is not JSON (Content-Type "${type}"): ${snippet(answer.body)}` });
    return undefined;
  }
  if (!/^application\/json\b/i.test(type)) problems.push({ kind: 'error-body', detail: `${answer.status} JSON body with Content-Type "${type}"` });
  const error = (parsed as { error?: unknown } | null)?.error as Partial<ErrorJson> | undefined;
  if (!error || typeof error !== 'object' || typeof error.code !== 'string' || typeof error.message !== 'string' || typeof error.requestId !== 'string') {
    problems.push({ kind: 'error-body', detail: `${answer.status} body lacks {"error": {"code", "message", "requestId"}}: ${snippet(answer.body)}` });
    return undefined;
  }
  const code = CODE_FOR_STATUS[answer.status];
  if (code && error.code !== code) problems.push({ kind: 'error-body', detail: `${answer.status} carries code ${error.code}, not ${code}` });
  if (error.message.trim() === '') problems.push({ kind: 'error-body', detail: `${answer.status} ${error.code} with an empty message` });
  return error as ErrorJson;
}

interface ChannelJson {
  counts?: unknown;
  mean?: unknown;
  stdev?: unknown;
  min?: unknown;
  max?: unknown;
  median?: unknown;
  p01?: unknown;
  p99?: unknown;
  entropy?: unknown;
}

function checkResult(answer: Answer, expect: Expectation): Problem[] {
  const type = header(answer, 'content-type') ?? '';
  const bad = (detail: string): Problem => ({ kind: 'bad-2xx', detail });
  if (expect.output === 'png') {
    if (!/^image\/png/i.test(type)) return [bad(`PNG chart asked for, Content-Type "${type}"`)];
    const b = answer.body;
    if (b.length < 24 || b.readUInt32BE(0) !== 0x89504e47 || b.toString('latin1', 12, 16) !== 'IHDR') return [bad(`chart is not a PNG: ${snippet(b)}`)];
    const [w, h] = [b.readUInt32BE(16), b.readUInt32BE(20)];
    const problems: Problem[] = [];
    if (w !== expect.chart.width || h !== expect.chart.height) problems.push(bad(`chart is ${w}×${h}, asked for ${expect.chart.width}×${expect.chart.height}`));
    if (!/no-store/.test(header(answer, 'cache-control') ?? '')) problems.push(bad('chart without Cache-Control: no-store'));
    return problems;
  }
  if (expect.output === 'csv') return checkCsv(answer, expect, type);
  if (!/^application\/json/i.test(type)) return [bad(`JSON asked for, Content-Type "${type}"`)];
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return [bad(`200 body is not JSON: ${snippet(answer.body)}`)];
  }
  const problems: Problem[] = [];
  const { width, height, pixels, bins, histogram, channels } = body as {
    width: unknown;
    height: unknown;
    pixels: unknown;
    bins: unknown;
    histogram: unknown;
    channels: unknown;
  };
  if (!isCount(width) || !isCount(height) || !isCount(pixels) || width * height !== pixels || pixels === 0) {
    return [bad(`width ${String(width)} × height ${String(height)} does not give pixels ${String(pixels)}`)];
  }
  if (bins !== expect.bins) problems.push(bad(`bins is ${String(bins)}, asked for ${expect.bins}`));
  const check = (name: string, counts: unknown) => {
    if (!Array.isArray(counts) || counts.length !== expect.bins || !counts.every(isCount)) {
      problems.push(bad(`${name} counts are not ${expect.bins} non-negative integers`));
      return;
    }
    const sum = (counts as number[]).reduce((a, b) => a + b, 0);
    if (sum !== pixels) problems.push(bad(`${name} counts sum to ${sum}, not pixels ${pixels}`));
  };
  check('histogram', histogram);
  if (!channels || typeof channels !== 'object') return [...problems, bad('no channels object')];
  const names = Object.keys(channels);
  if (expect.channels) {
    const want = [...expect.channels].sort().join(',');
    if ([...names].sort().join(',') !== want) problems.push(bad(`channels are ${names.join(',')}, asked for ${want}`));
  } else if (!names.includes('luma') || names.some((n) => !['red', 'green', 'blue', 'alpha', 'luma'].includes(n))) {
    problems.push(bad(`default channels are ${names.join(',')}`));
  }
  for (const [name, value] of Object.entries(channels as Record<string, ChannelJson>)) {
    check(name, value?.counts);
    problems.push(...checkStats(name, value).map(bad));
  }
  if (expect.control) {
    const { control } = expect;
    if (width !== control.width || height !== control.height || body.format !== control.format) {
      problems.push(bad(`control image is ${control.width}×${control.height} ${control.format}, answer says ${width}×${height} ${String(body.format)}`));
    }
  }
  return problems;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// Statistics computed from exact counts of 8-bit values must lie in these ranges.
function checkStats(name: string, stats: ChannelJson | undefined): string[] {
  if (!stats) return [`${name} missing`];
  const values = {
    min: stats.min,
    p01: stats.p01,
    median: stats.median,
    p99: stats.p99,
    max: stats.max,
    mean: stats.mean,
    stdev: stats.stdev,
    entropy: stats.entropy,
  };
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return [`${name}.${key} is ${JSON.stringify(value)}, not a number`];
  }
  const v = values as Record<keyof typeof values, number>;
  const problems: string[] = [];
  if (!(v.min >= 0 && v.min <= v.p01 && v.p01 <= v.median && v.median <= v.p99 && v.p99 <= v.max && v.max <= 255)) {
    problems.push(`${name} order statistics out of order: min ${v.min} p01 ${v.p01} median ${v.median} p99 ${v.p99} max ${v.max}`);
  }
  if (v.mean < v.min - 1e-9 || v.mean > v.max + 1e-9) problems.push(`${name}.mean ${v.mean} outside [${v.min}, ${v.max}]`);
  if (v.stdev < 0 || v.stdev > 128) problems.push(`${name}.stdev ${v.stdev} outside [0, 128]`);
  if (v.entropy < 0 || v.entropy > 8 + 1e-9) problems.push(`${name}.entropy ${v.entropy} outside [0, 8] bits`);
  return problems;
}

function checkCsv(answer: Answer, expect: Expectation, type: string): Problem[] {
  const bad = (detail: string): Problem => ({ kind: 'bad-2xx', detail });
  if (!/^text\/csv/i.test(type)) return [bad(`CSV asked for, Content-Type "${type}"`)];
  const lines = answer.body.toString('utf8').trimEnd().split('\n');
  const header = lines[0]?.split(',') ?? [];
  if (header[0] !== 'value' || header.length < 2) return [bad(`CSV header is ${JSON.stringify(lines[0])}`)];
  const names = header.slice(1);
  const problems: Problem[] = [];
  if (expect.channels && [...names].sort().join(',') !== [...expect.channels].sort().join(','))
    problems.push(bad(`CSV channels are ${names.join(',')}, asked for ${[...expect.channels].sort().join(',')}`));
  const rows = lines.slice(1);
  if (rows.length !== expect.bins) problems.push(bad(`CSV has ${rows.length} rows, asked for ${expect.bins} bins`));
  // Pixels is not in the CSV: every column must sum to the same positive total.
  const sums = names.map(() => 0);
  for (const row of rows) {
    const cells = row.split(',').map(Number);
    if (cells.length !== header.length || !cells.every(isCount)) return [...problems, bad(`CSV row ${JSON.stringify(row)} is not ${header.length} counts`)];
    for (const [i, c] of cells.slice(1).entries()) sums[i]! += c;
  }
  if (sums.some((s) => s !== sums[0]) || sums[0] === 0)
    problems.push(bad(`CSV columns sum to ${names.map((n, i) => `${n} ${sums[i]}`).join(', ')}: not one positive pixel count`));
  return problems;
}
