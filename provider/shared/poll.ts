// Waiting on something the engine or a cloud API does in the background (a snapshot, a restore, an endpoint coming up,
// a restart): one loop with a deadline and periodic progress, instead of one per caller.

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface PollOptions<T> {
  /** Reads the current state once (it may throw, e.g. when the thing waited on disappeared). */
  read: () => Promise<T>;
  /** True when `value` is the state waited for. */
  done: (value: T) => boolean;
  /** Epoch milliseconds after which waiting stops with `onTimeout`'s error. */
  deadline: number;
  /** The error thrown at the deadline, given the last state read: say what is still pending and what to do. */
  onTimeout: (last: T) => Error;
  /** Pause between reads, in milliseconds. */
  intervalMs: number;
  /** Reports the last state read, at most once every `everyMs` while waiting (the first after `everyMs`). */
  progress?: { everyMs: number; report: (last: T) => void | Promise<void> };
  /** Pause before the first read too: for a change that does not show at once (a restart not started yet). */
  pauseFirst?: boolean;
  /** The clock (tests). Default `Date.now`. */
  now?: () => number;
  /** The pause (tests). Default `sleep`. */
  pause?: (ms: number) => Promise<void>;
}

/** Reads until `done`, pausing between reads; returns the state that was done, throws at the deadline. */
export function pollUntil<T, D extends T>(o: PollOptions<T> & { done: (value: T) => value is D }): Promise<D>;
export function pollUntil<T>(o: PollOptions<T>): Promise<T>;
export async function pollUntil<T>(o: PollOptions<T>): Promise<T> {
  const now = o.now ?? Date.now;
  const pause = o.pause ?? sleep;
  let lastReport = now();
  if (o.pauseFirst) await pause(o.intervalMs);
  for (;;) {
    const value = await o.read();
    if (o.done(value)) return value;
    if (now() >= o.deadline) throw o.onTimeout(value);
    if (o.progress !== undefined && now() - lastReport >= o.progress.everyMs) {
      lastReport = now();
      await o.progress.report(value);
    }
    await pause(o.intervalMs);
  }
}
