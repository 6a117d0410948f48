// Bounded admission, in three stages. A request that arrives takes a *place* (at most
// `concurrency + maxQueue`: uploading, or waiting for a processing slot with its body read),
// or, when every place is taken, waits in the *waiting room* (at most `maxWaiting`) with its
// body unread: the kernel's socket buffers and the client's send window hold it, which costs
// the server nothing per held request (TCP backpressure). Beyond that it is refused at once.
// Places go to waiting requests in arrival order; processing *slots* (at most `concurrency`)
// go to placed requests in the order they ask for them.

export interface AdmissionLimits {
  concurrency: number;
  maxQueue: number;
  maxWaiting: number;
}

export interface AdmissionStats {
  /** Requests being processed (holding a slot). */
  inFlight: number;
  /** Requests holding a place but no slot: uploading, or waiting for a slot. */
  queued: number;
  /** Requests in the waiting room: no place yet, body unread. */
  waiting: number;
}

/** One request's way through admission, from arrival to the end of its processing. */
export interface Ticket {
  /** True when the request had to wait for its place. */
  readonly waited: boolean;
  /** Resolves once the request holds a place; rejects with `signal`'s reason if it aborts first. */
  placed(signal?: AbortSignal): Promise<void>;
  /** Waits for a processing slot (needs a place); rejects with `signal`'s reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Gives back whatever the request holds. Safe to call more than once. */
  release(): void;
}

type State = 'waiting' | 'placed' | 'running' | 'done';

export class Admission {
  readonly limits: Readonly<AdmissionLimits>;
  #placed = 0; // holding a place, running or not
  #running = 0;
  readonly #waitingRoom: Array<() => void> = [];
  readonly #slotQueue: Array<() => void> = [];

  constructor(limits: AdmissionLimits) {
    this.limits = Object.freeze({ ...limits });
  }

  get stats(): AdmissionStats {
    return { inFlight: this.#running, queued: this.#placed - this.#running, waiting: this.#waitingRoom.length };
  }

  get #places(): number {
    return this.limits.concurrency + this.limits.maxQueue;
  }

  /** A ticket holding a place, or waiting for one; null when the waiting room is full too. */
  enter(): Ticket | null {
    if (this.#placed < this.#places && this.#waitingRoom.length === 0) return this.#ticket('placed');
    if (this.#waitingRoom.length >= this.limits.maxWaiting) return null;
    return this.#ticket('waiting');
  }

  #ticket(initial: State): Ticket {
    let state: State = initial;
    if (state === 'placed') this.#placed++;
    const waited = state === 'waiting';
    // Set while the ticket sits in the waiting room / the slot queue.
    let onPlace: (() => void) | undefined;
    let onSlot: (() => void) | undefined;
    const placedWaiters: Array<{ resolve: () => void }> = [];
    if (state === 'waiting') {
      onPlace = () => {
        onPlace = undefined;
        state = 'placed';
        this.#placed++;
        for (const waiter of placedWaiters.splice(0)) waiter.resolve();
      };
      this.#waitingRoom.push(onPlace);
    }
    const release = () => {
      if (state === 'done') return;
      const was = state;
      state = 'done';
      if (was === 'waiting') {
        remove(this.#waitingRoom, onPlace);
        return;
      }
      if (was === 'placed') remove(this.#slotQueue, onSlot);
      if (was === 'running') {
        const next = this.#slotQueue.shift();
        // The slot passes straight to the next placed request, so #running stays the same.
        if (next) next();
        else this.#running--;
      }
      this.#placed--;
      // The place passes to the oldest waiting request.
      if (this.#placed < this.#places) this.#waitingRoom.shift()?.();
    };
    return {
      waited,
      placed: (signal) => {
        if (state !== 'waiting') return Promise.resolve();
        return abortable(
          signal,
          (resolve) => placedWaiters.push({ resolve }),
          () => release(),
        );
      },
      acquire: (signal) => {
        if (state === 'running' || state === 'done') return Promise.resolve();
        if (state === 'waiting') return Promise.reject(new Error('acquire() before the ticket holds a place'));
        if (this.#running < this.limits.concurrency && this.#slotQueue.length === 0) {
          this.#running++;
          state = 'running';
          return Promise.resolve();
        }
        return abortable(
          signal,
          (resolve) => {
            onSlot = () => {
              onSlot = undefined;
              state = 'running';
              resolve();
            };
            this.#slotQueue.push(onSlot);
          },
          () => {
            remove(this.#slotQueue, onSlot);
            onSlot = undefined;
          },
        );
      },
      release,
    };
  }
}

function remove<T>(list: T[], item: T | undefined): void {
  if (item === undefined) return;
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}

/** A promise settled by `start`'s resolve, or rejected (after `cleanup`) when `signal` aborts. */
function abortable(signal: AbortSignal | undefined, start: (resolve: () => void) => void, cleanup: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      cleanup();
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      cleanup();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    start(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
