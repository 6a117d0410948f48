// Bounded admission: at most `concurrency` images processed at once and `maxQueue` requests
// waiting (reading their body or queued for a slot); anything beyond is refused at once.

export interface AdmissionStats {
  inFlight: number;
  queued: number;
}

/** A place reserved for one request, from arrival to the end of its processing. */
export interface Ticket {
  /** Waits for a processing slot; rejects with `signal`'s reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Gives back the place (and the slot, if acquired). Safe to call more than once. */
  release(): void;
}

export class Admission {
  readonly concurrency: number;
  readonly maxQueue: number;
  #admitted = 0;
  #inFlight = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(concurrency: number, maxQueue: number) {
    this.concurrency = concurrency;
    this.maxQueue = maxQueue;
  }

  get stats(): AdmissionStats {
    return { inFlight: this.#inFlight, queued: this.#admitted - this.#inFlight };
  }

  /** Reserves a place, or returns null when `concurrency + maxQueue` requests are already in. */
  tryEnter(): Ticket | null {
    if (this.#admitted >= this.concurrency + this.maxQueue) return null;
    this.#admitted++;
    let state: 'waiting' | 'running' | 'done' = 'waiting';
    let wake: (() => void) | undefined;
    return {
      acquire: (signal) => {
        if (state !== 'waiting') return Promise.resolve();
        if (this.#inFlight < this.concurrency) {
          this.#inFlight++;
          state = 'running';
          return Promise.resolve();
        }
        return new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            const index = this.#waiting.indexOf(wake!);
            if (index >= 0) this.#waiting.splice(index, 1);
            reject(signal!.reason);
          };
          wake = () => {
            signal?.removeEventListener('abort', onAbort);
            state = 'running';
            resolve();
          };
          if (signal?.aborted) return onAbort();
          signal?.addEventListener('abort', onAbort, { once: true });
          this.#waiting.push(wake);
        });
      },
      release: () => {
        if (state === 'done') return;
        const wasRunning = state === 'running';
        state = 'done';
        this.#admitted--;
        if (!wasRunning) {
          const index = wake ? this.#waiting.indexOf(wake) : -1;
          if (index >= 0) this.#waiting.splice(index, 1);
          return;
        }
        const next = this.#waiting.shift();
        // The slot passes straight to the next waiter, so inFlight stays the same.
        if (next) next();
        else this.#inFlight--;
      },
    };
  }
}
