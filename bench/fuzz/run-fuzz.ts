// run(options): the mutation fuzz as a function. Starts the real server as a child process
// (or targets a URL), sends the seeded cases over HTTP with bounded concurrency, checks each
// answer against the contract, watches /healthz and the process, saves every failing input,
// and returns the tallies. Prints nothing.
import { Agent } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type ServerProcess } from '../../test/helpers/server-process.ts';
import { makeSeedImages, type SkippedSeed } from './seed-images.ts';
import { makeConfusions } from './confusions.ts';
import { makeCase, type CaseSources, type FuzzCase } from './fuzz-case.ts';
import { exchange, type Outcome } from './http-exchange.ts';
import { checkOutcome, type FailureKind, type Problem } from './check-answer.ts';
import { watchHealth, type HealthReport } from './health-watch.ts';

export interface FuzzOptions {
  /** Cases to send (default 2000). */
  count?: number;
  /** Run seed; every case derives from it and its index. */
  seed: number;
  /** Stop starting new cases after this long (ms); unlimited by default. */
  durationMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Target server; default: start `server/main.ts` as a child process on a free port. */
  url?: string;
  /** Environment of the started server. */
  serverEnv?: Record<string, string>;
  /** Send only these case indexes (replay). */
  cases?: readonly number[];
  /** Folder for failing inputs; undefined: not saved. */
  outDir?: string;
  /** A /healthz probe unanswered for this long is a failure (default 5000 ms). */
  healthzTimeoutMs?: number;
  /** Time between /healthz probes (default 500 ms). */
  healthzIntervalMs?: number;
  /** A request unanswered for this long is a failure (default 60000 ms). */
  requestTimeoutMs?: number;
  /** Called after each answered case. */
  onProgress?: (done: number, planned: number) => void;
}

export interface FuzzFailure {
  index: number;
  seed: number;
  family: string;
  problems: Problem[];
  status: number | null;
  request: { path: string; transport: string; framing: string; client: string; contentType: string; bytes: number };
  steps: string[];
  /** Where the input was saved (file bytes and a .json description). */
  savedAs?: string;
}

export interface FamilyTally {
  inputs: number;
  /** "200", "422 UNPROCESSABLE_IMAGE", "no answer", ... → count. */
  statuses: Record<string, number>;
  failures: number;
}

export interface FuzzResult {
  seed: number;
  planned: number;
  sent: number;
  durationMs: number;
  concurrency: number;
  url: string;
  startedServer: boolean;
  byFamily: Record<string, FamilyTally>;
  /** Over every case: status (and error code) → count. */
  statuses: Record<string, number>;
  /** How cases were sent: "multipart", "raw", "chunked", "write-first", "output png", ... → count. */
  sending: Record<string, number>;
  failures: FuzzFailure[];
  /** Failing cases by failure kind (a case may count under several). */
  failureKinds: Partial<Record<FailureKind, number>>;
  /** Problems not tied to one case: /healthz, a server exit. */
  serverProblems: Problem[];
  healthz: HealthReport;
  slowest: Array<{ index: number; family: string; status: number | null; ms: number }>;
  skippedSeeds: SkippedSeed[];
}

/** Runs the fuzz; resolves once every case is answered (or the server died). */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const planned = options.cases ? options.cases.length : (options.count ?? 2000);
  const { seeds, skipped } = await makeSeedImages();
  const sources: CaseSources = { seeds, confusions: makeConfusions(seeds) };
  let server: ServerProcess | undefined;
  if (!options.url) server = await startServer({ env: { ...options.serverEnv }, waitReady: true });
  const url = options.url ?? server!.url;
  const serverProblems: Problem[] = [];
  const inFlight = new Map<number, FuzzCase>();
  let dead = false;
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    dead = true;
    serverProblems.push({
      kind: 'crash',
      detail: `server exited (code ${code}, signal ${signal}) with cases ${[...inFlight.keys()].join(', ') || 'none'} in flight`,
    });
  };
  server?.proc.once('exit', onExit);
  // If this process dies before the finally below (an uncaught error), take the server along.
  const killServer = () => server?.proc.kill('SIGKILL');
  process.once('exit', killServer);
  const health = watchHealth(url, options.healthzIntervalMs ?? 500, options.healthzTimeoutMs ?? 5000, (detail) => {
    serverProblems.push({ kind: 'healthz', detail: `${detail} (cases in flight: ${[...inFlight.keys()].join(', ') || 'none'})` });
  });

  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const result: FuzzResult = {
    seed: options.seed,
    planned,
    sent: 0,
    durationMs: 0,
    concurrency,
    url,
    startedServer: server !== undefined,
    byFamily: {},
    statuses: {},
    sending: {},
    failures: [],
    failureKinds: {},
    serverProblems,
    healthz: { probes: 0, latenciesMs: [], failures: [] },
    slowest: [],
    skippedSeeds: skipped,
  };
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  let next = 0;
  const worker = async () => {
    for (;;) {
      if (dead || performance.now() > deadline || next >= planned) return;
      const index = options.cases ? options.cases[next++]! : next++;
      const fuzzCase = makeCase(options.seed, index, sources);
      inFlight.set(index, fuzzCase);
      const outcome = await exchange(url, fuzzCase.request, { agent, timeoutMs: options.requestTimeoutMs ?? 60_000 });
      inFlight.delete(index);
      result.sent++;
      await record(result, fuzzCase, outcome, dead ? [] : checkOutcome(outcome, fuzzCase.expect), options.outDir, url);
      options.onProgress?.(result.sent, planned);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    result.durationMs = performance.now() - started;
    result.healthz = await health.stop();
    agent.destroy();
    server?.proc.off('exit', onExit);
    process.off('exit', killServer);
    if (server && !dead) {
      const code = await server.stop();
      if (code !== 0) serverProblems.push({ kind: 'crash', detail: `server exited with ${code} on SIGTERM after the run` });
    }
  }
  return result;
}

function statusKey(outcome: Outcome): string {
  if (outcome.kind === 'no-answer') return 'no answer';
  const { status, body } = outcome.answer;
  if (status < 400) return String(status);
  try {
    return `${status} ${(JSON.parse(body.toString('utf8')) as { error: { code: string } }).error.code}`;
  } catch {
    return `${status} (not JSON)`;
  }
}

async function record(result: FuzzResult, fuzzCase: FuzzCase, outcome: Outcome, problems: Problem[], outDir: string | undefined, url: string): Promise<void> {
  const key = statusKey(outcome);
  result.byFamily[fuzzCase.family] ??= { inputs: 0, statuses: {}, failures: 0 };
  const family = result.byFamily[fuzzCase.family]!;
  family.inputs++;
  family.statuses[key] = (family.statuses[key] ?? 0) + 1;
  result.statuses[key] = (result.statuses[key] ?? 0) + 1;
  const { request: sent, expect } = fuzzCase;
  for (const way of [
    fuzzCase.transport,
    sent.framing === 'chunked' ? 'chunked' : 'content-length',
    sent.client,
    `output ${expect.output}`,
    expect.invalidParams.length ? 'invalid query' : 'valid query',
  ]) {
    result.sending[way] = (result.sending[way] ?? 0) + 1;
  }
  const status = outcome.kind === 'answer' ? outcome.answer.status : null;
  const ms = outcome.kind === 'answer' ? outcome.answer.ms : outcome.ms;
  result.slowest.push({ index: fuzzCase.index, family: fuzzCase.family, status, ms });
  result.slowest.sort((a, b) => b.ms - a.ms);
  result.slowest.length = Math.min(result.slowest.length, 5);
  if (problems.length === 0) return;
  family.failures++;
  for (const kind of new Set(problems.map((p) => p.kind))) result.failureKinds[kind] = (result.failureKinds[kind] ?? 0) + 1;
  const { request } = fuzzCase;
  const failure: FuzzFailure = {
    index: fuzzCase.index,
    seed: fuzzCase.seed,
    family: fuzzCase.family,
    problems,
    status,
    steps: fuzzCase.steps,
    request: {
      path: request.path,
      transport: fuzzCase.transport,
      framing: request.framing,
      client: request.client,
      contentType: request.headers['content-type'] ?? '',
      bytes: request.body.length,
    },
  };
  if (outDir) failure.savedAs = await saveInput(outDir, fuzzCase, failure, result.seed, url);
  result.failures.push(failure);
}

async function saveInput(outDir: string, fuzzCase: FuzzCase, failure: FuzzFailure, runSeed: number, url: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, `case-${fuzzCase.index}-${fuzzCase.family.replace(/[^\w.-]+/g, '_')}`);
  const file = `${base}.bin`;
  await writeFile(file, fuzzCase.image);
  const type = fuzzCase.request.headers['content-type'] ?? '';
  const curl =
    fuzzCase.transport === 'multipart'
      ? `curl -sS -F 'file=@${file}' '${url}${fuzzCase.request.path}'`
      : `curl -sS --data-binary @'${file}' -H 'content-type: ${type}' '${url}${fuzzCase.request.path}'`;
  const replay = `npm run fuzz -- --seed ${runSeed} --case ${fuzzCase.index}`;
  await writeFile(
    `${base}.json`,
    `${JSON.stringify({ ...failure, savedAs: file, headers: fuzzCase.request.headers, expected: fuzzCase.expect, replay, curl }, null, 2)}\n`,
  );
  return file;
}
