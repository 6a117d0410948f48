// Keeps the main thread (the event loop that answers /healthz and admits or sheds requests)
// ahead of the threads doing image work when the CPUs are saturated, by raising the nice value
// of every other thread of the process. Linux only; raising a nice value needs no privilege.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Sets nice `value` on every thread of this process but the main one (libuv's pool, libvips'
 * workers, worker threads; on Linux setpriority takes a thread id). Threads started later
 * inherit the nice value of the thread that starts them. Returns how many threads changed.
 */
export function deprioritizeOtherThreads(value = 10): number {
  if (process.platform !== 'linux') return 0;
  let changed = 0;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  for (const tid of tids) {
    const id = Number(tid);
    if (id === process.pid) continue; // the main thread's id is the process id
    try {
      setPriority(id, value);
      changed++;
    } catch {
      // gone already, or not permitted: leave it
    }
  }
  return changed;
}
