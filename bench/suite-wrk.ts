// Runs Debian's wrk with bench/multipart.lua on the generator's CPU (this process's affinity,
// which children inherit) and parses what it prints.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT } from './suite-processes.ts';
import { parseWrkOutput, type WrkSummary } from './wrk-output.ts';

/** `wrk -v`'s first line ("wrk debian/4.1.0-3+b2 [epoll] …" up to the copyright), or null when wrk is missing. */
export function wrkVersion(): string | null {
  const run = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (run.error) return null;
  const line = `${run.stdout}${run.stderr}`.split('\n')[0]?.trim() ?? '';
  return line.replace(/\s+Copyright.*$/, '') || 'wrk (unknown version)';
}

export interface WrkRun {
  url: string;
  image: string;
  threads: number;
  connections: number;
  durationS: number;
  timeoutS: number;
  /** Count statuses and time the 2xx by request id (multipart.lua's STATUSES=1). */
  statuses: boolean;
}

/** The command line, for the tables. */
export function wrkCommand(r: WrkRun): string {
  return (
    `${r.statuses ? 'STATUSES=1 ' : ''}IMAGE=${r.image.split('/').pop()} wrk -t${r.threads} -c${r.connections} -d${r.durationS}s ` +
    `${r.timeoutS !== 2 ? `--timeout ${r.timeoutS}s ` : ''}--latency -s bench/multipart.lua ${new URL(r.url).pathname}`
  );
}

/** Runs wrk to its end (it stops itself after the duration). @throws Error when wrk fails. */
export async function runWrk(r: WrkRun): Promise<{ summary: WrkSummary; output: string }> {
  const args = [
    `-t${r.threads}`,
    `-c${r.connections}`,
    `-d${r.durationS}s`,
    '--timeout',
    `${r.timeoutS}s`,
    '--latency',
    '-s',
    join(ROOT, 'bench/multipart.lua'),
    r.url,
  ];
  const env = { ...process.env, IMAGE: r.image, STATUSES: r.statuses ? '1' : '0', WRK_CONNECTIONS_PER_THREAD: String(Math.ceil(r.connections / r.threads)) };
  const proc = spawn('wrk', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (chunk) => (output += chunk));
  proc.stderr!.on('data', (chunk) => (output += chunk));
  const [code] = await once(proc, 'exit');
  if (code !== 0) throw new Error(`wrk exited with ${code}:\n${output.slice(0, 2000)}`);
  return { summary: parseWrkOutput(output), output };
}
