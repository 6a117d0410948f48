// A plain reader of the Prometheus text exposition format (version 0.0.4), written apart from
// prom-client so the tests check what a scraper would read, not what the library meant.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Family name → type from `# TYPE` lines (counter, gauge, histogram, summary, untyped). */
  types: Map<string, string>;
  help: Map<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

/** Parses the text format; throws on a line it cannot read. */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (TYPE|HELP) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'TYPE' ? types : help).set(meta[2]!, meta[3]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a metrics line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    let read = 0;
    LABEL.lastIndex = 0;
    for (let m = LABEL.exec(body); m; m = LABEL.exec(body)) {
      labels[m[1]!] = m[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      read = LABEL.lastIndex;
    }
    if (read !== body.length) throw new Error(`bad labels in ${JSON.stringify(line)}`);
    samples.push({ name: match[1]!, labels, value: parseValue(match[3]!) });
  }
  return { samples, types, help };
}

// Values as Prometheus reads them (Go's strconv.ParseFloat): NaN and Inf in any letter case.
function parseValue(text: string): number {
  const special = text.toLowerCase();
  if (special === 'nan') return Number.NaN;
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`bad sample value ${text}`);
  return value;
}

/** Samples named `name` whose labels include every pair in `labels`. */
export function select(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one sample matching; throws if there are none or several. */
export function value(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = select(exposition, name, labels);
  if (found.length !== 1) throw new Error(`expected one ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]!.value;
}

/** Sum of the matching samples (0 when none). */
export function sum(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return select(exposition, name, labels).reduce((total, s) => total + s.value, 0);
}

/** The server's admission gauges: images in processing, admitted requests waiting or uploading, requests held unread. */
export interface Admission {
  inFlight: number;
  queued: number;
  waiting: number;
}

/**
 * Reads the admission gauges from `baseUrl`/metrics: what a test waits on instead of sleeping
 * ("the slow upload holds the only place" is `inFlight + queued >= 1`).
 * @throws Error when /metrics is unreachable or lacks one of the gauges.
 */
export async function admission(baseUrl: string): Promise<Admission> {
  const metrics = parseExposition(await (await fetch(`${baseUrl}/metrics`)).text());
  return {
    inFlight: value(metrics, 'histogram_in_flight_requests'),
    queued: value(metrics, 'histogram_queued_requests'),
    waiting: value(metrics, 'histogram_waiting_requests'),
  };
}

/** POST requests the server at `baseUrl` has answered, summed over routes and statuses from its /metrics. */
export async function postsAnswered(baseUrl: string): Promise<number> {
  return sum(parseExposition(await (await fetch(`${baseUrl}/metrics`)).text()), 'http_requests_total', { method: 'POST' });
}
