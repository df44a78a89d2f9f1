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

/** The failure item of one entry of a reindex response's `failures` (bulk: `{id, cause}`, search: `{reason}`). Pure. */
export function taskFailureItem(f: any): FailureItem {
  const type = f?.cause?.type ?? f?.reason?.type ?? f?.type ?? "failure";
  if (f?.id === undefined) return { type: String(type) };
  const cause = f?.cause ?? f?.reason;
  const reason = typeof cause?.reason === "string" ? cause.reason : typeof cause === "string" ? cause : undefined;
  return {
    type: String(type),
    id: String(f.id),
    ...(reason !== undefined ? { reason: causedBy(reason, cause?.caused_by) } : {}),
    ...(typeof f?.status === "number" ? { status: f.status } : {}),
  };
}

/** The reason with what caused it, as the engine chains them ("failed to parse field [n] ... (caused by ...)"). */
function causedBy(reason: string, cause: any): string {
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
