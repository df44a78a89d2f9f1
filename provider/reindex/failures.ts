// Failures grouped by type for people: "mapper_parsing_exception: 120 documents (first: 7, 12, 31)". Pure.
import { FIRST_IDS } from "../verify";
import type { FailureGroup } from "./types";

/** One failure: the engine's error type and, for a document, its id. */
export interface FailureItem {
  type: string;
  id?: string;
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
  return f?.id !== undefined ? { type: String(type), id: String(f.id) } : { type: String(type) };
}
