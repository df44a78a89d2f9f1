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
  /** Of the failures, the documents the destination refused themselves (see RefusedDocument). */
  refused: RefusedDocument[];
}

/**
 * A document the destination refuses whatever the copy does (a field its mapping does not take, a pipeline that
 * fails it, too large): a bulk item's 4xx but a version conflict (409, the copy's own rule) and a rejection (429,
 * load, sent again). It is refused again until the document, the mapping or the pipeline changes.
 */
export interface RefusedDocument {
  id: string;
  /** The engine's error type, e.g. mapper_parsing_exception. */
  type: string;
  /** The engine's reason with what caused it. */
  reason: string;
  status: number;
}

/** Whether a bulk item's status is a refusal of the document itself (see RefusedDocument). Pure. */
const refusesDocument = (status: number) => status >= 400 && status < 500 && status !== 409 && status !== 429;

function reasonOf(item: BulkItem): string {
  const e = item.error;
  if (typeof e === "string") return e;
  const cause =
    e?.caused_by?.reason !== undefined ? ` (caused by ${e.caused_by.type ?? "error"}: ${e.caused_by.reason})` : "";
  return `${e?.reason ?? "no reason given"}${cause}`;
}

const typeOf = (item: BulkItem) =>
  typeof item.error === "object" && item.error?.type !== undefined ? item.error.type : `status ${item.status}`;

function describe(id: string, item: BulkItem): string {
  if (typeof item.error === "string") return `document ${id}: ${item.error}`;
  return `document ${id}: ${typeOf(item)}: ${reasonOf(item)}`;
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
    refused: [],
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
    else {
      out.failures.push(describe(ids[i], item));
      if (refusesDocument(status)) out.refused.push({ id: ids[i], type: typeOf(item), reason: reasonOf(item), status });
    }
  });
  return out;
}

/** Counts every failure and keeps the first `keep` of them, with the engine's reason. */
export class FailureLog<T = string> {
  count = 0;
  readonly kept: T[] = [];

  constructor(private readonly keep: number) {}

  add(failures: T[]): void {
    this.count += failures.length;
    for (const f of failures) {
      if (this.kept.length >= this.keep) break;
      this.kept.push(f);
    }
  }
}
