// A time limit as an AbortSignal that is released as soon as the work is done. AbortSignal.timeout
// keeps its timer (and the signal, with what listens to it) alive for the whole timeout, so at
// hundreds of requests a second, each with a 30 s limit, thousands of them pile up in the old
// generation and the garbage collector runs full collections several times a second.

export interface Deadline {
  readonly signal: AbortSignal;
  /** Stops the timer; call when the work is done, whatever its outcome. */
  clear(): void;
}

/** A signal that aborts after `ms` (with a TimeoutError), or when `parent` aborts first. */
export function deadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  const onParentAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
