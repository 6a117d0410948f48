// Debian's nginx in the foreground as the Ingress controller, configured from a file this process
// rewrites: reload() is SIGHUP, after which new workers take the new upstream list and the old
// ones finish the requests they hold (what ingress-nginx does when the endpoints change).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const NGINX = '/usr/sbin/nginx';

export class NginxProcess {
  #child: ChildProcess | undefined;
  readonly #workDir: string;
  readonly #conf: string;

  /** nginx with `workDir/nginx.conf` (its pid, logs and temporary files in `workDir`). */
  constructor(workDir: string) {
    this.#workDir = workDir;
    this.#conf = join(workDir, 'nginx.conf');
  }

  /** Starts nginx on the configuration already written. @throws when nginx is missing or exits at once. */
  async start(): Promise<void> {
    if (!existsSync(NGINX)) throw new Error(`Debian's nginx is required at ${NGINX} (apt-get install nginx)`);
    const child = spawn(NGINX, ['-p', this.#workDir, '-c', this.#conf, '-e', join(this.#workDir, 'nginx-error.log'), '-g', 'daemon off; master_process on;'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.#child = child;
    await sleep(300);
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${this.errors()}`);
  }

  /** New workers with the rewritten configuration; old workers finish their requests. */
  reload(): void {
    this.#child?.kill('SIGHUP');
  }

  /** The end of nginx's error log (for failures). */
  errors(): string {
    const file = join(this.#workDir, 'nginx-error.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') : '';
  }

  /** Stops nginx (SIGQUIT: workers finish their requests) and waits for it, at most 5 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGQUIT');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
