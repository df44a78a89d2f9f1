// Waiting that an AbortSignal can cut short.

/** The signal's reason as an Error (an abort without a reason gets a plain sentence). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error("the copy was aborted");
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts (the promise runs on). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first (the timer is cleared then). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return raceAbort(wait, signal).finally(() => clearTimeout(timer));
}
