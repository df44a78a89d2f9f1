// Failures grouped by type for people: "mapper_parsing_exception: 120 documents (first: 7, 12, 31)". Pure.
import { FIRST_IDS } from "../verify";
import type { FailureGroup } from "./types";

/** One failure: the engine's error type and, for a document, its id, the engine's reason and the item's status. */
export interface FailureItem {
  type: string;
  id?: string;
  reason?: string;
  status?: number;
}

export function failureGroups(items: FailureItem[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const item of items) {
    const g = groups.get(item.type) ?? { type: item.type, count: 0, ids: [] };
    g.count++;
    if (item.id !== undefined && g.ids.length < FIRST_IDS) g.ids.push(item.id);
    groups.set(item.type, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** An engine error, as a failure entry carries it: its type, reason and what caused it. */
interface EngineCause {
  type?: unknown;
  reason?: unknown;
  caused_by?: EngineCause | null;
}

/** One entry of a reindex response's `failures`: a bulk item's `{ id, status, cause }` or a search's `{ reason }`. */
interface TaskFailure {
  id?: unknown;
  status?: unknown;
  type?: unknown;
  cause?: EngineCause | null;
  reason?: EngineCause | string | null;
}

/** The failure item of one entry of a reindex response's `failures` (bulk: `{id, cause}`, search: `{reason}`). Pure. */
export function taskFailureItem(entry: unknown): FailureItem {
  const f = entry as TaskFailure | undefined;
  const cause = f?.cause ?? f?.reason;
  const causeObject = typeof cause === "object" ? cause : undefined;
  const type = f?.cause?.type ?? (typeof f?.reason === "object" ? f.reason?.type : undefined) ?? f?.type ?? "failure";
  if (f?.id === undefined) return { type: String(type) };
  const reason =
    typeof causeObject?.reason === "string" ? causeObject.reason : typeof cause === "string" ? cause : undefined;
  return {
    type: String(type),
    id: String(f.id),
    ...(reason !== undefined ? { reason: causedBy(reason, causeObject?.caused_by) } : {}),
    ...(typeof f?.status === "number" ? { status: f.status } : {}),
  };
}

/** The reason with what caused it, as the engine chains them ("failed to parse field [n] ... (caused by ...)"). */
function causedBy(reason: string, cause: EngineCause | null | undefined): string {
  if (cause === undefined || cause === null || typeof cause !== "object") return reason;
  return `${reason} (caused by ${cause.type ?? "error"}: ${causedBy(String(cause.reason ?? ""), cause.caused_by)})`;
}

/**
 * True when the destination refused the document itself and will refuse it again until someone changes the
 * document, the mapping or the pipeline: a bulk item's 4xx, but a version conflict (409: the copy's own rule) and a
 * rejection (429: load, retried). Pure.
 */
export function isRefusedDocument(item: FailureItem): boolean {
  return (
    item.id !== undefined &&
    item.status !== undefined &&
    item.status >= 400 &&
    item.status < 500 &&
    item.status !== 409 &&
    item.status !== 429
  );
}
