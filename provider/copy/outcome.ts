// What a `_bulk` response says about each document, and the tally of a whole copy. Pure.

/** One item of a `_bulk` response, under its action key (`index` or `create`). */
export interface BulkItem {
  _id?: string;
  status?: number;
  result?: string;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } } | string;
}

export interface BatchOutcome {
  created: number;
  updated: number;
  versionConflicts: number;
  /** Positions (in the batch) the destination rejected with 429: to send again after a pause. */
  rejected: number[];
  /** The engine's reason for each rejected position, in the same order. */
  rejectedWhy: string[];
  failures: string[];
}

function describe(id: string, item: BulkItem): string {
  const e = item.error;
  if (typeof e === "string") return `document ${id}: ${e}`;
  const cause =
    e?.caused_by?.reason !== undefined ? ` (caused by ${e.caused_by.type ?? "error"}: ${e.caused_by.reason})` : "";
  return `document ${id}: ${e?.type ?? `status ${item.status}`}: ${e?.reason ?? "no reason given"}${cause}`;
}

/**
 * Sorts the items of one `_bulk` response. `ids[i]` is the id sent at position i (items come back in order).
 * A 409 counts as a version conflict when conflicts are "proceed", else as a failure; 429 is to be retried.
 */
export function readBulkItems(
  ids: string[],
  response: { items?: Record<string, BulkItem>[] },
  conflicts: "abort" | "proceed",
): BatchOutcome {
  const out: BatchOutcome = {
    created: 0,
    updated: 0,
    versionConflicts: 0,
    rejected: [],
    rejectedWhy: [],
    failures: [],
  };
  const items = response.items ?? [];
  if (items.length !== ids.length) {
    out.failures = ids.map(
      (id) =>
        `document ${id}: not acknowledged (the destination answered ${items.length} item(s) for a bulk of ${ids.length})`,
    );
    return out;
  }
  items.forEach((wrapped, i) => {
    const item = Object.values(wrapped)[0] ?? {};
    const status = item.status ?? 0;
    if (item.error === undefined && status < 300) {
      if (item.result === "updated") out.updated++;
      else out.created++;
    } else if (status === 429) {
      out.rejected.push(i);
      out.rejectedWhy.push(describe(ids[i], item));
    } else if (status === 409 && conflicts === "proceed") out.versionConflicts++;
    else out.failures.push(describe(ids[i], item));
  });
  return out;
}

/** Counts every failure and keeps the first `keep` of them, with the engine's reason. */
export class FailureLog {
  count = 0;
  readonly kept: string[] = [];

  constructor(private readonly keep: number) {}

  add(failures: string[]): void {
    this.count += failures.length;
    for (const f of failures) {
      if (this.kept.length >= this.keep) break;
      this.kept.push(f);
    }
  }
}
