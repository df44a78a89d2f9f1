// Lists a source cluster's indices the way Alibaba's migration guide does (open indices, system indices left
// out), with what was skipped reported, for a migration of a whole cluster. Documents are counted as users count
// them (`_count`: top-level documents), not as `_cat/indices` does (Lucene documents: each nested object is one).
import { batchedRead, readTarget } from "./connection/read-batch";
import { noAnswer } from "./connection/turn-batch";
import type { Cluster, ClusterRequest } from "./connection/types";

/** One index to migrate. */
export interface SourceIndex {
  name: string;
  /** Top-level documents, as `_count` counts them (a document with 3 nested objects is 1, not 4). */
  docs: number;
  /** Store size of the primaries in bytes. */
  sizeBytes: number;
  health: string;
}

export interface SourceIndexList {
  /** Open, non-system indices matching include/exclude, sorted by name. */
  indices: SourceIndex[];
  /** Indices whose name starts with "." (system and hidden indices): never migrated by a copy. */
  skippedSystem: string[];
  /** Closed indices: their data cannot be read until they are opened. */
  skippedClosed: string[];
}

export interface ListOptions {
  /** Only indices matching one of these patterns (`*` wildcard). Default: all. */
  include?: string[];
  /** Leave out indices matching one of these patterns (`*` wildcard). */
  exclude?: string[];
}

function pattern(p: string): RegExp {
  return new RegExp(`^${p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Sorts `_cat/indices` rows into indices to migrate and the skipped system and closed ones (`docs`: _cat's Lucene count). Pure. */
export function classifyIndices(rows: Record<string, string | undefined>[], opts: ListOptions = {}): SourceIndexList {
  const include = (opts.include ?? []).map(pattern);
  const exclude = (opts.exclude ?? []).map(pattern);
  const out: SourceIndexList = { indices: [], skippedSystem: [], skippedClosed: [] };
  for (const row of rows) {
    const name = row.index ?? "";
    if (include.length > 0 && !include.some((r) => r.test(name))) continue;
    if (exclude.some((r) => r.test(name))) continue;
    if (name.startsWith(".")) out.skippedSystem.push(name);
    else if (row.status === "close") out.skippedClosed.push(name);
    else out.indices.push({ name, docs: Number(row["docs.count"] ?? 0), sizeBytes: Number(row["pri.store.size"] ?? 0), health: row.health ?? "unknown" });
  }
  out.indices.sort((a, b) => (a.name < b.name ? -1 : 1));
  out.skippedSystem.sort();
  out.skippedClosed.sort();
  return out;
}

let countings = 0;

/**
 * Top-level documents of each index (`_count` of every document), asked as one `_msearch` per 64 indices (the
 * batched reads of ./connection/read-batch). An index whose count the engine refuses (a red index) keeps `fallback`'s
 * figure: the copy itself then says what it can read.
 */
export async function countDocuments(cluster: Cluster, names: string[], fallback: (name: string) => number = () => 0): Promise<Map<string, number>> {
  // Batched under a key of this call only: the requests go through this cluster object, not a shared one.
  const key = `${cluster.label}#count-${++countings}`;
  const counts = await Promise.all(
    names.map((name) => {
      const req: ClusterRequest = { method: "POST", path: `/${encodeURIComponent(name)}/_count`, body: { query: { match_all: {} } } };
      return batchedRead<{ count: number }>(key, cluster, req, readTarget(req)!).then(
        (r) => (typeof r?.count === "number" ? r.count : fallback(name)),
        (e) => {
          if (noAnswer(e)) throw e;
          return fallback(name);
        },
      );
    }),
  );
  return new Map(names.map((n, i) => [n, counts[i]]));
}

/** Lists the source's indices: open and non-system ones to migrate (with their top-level documents), and the skipped ones. */
export async function listSourceIndices(cluster: Cluster, opts: ListOptions = {}): Promise<SourceIndexList> {
  const querystring = { format: "json", bytes: "b", h: "index,status,health,docs.count,pri.store.size" };
  const list = (extra: Record<string, string>) => cluster.request<Record<string, string | undefined>[]>({ method: "GET", path: "/_cat/indices", querystring: { ...querystring, ...extra } });
  // expand_wildcards=all: hidden and closed indices are listed too, so they can be reported as skipped. Elasticsearch
  // before 7.x (no hidden indices) refuses the parameter on _cat/indices, and lists closed indices without it.
  const rows = await list({ expand_wildcards: "all" }).catch((e: { status?: number; message?: string }) => {
    if (e.status === 400 && /unrecognized parameter.*expand_wildcards/.test(e.message ?? "")) return list({});
    throw e;
  });
  const listed = classifyIndices(rows, opts);
  const lucene = new Map(listed.indices.map((i) => [i.name, i.docs]));
  const counts = await countDocuments(cluster, [...lucene.keys()], (name) => lucene.get(name) ?? 0);
  for (const i of listed.indices) i.docs = counts.get(i.name) ?? i.docs;
  return listed;
}
