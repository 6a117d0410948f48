// One histogram request's resources, owned in one place: its admission ticket (place, then
// processing slot), its deadline, its upload's memory (lent by the services' upload pool), and
// the image work that holds both until it has really finished. `dispose()` always runs (the route
// calls it in `finally`) and gives back what is held: at once, or when the image work settles if
// a 504 answered before it did.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AppServices } from '../app-services.ts';
import { UPLOAD_RATE_GRACE_MS } from '../config.ts';
import { ApiError } from '../errors.ts';
import type { Ticket } from './admission.ts';
import { deadline, type Deadline } from './deadline.ts';
import { continueExpected } from './expect-continue.ts';
import { bodyAllowance, declaredTooLarge, readUpload, type Upload } from './read-upload.ts';

/** Where a request's time went before its image work started, in milliseconds. */
export interface WaitTimes {
  /** From arrival to holding a place (the waiting room). */
  wait: number;
  /** Reading the upload. */
  body: number;
  /** From the end of the upload to a processing slot. */
  queue: number;
}

export class RequestLifecycle {
  readonly #services: AppServices;
  readonly #c: Context<AppEnv>;
  readonly #ticket: Ticket;
  readonly #deadline: Deadline;
  readonly #started = performance.now();
  #upload: Upload | undefined;
  #work: Promise<unknown> | undefined;
  #disposed = false;
  readonly times: WaitTimes = { wait: 0, body: 0, queue: 0 };

  /**
   * Admits the request or refuses it at once, before anything else is read: a body declared
   * over the limit, or no room even in the waiting room.
   * @throws {ApiError} 413 PAYLOAD_TOO_LARGE, 503 OVERLOADED (with Retry-After).
   */
  constructor(c: Context<AppEnv>, services: AppServices) {
    const { config, admission } = services;
    const declared = declaredLength(c);
    if (declared !== undefined && declared > bodyAllowance(c.req.header('content-type'), config.maxUploadBytes)) {
      throw declaredTooLarge(declared, config.maxUploadBytes);
    }
    const ticket = admission.enter();
    if (!ticket) throw overloaded(services);
    this.#services = services;
    this.#c = c;
    this.#ticket = ticket;
    this.#deadline = deadline(config.requestTimeoutMs);
  }

  /** Aborts at REQUEST_TIMEOUT_MS from arrival. */
  get signal(): AbortSignal {
    return this.#deadline.signal;
  }

  /** Milliseconds since the request arrived. */
  elapsedMs(): number {
    return performance.now() - this.#started;
  }

  /**
   * Waits for a place if the request arrived while every place was taken (its body stays unread
   * meanwhile), then reads the upload: says 100 Continue if the client waits for it, streams the
   * body in under the byte and progress limits.
   * @throws {ApiError} 503 OVERLOADED when no place comes within WAIT_TIMEOUT_MS; the errors of
   *   readUpload; 504 TIMEOUT at the deadline.
   */
  async readUpload(): Promise<Upload> {
    const { config, metrics } = this.#services;
    if (this.#ticket.waited) await this.#waitForPlace();
    const arrived = performance.now();
    this.times.wait = arrived - this.#started;
    metrics.stage.observe({ stage: 'wait' }, this.times.wait / 1000);

    const outgoing = this.#c.env?.outgoing;
    if (outgoing && !outgoing.headersSent && continueExpected(this.#c)) {
      outgoing.writeContinue();
      this.#c.set('continueSent', true);
    }
    const incoming = this.#c.env?.incoming;
    if (!incoming) throw new Error('the histogram route needs the Node request (@hono/node-server)');
    const upload = await readUpload(incoming, {
      contentType: this.#c.req.header('content-type'),
      contentLength: declaredLength(this.#c),
      maxBytes: config.maxUploadBytes,
      pool: this.#services.uploads,
      minBytesPerSec: config.uploadMinBytesPerSec,
      rateGraceMs: UPLOAD_RATE_GRACE_MS,
      idleTimeoutMs: config.uploadIdleTimeoutMs,
      signal: this.signal,
    }).catch((error) => this.#rethrow(error, 'reading the upload'));
    this.times.body = performance.now() - arrived;
    metrics.stage.observe({ stage: 'body' }, this.times.body / 1000);
    this.#upload = upload;
    metrics.uploadBytes.observe(upload.bodyBytes);
    this.#c.set('bytes', upload.bodyBytes);
    return upload;
  }

  /**
   * Waits for a processing slot, then runs `work` in it. The slot and the upload's memory stay held until
   * `work` settles, even when the deadline answers first.
   * @throws {ApiError} 504 TIMEOUT at the deadline (while queued or while working); what `work` throws.
   */
  async runInSlot<T>(work: () => Promise<T>): Promise<T> {
    const queued = performance.now();
    await this.#ticket.acquire(this.signal).catch((error) => this.#rethrow(error, 'waiting in the queue'));
    this.times.queue = performance.now() - queued;
    this.#services.metrics.stage.observe({ stage: 'queue' }, this.times.queue / 1000);
    const running = work();
    this.#work = running;
    return raceDeadline(running, this.signal, () => timeoutError(this.#services.config.requestTimeoutMs, 'processing the image'));
  }

  /** Gives back the slot or the place and the upload's memory (once the image work, if any, has settled). Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#deadline.clear();
    const release = () => {
      this.#ticket.release();
      this.#upload?.release();
    };
    if (this.#work) void this.#work.then(release, release);
    else release();
  }

  async #waitForPlace(): Promise<void> {
    const { waitTimeoutMs } = this.#services.config;
    const wait = deadline(waitTimeoutMs, this.signal);
    try {
      await this.#ticket.placed(wait.signal);
    } catch {
      throw overloaded(this.#services, ` (no room in the queue within ${waitTimeoutMs} ms)`);
    } finally {
      wait.clear();
    }
  }

  /** A failure after the deadline passed is a 504, unless it is a more specific answer than a 400. */
  #rethrow(error: unknown, during: string): never {
    const specific = error instanceof ApiError && error.code !== 'BAD_REQUEST';
    if (this.signal.aborted && !specific) throw timeoutError(this.#services.config.requestTimeoutMs, during);
    throw error;
  }
}

function declaredLength(c: Context<AppEnv>): number | undefined {
  const declared = c.req.header('content-length');
  return declared === undefined ? undefined : Number(declared);
}

function overloaded({ config }: AppServices, detail = ''): ApiError {
  return new ApiError('OVERLOADED', `the server is busy: ${config.concurrency} images in progress and ${config.maxQueue} waiting; retry later${detail}`, {
    'Retry-After': '1',
  });
}

function timeoutError(limitMs: number, during: string): ApiError {
  return new ApiError('TIMEOUT', `the request took longer than the ${limitMs} ms limit (REQUEST_TIMEOUT_MS) while ${during}`);
}

function raceDeadline<T>(work: Promise<T>, signal: AbortSignal, onTimeout: () => ApiError): Promise<T> {
  if (signal.aborted) return Promise.reject(onTimeout());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(onTimeout());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
