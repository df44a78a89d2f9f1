// Lists a source cluster's indices and data streams for a migration of a whole cluster: open user indices to copy,
// data streams to copy as streams (their backing indices go with them, never as indices of their own), and what was
// skipped and why (system and hidden indices by the engine's own flag, dot-prefixed ones, closed ones). Documents
// are counted as users count them (`_count`: top-level documents), not as `_cat/indices` does (Lucene documents:
// each nested object is one).
import { batchedRead, readTarget } from "./connection/read-batch";
import { noAnswer } from "./connection/turn-batch";
import type { Cluster, ClusterInfo, ClusterRequest } from "./connection/types";
import { atLeast } from "./objects/kinds";

/** One index to migrate. */
export interface SourceIndex {
  name: string;
  /** Top-level documents, as `_count` counts them (a document with 3 nested objects is 1, not 4). */
  docs: number;
  /** Store size of the primaries in bytes. */
  sizeBytes: number;
  health: string;
}

/** One data stream to migrate (as a stream: its template at the destination, then the stream, then its documents). */
export interface SourceDataStream {
  name: string;
  /** The composable index template the stream was created from (`template` of `GET _data_stream`). */
  template: string;
  /** The field every document of the stream carries its time in (`@timestamp` unless OpenSearch was told otherwise). */
  timestampField: string;
  /** Backing indices, oldest first (`.ds-<name>-000001`, ...). */
  backingIndices: string[];
  /** Top-level documents of the stream (`_count`). */
  docs: number;
  /** Store size of the backing indices' primaries in bytes. */
  sizeBytes: number;
}

export interface SourceIndexList {
  /** Open, non-system indices matching include/exclude, sorted by name (no data stream backing index). */
  indices: SourceIndex[];
  /** Data streams whose name matches include/exclude, sorted by name; empty on engines without data streams. */
  dataStreams: SourceDataStream[];
  /**
   * System indices: hidden ones (the engine's own flag, `index.hidden`, which system indices carry) that are not a
   * data stream's backing index, and dot-prefixed ones no include pattern names with its leading dot.
   */
  skippedSystem: string[];
  /** Closed indices: their data cannot be read until they are opened. */
  skippedClosed: string[];
}

export interface ListOptions {
  /** Only indices and data streams matching one of these patterns (`*` wildcard). Default: all. */
  include?: string[];
  /** Leave out indices and data streams matching one of these patterns (`*` wildcard). */
  exclude?: string[];
}

/** One data stream as `GET _data_stream` describes it (OpenSearch 1.0+, Elasticsearch 7.9+). */
export interface DataStreamRow {
  name: string;
  template?: string;
  timestamp_field?: { name?: string };
  indices?: { index_name: string }[];
}

/** What the engine tells beside `_cat/indices`: its hidden indices and its data streams. */
export interface ListFacts {
  /** Indices with `index.hidden: true` (listed with expand_wildcards=all but not with open,closed). */
  hidden?: Set<string>;
  dataStreams?: DataStreamRow[];
  /** Top-level documents of each data stream, by name (`_count`); the backing indices' docs.count otherwise. */
  streamDocs?: Map<string, number>;
}

/** A name pattern (`*` wildcard) as a regular expression. */
export function wildcardPattern(p: string): RegExp {
  return new RegExp(
    `^${p
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
}

/** Whether a name passes include/exclude; dot-prefixed names need an include pattern that starts with the dot. */
function selector(opts: ListOptions): { matches: (name: string) => boolean; namesDotted: (name: string) => boolean } {
  const include = (opts.include ?? []).map((p) => ({ p, re: wildcardPattern(p) }));
  const exclude = (opts.exclude ?? []).map(wildcardPattern);
  return {
    matches: (name) =>
      (include.length === 0 || include.some((i) => i.re.test(name))) && !exclude.some((r) => r.test(name)),
    namesDotted: (name) => include.some((i) => i.p.startsWith(".") && i.re.test(name)),
  };
}

/**
 * Sorts `_cat/indices` rows into indices to migrate, data streams to migrate and the skipped system and closed
 * indices. A data stream's backing index (hidden, dot-prefixed `.ds-...`) belongs to its stream: never an index of
 * its own, never "system". Other hidden indices are system indices (the engine's flag). A visible dot-prefixed index
 * is skipped as system unless an include pattern names it with its dot (e.g. `.app-config` or `.app-*`). Pure.
 */
export function classifyIndices(
  rows: Record<string, string | undefined>[],
  opts: ListOptions = {},
  facts: ListFacts = {},
): SourceIndexList {
  const { matches, namesDotted } = selector(opts);
  const hidden = facts.hidden ?? new Set<string>();
  const streams = facts.dataStreams ?? [];
  const streamOf = new Map<string, string>();
  for (const s of streams) for (const i of s.indices ?? []) streamOf.set(i.index_name, s.name);
  const out: SourceIndexList = { indices: [], dataStreams: [], skippedSystem: [], skippedClosed: [] };
  const byIndex = new Map<string, Record<string, string | undefined>>();
  for (const row of rows) {
    const name = row.index ?? "";
    byIndex.set(name, row);
    if (streamOf.has(name) || !matches(name)) continue;
    if (hidden.has(name) || (name.startsWith(".") && !namesDotted(name))) out.skippedSystem.push(name);
    else if (row.status === "close") out.skippedClosed.push(name);
    else
      out.indices.push({
        name,
        docs: Number(row["docs.count"] ?? 0),
        sizeBytes: Number(row["pri.store.size"] ?? 0),
        health: row.health ?? "unknown",
      });
  }
  for (const s of streams) {
    if (!matches(s.name)) continue;
    const backing = (s.indices ?? []).map((i) => i.index_name);
    const sum = (col: string) => backing.reduce((t, i) => t + Number(byIndex.get(i)?.[col] ?? 0), 0);
    out.dataStreams.push({
      name: s.name,
      template: s.template ?? "",
      timestampField: s.timestamp_field?.name ?? "@timestamp",
      backingIndices: backing,
      docs: facts.streamDocs?.get(s.name) ?? sum("docs.count"),
      sizeBytes: sum("pri.store.size"),
    });
  }
  out.indices.sort((a, b) => (a.name < b.name ? -1 : 1));
  out.dataStreams.sort((a, b) => (a.name < b.name ? -1 : 1));
  out.skippedSystem.sort();
  out.skippedClosed.sort();
  return out;
}

/** Whether the engine has data streams: OpenSearch (1.0+) and Elasticsearch 7.9+. */
export function hasDataStreams(info: ClusterInfo): boolean {
  return atLeast(info, { elasticsearch: [7, 9], opensearch: [1, 0] });
}

type Row = Record<string, string | undefined>;

/**
 * Every data stream of the cluster (`GET _data_stream`), or undefined when it has no data stream API: an engine
 * before them, or Elasticsearch's OSS distribution (data streams are an x-pack feature there; the path is then read
 * as an index name and refused with a 400).
 */
export async function readDataStreams(cluster: Cluster): Promise<DataStreamRow[] | undefined> {
  if (!hasDataStreams(await cluster.info())) return undefined;
  try {
    const answer = await cluster.request<{ data_streams?: DataStreamRow[] }>({
      method: "GET",
      path: "/_data_stream",
      idempotent: true,
    });
    return answer?.data_streams ?? [];
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403) return undefined;
    throw e;
  }
}

let countings = 0;

/**
 * Top-level documents of each index (`_count` of every document), asked as one `_msearch` per 64 indices (the
 * batched reads of ./connection/read-batch). An index whose count the engine refuses (a red index) keeps `fallback`'s
 * figure: the copy itself then says what it can read.
 */
export async function countDocuments(
  cluster: Cluster,
  names: string[],
  fallback: (name: string) => number = () => 0,
): Promise<Map<string, number>> {
  // Batched under a key of this call only: the requests go through this cluster object, not a shared one.
  const key = `${cluster.label}#count-${++countings}`;
  const counts = await Promise.all(
    names.map((name) => {
      const req: ClusterRequest = {
        method: "POST",
        path: `/${encodeURIComponent(name)}/_count`,
        body: { query: { match_all: {} } },
      };
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

/** Lists the source's indices and data streams: those to migrate (with their top-level documents), and the skipped ones. */
export async function listSourceIndices(cluster: Cluster, opts: ListOptions = {}): Promise<SourceIndexList> {
  const querystring = { format: "json", bytes: "b", h: "index,status,health,docs.count,pri.store.size" };
  const list = (extra: Record<string, string>) =>
    cluster.request<Row[]>({ method: "GET", path: "/_cat/indices", querystring: { ...querystring, ...extra } });
  // expand_wildcards=all: hidden and closed indices are listed too, so they can be reported as skipped. Elasticsearch
  // before 7.x (no hidden indices) refuses the parameter on _cat/indices, and lists closed indices without it.
  // The data streams are read while the indices are listed (the lists' error first, as one after another).
  const streamsRead = readDataStreams(cluster);
  streamsRead.catch(() => undefined);
  let rows: Row[];
  let hidden = new Set<string>();
  try {
    const [all, visible] = await Promise.all([
      list({ expand_wildcards: "all" }),
      list({ expand_wildcards: "open,closed" }),
    ]);
    const shown = new Set(visible.map((r) => r.index));
    rows = all;
    hidden = new Set(all.map((r) => r.index ?? "").filter((i) => !shown.has(i)));
  } catch (e) {
    const err = e as { status?: number; message?: string };
    if (!(err.status === 400 && /unrecognized parameter.*expand_wildcards/.test(err.message ?? ""))) throw e;
    rows = await list({});
  }
  const dataStreams = (await streamsRead) ?? [];
  const listed = classifyIndices(rows, opts, { hidden, dataStreams });
  // Indices and streams counted in one batched read; _cat's Lucene figure where the engine refuses a count.
  const lucene = new Map([...listed.indices, ...listed.dataStreams].map((i) => [i.name, i.docs]));
  const counts = await countDocuments(cluster, [...lucene.keys()], (name) => lucene.get(name) ?? 0);
  for (const i of [...listed.indices, ...listed.dataStreams]) i.docs = counts.get(i.name) ?? i.docs;
  return listed;
}
