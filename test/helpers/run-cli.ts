// Runs the client's command line as a user would (`node --import tsx client/main.ts …`) in a
// child process, for the end-to-end tests of its commands.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  /** Exit code, or null when a signal ended it (the time limit's SIGKILL). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to the client's stdin, which is then closed (default: nothing). */
  stdin?: string;
  /** Variables over this process's environment; NO_COLOR=1 is always set. */
  env?: Record<string, string>;
  /** SIGKILL after this long (default 240 s): a hung client fails its test instead of the run. */
  timeoutMs?: number;
  /** Called with each chunk of stderr as it arrives (progress lines, to react to them). */
  onStderr?: (chunk: string) => void;
}

/**
 * Runs the client with `args` from the repository's root; resolves with its exit code and
 * output (stdout and stderr are pipes, not a TTY).
 * @throws Error when the process cannot be spawned.
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A client that exits before reading its stdin closes the pipe: not the test's failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** The JSON lines of a run's stdout, parsed (blank lines skipped). @throws SyntaxError on a line that is not JSON. */
export function jsonLines<T = unknown>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
