// Writing one batch to the destination with `_bulk`: documents rejected with 429 (the destination's write queue is
// full) are sent again after a growing pause; every other refusal is a failure with the engine's reason.
import type { Cluster } from "../connection/types";
import { raceAbort, sleep } from "./abort";
import { bulkBody, pick, type Batch } from "./batch";
import { FailureLog, readBulkItems, type BulkItem, type RefusedDocument } from "./outcome";

// Only what the tally needs: a smaller response to send and parse.
const FILTER_PATH = "errors,items.*._id,items.*.status,items.*.result,items.*.error";
const BULK_TIMEOUT_MS = 120_000;

export interface Tally {
  created: number;
  updated: number;
  versionConflicts: number;
  retries: number;
  failures: FailureLog;
  /** Of the failures, the documents the destination refused themselves, with the engine's reason. */
  refused: FailureLog<RefusedDocument>;
}

export interface WriteSettings {
  dest: Cluster;
  destIndex: string;
  opType: "index" | "create";
  conflicts: "abort" | "proceed";
  rejectedRetries: number;
  rejectedBackoffMs: number;
  signal: AbortSignal;
}

export function emptyTally(keepFailures: number, keepRefused = 0): Tally {
  return {
    created: 0,
    updated: 0,
    versionConflicts: 0,
    retries: 0,
    failures: new FailureLog(keepFailures),
    refused: new FailureLog<RefusedDocument>(keepRefused),
  };
}

/** Writes `batch` and adds what happened to `tally`. Throws when the request itself fails (after its retries). */
export async function writeBatch(batch: Batch, s: WriteSettings, tally: Tally): Promise<void> {
  let todo = batch;
  for (let attempt = 0; ; attempt++) {
    const res = await raceAbort(
      s.dest.request<{ items?: Record<string, BulkItem>[] }>({
        method: "POST",
        path: `/${encodeURIComponent(s.destIndex)}/_bulk`,
        querystring: { filter_path: FILTER_PATH },
        body: bulkBody(todo),
        // "index" with explicit ids is safe to send twice; "create" would report its own earlier writes as conflicts.
        idempotent: s.opType === "index",
        timeoutMs: BULK_TIMEOUT_MS,
      }),
      s.signal,
    );
    const out = readBulkItems(todo.ids, res ?? {}, s.conflicts);
    tally.created += out.created;
    tally.updated += out.updated;
    tally.versionConflicts += out.versionConflicts;
    tally.failures.add(out.failures);
    tally.refused.add(out.refused);
    if (out.rejected.length === 0) return;
    if (attempt >= s.rejectedRetries) {
      tally.failures.add(out.rejectedWhy.map((why) => `${why} (still rejected after ${attempt} retries)`));
      return;
    }
    tally.retries += out.rejected.length;
    await sleep(Math.min(30_000, s.rejectedBackoffMs * 2 ** attempt), s.signal);
    todo = pick(todo, out.rejected);
  }
}
