// Server configuration: one pure function from environment variables to a frozen, validated
// object, built on one zod schema. Every problem is reported at once, so a bad Deployment fails
// with one clear message.
import { availableParallelism, hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly maxUploadBytes: number;
  readonly maxPixels: number;
  readonly concurrency: number;
  readonly maxQueue: number;
  /** Requests held beyond the queue with their body unread (TCP backpressure) before 503. */
  readonly maxWaiting: number;
  /** Longest a held request waits for a place in the queue before 503. */
  readonly waitTimeoutMs: number;
  /** Slowest average upload rate tolerated once an upload has run for UPLOAD_RATE_GRACE_MS. */
  readonly uploadMinBytesPerSec: number;
  /** Longest pause between two pieces of an upload. */
  readonly uploadIdleTimeoutMs: number;
  /** Longest time a client may take to send the request line and headers. */
  readonly headersTimeoutMs: number;
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

/** An upload is judged on its average rate only after it has run this long. */
export const UPLOAD_RATE_GRACE_MS = 2_000;
/** Shortest API_TOKEN accepted: shorter tokens are guessable. */
export const MIN_TOKEN_LENGTH = 16;

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
  MAX_QUEUE: {
    min: 0,
    max: 100_000,
    fallback: () => 64,
    key: 'maxQueue',
    description: 'admitted requests waiting (uploading or queued) for a processing slot',
  },
  MAX_WAITING: {
    min: 0,
    max: 100_000,
    fallback: () => 256,
    key: 'maxWaiting',
    description: 'further requests held with their body unread until the queue has room, before 503',
  },
  WAIT_TIMEOUT_MS: {
    min: 0,
    max: 3_600_000,
    fallback: () => 5_000,
    key: 'waitTimeoutMs',
    description: 'longest a held request waits for room in the queue before 503',
  },
  UPLOAD_MIN_BYTES_PER_SEC: {
    min: 0,
    max: 1024 * MiB,
    fallback: () => 64 * 1024,
    key: 'uploadMinBytesPerSec',
    description: 'slowest average upload rate after the first 2 s (0: no minimum)',
  },
  UPLOAD_IDLE_TIMEOUT_MS: { min: 100, max: 3_600_000, fallback: () => 5_000, key: 'uploadIdleTimeoutMs', description: 'longest pause within an upload' },
  HEADERS_TIMEOUT_MS: { min: 100, max: 3_600_000, fallback: () => 10_000, key: 'headersTimeoutMs', description: 'time limit for the request line and headers' },
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

const unset = (raw: string | undefined) => raw === undefined || raw.trim() === '';

const integer = (name: string, spec: IntegerSpec) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (unset(raw)) return spec.fallback();
      const text = raw!.trim();
      const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (Number.isSafeInteger(value) && value >= spec.min && value <= spec.max) return value;
      ctx.addIssue({ code: 'custom', message: `Expected integer between ${spec.min} and ${spec.max} for ${name} but received "${raw}"` });
      return z.NEVER;
    });

const EnvSchema = z.object({
  ...Object.fromEntries(Object.entries(INTEGER_VARIABLES).map(([name, spec]) => [name, integer(name, spec)])),
  HOST: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const host = raw?.trim() || '0.0.0.0';
      if (!/\s/.test(host)) return host;
      ctx.addIssue({ code: 'custom', message: `Expected a host name or address for HOST but received "${raw}"` });
      return z.NEVER;
    }),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const level = (raw?.trim() || 'info').toLowerCase();
      if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
      ctx.addIssue({ code: 'custom', message: `Expected one of ${LOG_LEVELS.join(', ')} for LOG_LEVEL but received "${raw}"` });
      return z.NEVER;
    }),
  // A token that cannot be typed back exactly (a Secret written with a trailing newline) would
  // make every request 401; a short one is guessable. Refuse both at start.
  API_TOKEN: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      if (/[^\x21-\x7e]/.test(raw)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Expected API_TOKEN without spaces, newlines or other non-printable characters (a Secret written with a trailing newline?)',
        });
        return z.NEVER;
      }
      if (raw.length < MIN_TOKEN_LENGTH) {
        ctx.addIssue({ code: 'custom', message: `Expected API_TOKEN of at least ${MIN_TOKEN_LENGTH} characters but received ${raw.length}` });
        return z.NEVER;
      }
      return raw;
    }),
  POD_NAME: z.string().optional(),
  CORS_ORIGIN: z.string().optional(),
});

/**
 * Validates `env` and returns the frozen configuration. Unset or empty variables take their
 * defaults (PORT 8080, HOST 0.0.0.0, MAX_UPLOAD_BYTES 25 MiB, MAX_PIXELS 50 000 000,
 * CONCURRENCY = container CPUs, MAX_QUEUE 64, MAX_WAITING 256, REQUEST_TIMEOUT_MS 30000, …).
 * @throws {ConfigError} listing every invalid variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const vars = parsed.data as Record<string, unknown> & z.output<typeof EnvSchema>;
  const integers = Object.fromEntries(Object.entries(INTEGER_VARIABLES).map(([name, spec]) => [spec.key, vars[name]]));
  return Object.freeze({
    ...(integers as Pick<Config, (typeof INTEGER_VARIABLES)[string]['key']>),
    host: vars.HOST,
    podName: vars.POD_NAME?.trim() || hostname(),
    logLevel: vars.LOG_LEVEL,
    apiToken: vars.API_TOKEN,
    corsOrigin: vars.CORS_ORIGIN?.trim() || undefined,
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
