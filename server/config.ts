// Server configuration: one pure function from environment variables to a frozen, validated
// object. Every problem is reported at once so a bad Deployment fails with one clear message.
import { availableParallelism, hostname } from 'node:os';
import { readFileSync } from 'node:fs';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly maxUploadBytes: number;
  readonly maxPixels: number;
  readonly concurrency: number;
  readonly maxQueue: number;
  readonly requestTimeoutMs: number;
  readonly shutdownGraceMs: number;
  /** Time between SIGTERM and closing the listener, so endpoints can drop the pod first. */
  readonly shutdownDelayMs: number;
  readonly podName: string;
  readonly logLevel: LogLevel;
  /** When set, the histogram routes require `Authorization: Bearer <apiToken>`. */
  readonly apiToken: string | undefined;
  /** Value of Access-Control-Allow-Origin for the API routes; unset means no CORS headers. */
  readonly corsOrigin: string | undefined;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface IntegerSpec {
  readonly min: number;
  readonly max: number;
  readonly fallback: () => number;
  readonly key: keyof Config;
  readonly description: string;
}

const MiB = 1024 * 1024;

/** Integer variables: name → range, default and the Config field they fill. */
export const INTEGER_VARIABLES: Readonly<Record<string, IntegerSpec>> = {
  PORT: { min: 0, max: 65535, fallback: () => 8080, key: 'port', description: 'TCP port (0: any free port)' },
  MAX_UPLOAD_BYTES: { min: 1, max: 1024 * MiB, fallback: () => 25 * MiB, key: 'maxUploadBytes', description: 'largest accepted upload body, in bytes' },
  MAX_PIXELS: { min: 1, max: 1_000_000_000, fallback: () => 50_000_000, key: 'maxPixels', description: 'largest width × height (× frames) decoded' },
  CONCURRENCY: { min: 1, max: 256, fallback: () => containerCpus(), key: 'concurrency', description: 'images processed at once' },
  MAX_QUEUE: { min: 0, max: 100_000, fallback: () => 64, key: 'maxQueue', description: 'requests waiting for a slot before 503' },
  REQUEST_TIMEOUT_MS: { min: 100, max: 3_600_000, fallback: () => 30_000, key: 'requestTimeoutMs', description: 'time limit for one request' },
  SHUTDOWN_GRACE_MS: { min: 0, max: 3_600_000, fallback: () => 25_000, key: 'shutdownGraceMs', description: 'longest drain after SIGTERM before exit' },
  SHUTDOWN_DELAY_MS: { min: 0, max: 600_000, fallback: () => 3_000, key: 'shutdownDelayMs', description: 'time still accepting connections after SIGTERM' },
};

/** Every environment variable the server reads (the k8s ConfigMap test checks keys against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze([
  ...Object.keys(INTEGER_VARIABLES),
  'HOST',
  'POD_NAME',
  'LOG_LEVEL',
  'API_TOKEN',
  'CORS_ORIGIN',
]);

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Validates `env` and returns the frozen configuration. Unset or empty variables take their
 * defaults (PORT 8080, HOST 0.0.0.0, MAX_UPLOAD_BYTES 25 MiB, MAX_PIXELS 50 000 000,
 * CONCURRENCY = container CPUs, MAX_QUEUE 64, REQUEST_TIMEOUT_MS 30000, SHUTDOWN_GRACE_MS 25000).
 * @throws {ConfigError} listing every invalid variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(INTEGER_VARIABLES)) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') {
      values[spec.key] = spec.fallback();
      continue;
    }
    const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
      problems.push(`Expected integer between ${spec.min} and ${spec.max} for ${name} but received "${raw}"`);
    } else {
      values[spec.key] = value;
    }
  }
  const logLevel = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`Expected one of ${LOG_LEVELS.join(', ')} for LOG_LEVEL but received "${env.LOG_LEVEL}"`);
  }
  const host = env.HOST?.trim() || '0.0.0.0';
  if (/\s/.test(host)) problems.push(`Expected a host name or address for HOST but received "${env.HOST}"`);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    ...(values as Pick<Config, (typeof INTEGER_VARIABLES)[string]['key']>),
    host,
    podName: env.POD_NAME?.trim() || hostname(),
    logLevel: logLevel as LogLevel,
    apiToken: env.API_TOKEN || undefined,
    corsOrigin: env.CORS_ORIGIN?.trim() || undefined,
  }) as Config;
}

/**
 * CPUs this process may use: the cgroup v2 (cpu.max) or v1 (cfs quota/period) limit rounded
 * up, as a Kubernetes CPU limit sets it, else os.availableParallelism().
 */
export function containerCpus(readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): number {
  const available = availableParallelism();
  const quota = cgroupQuota(readFile);
  return quota === undefined ? available : Math.max(1, Math.min(available, Math.ceil(quota)));
}

function cgroupQuota(readFile: (path: string) => string): number | undefined {
  try {
    const [max, period] = readFile('/sys/fs/cgroup/cpu.max').trim().split(/\s+/);
    if (max !== undefined && max !== 'max' && period) return Number(max) / Number(period);
    return undefined;
  } catch {
    // not cgroup v2: try v1
  }
  try {
    const quota = Number(readFile('/sys/fs/cgroup/cpu/cpu.cfs_quota_us').trim());
    const period = Number(readFile('/sys/fs/cgroup/cpu/cpu.cfs_period_us').trim());
    return quota > 0 && period > 0 ? quota / period : undefined;
  } catch {
    return undefined;
  }
}
