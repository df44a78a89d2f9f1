// Requests asked in the same turn of the event loop, gathered by key and sent together when the turn ends: the checks
// and diffs of hundreds of indices in one provider process ask the same kind of read for each index at nearly the
// same moment, and one request for many indices costs the cluster and the process far less than one each.
import { ClusterRequestError } from "./errors";
import type { ClusterRequest } from "./types";

export interface Waiter<T = unknown> {
  req: ClusterRequest;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

/** Gathers waiters by key during this turn; `send` gets each key's waiters once the turn ends. */
// `Waiter<never>`: any waiter, whatever its answer's type (its resolve takes a narrower value).
export class TurnBatches<W extends Waiter<never>> {
  private readonly pending = new Map<string, W[]>();

  constructor(private readonly send: (waiters: W[]) => Promise<void>) {}

  /** Adds the waiter made from resolve/reject to its key's batch; the promise settles when the batch answers it. */
  add<T>(key: string, make: (resolve: (v: T) => void, reject: (e: unknown) => void) => W): Promise<T> {
    let waiters = this.pending.get(key);
    if (waiters === undefined) {
      const batch: W[] = [];
      this.pending.set(key, (waiters = batch));
      setImmediate(() => {
        this.pending.delete(key);
        void this.send(batch);
      });
    }
    const list = waiters;
    return new Promise<T>((resolve, reject) => list.push(make(resolve, reject)));
  }
}

/**
 * True when a combined request got no answer at all (connection refused, DNS, TLS, a timeout, after the retries):
 * each request asked alone would wait for the same retries and fail the same way, so its callers get this error.
 */
export function noAnswer(e: unknown): boolean {
  return e instanceof ClusterRequestError && e.status === undefined;
}

/** Path length of one combined request: Elasticsearch refuses request lines over 4 KB (`http.max_initial_line_length`). */
export const MAX_PATH = 3000;

/**
 * Encoded index names split into runs whose path `/<a>,<b>,.../<rest>` stays under `max` characters (a name longer
 * than that alone still goes, alone). Pure.
 */
export function pathChunks(indices: string[], rest: string, max = MAX_PATH): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0; // of `/<a>,<b>,.../<rest>` with the names in `current`
  for (const index of indices) {
    if (current.length > 0 && length + 1 + index.length > max) {
      chunks.push(current);
      current = [];
    }
    current.push(index);
    length = current.length === 1 ? rest.length + 2 + index.length : length + 1 + index.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Splits `items` into runs of at most `size`. Pure. */
export function runsOf<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
