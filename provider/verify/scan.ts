// Reading one side's documents for a comparison: ids (and versions, and content hashes when asked) of every
// document a query matches, through the same sliced scroll the client transport reads with. Pages are handed to
// the caller as they come; nothing is kept here.
import { checkPage, OpenScrolls, scrollFilterPath, scrollPages, scrollSearchBody } from "../copy/scroll";
import type { Hit } from "../copy/types";
import type { Cluster } from "../connection/types";
import type { DocRef } from "./compare";
import { canonicalHash, sourceHash } from "./hash";
import { markShard, type WriteMarks } from "./marks";

/** A `_search` answer as filtered here: failed shards and the hits. */
interface SearchPage {
  _shards?: { failed?: number };
  hits?: { hits?: Hit[] };
}

export interface ScanOptions {
  /** Read `_version`. */
  versions: boolean;
  /** Read `_source` and hash it (content comparison). */
  content: boolean;
  /** Hash `_source` with keys sorted, as look-ups do (lookupDocs): to compare with them, whatever the key order. */
  canonical?: boolean;
  /** Parallel slices (sliced scroll); 1 reads with a plain scroll. */
  slices: number;
  /** Documents per page: ids only are small, so pages can be large. */
  size: number;
  keepAlive: string;
  signal?: AbortSignal;
}

// Pages of 10,000 ids, the most a scroll page may hold (index.max_result_window): half the round trips of 5,000 halved
// an ids scan of 300,000 documents here (1.3 s -> 0.6 s). One slice: slicing a one-shard index by _id costs more than
// it saves, and both sides are read at once anyway.
export const SCAN_DEFAULTS = { slices: 1, idsPageSize: 10_000, contentPageSize: 2000, keepAlive: "5m" } as const;

export function docRef(hit: Hit, opts: Pick<ScanOptions, "content" | "canonical">): DocRef {
  const ref: DocRef = { id: hit._id };
  if (hit._version !== undefined) ref.version = hit._version;
  if (hit._routing !== undefined) ref.routing = hit._routing;
  if (hit._type !== undefined) ref.type = hit._type;
  if (opts.content) ref.hash = opts.canonical === true ? canonicalHash(hit._source) : sourceHash(hit._source);
  return ref;
}

/**
 * Reads every document of `index` matching `query` and hands each page to `onPage`; resolves to the number read.
 * The next page is asked for once `onPage` returns (or what it returns resolves: a reader held back waits there).
 */
export async function scanDocs(
  c: Cluster,
  index: string,
  query: Record<string, unknown>,
  opts: ScanOptions,
  onPage: (docs: DocRef[]) => unknown,
): Promise<number> {
  const scrolls = new OpenScrolls(c);
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  let read = 0;
  const slice = async (id: number) => {
    const plan = {
      index,
      query,
      size: opts.size,
      keepAlive: opts.keepAlive,
      slice: opts.slices > 1 ? { id, max: opts.slices } : undefined,
      version: opts.versions,
      source: opts.content,
    };
    for await (const hits of scrollPages(c, plan, scrolls, id, stop.signal)) {
      read += hits.length;
      await onPage(hits.map((h) => docRef(h, opts)));
    }
  };
  try {
    // One slice failing stops the others (their scrolls are cleared as they end).
    await Promise.all(
      Array.from({ length: opts.slices }, (_, i) =>
        slice(i).catch((e) => {
          stop.abort(e);
          throw e;
        }),
      ),
    );
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("scan aborted");
    return read;
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await scrolls.clearAll();
  }
}

/**
 * The documents of `index` matching `query` when they fit in one page of `size`, read by one plain search (no scroll
 * context to open and clear, and a search that ../connection/read-batch can send with other indices' in one
 * `_msearch`); undefined when there may be more (a full page): scanDocs reads them.
 */
export async function readOnePage(
  c: Cluster,
  index: string,
  query: Record<string, unknown>,
  opts: Pick<ScanOptions, "versions" | "content" | "canonical" | "size">,
): Promise<DocRef[] | undefined> {
  const plan = { index, query, size: opts.size, keepAlive: "", version: opts.versions, source: opts.content };
  const res = await c.request<SearchPage | undefined>({
    method: "POST",
    path: `/${encodeURIComponent(index)}/_search`,
    querystring: { filter_path: scrollFilterPath(plan) },
    body: scrollSearchBody(plan),
    idempotent: true,
  });
  checkPage(res, index);
  const hits = res?.hits?.hits ?? [];
  return hits.length < opts.size ? hits.map((h) => docRef(h, opts)) : undefined;
}

/** The largest page an `ids` look-up asks for (below the engines' default max_result_window of 10,000). */
export const LOOKUP_CHUNK = 5000;

/**
 * The documents of `index` with the given ids (those that exist), read in chunks with an `ids` query. Content is
 * hashed canonically (keys sorted): look-ups decide what really differs.
 */
export async function lookupDocs(
  c: Cluster,
  index: string,
  ids: string[],
  opts: Pick<ScanOptions, "versions" | "content"> & { within?: Record<string, unknown> },
): Promise<Map<string, DocRef>> {
  const found = new Map<string, DocRef>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    const byId = { ids: { values: chunk } };
    // `within`: only the documents a query also matches (the copy's scope).
    const body: Record<string, unknown> = {
      size: chunk.length,
      query: opts.within === undefined ? byId : { bool: { filter: [byId, opts.within] } },
      version: opts.versions,
    };
    if (!opts.content) body._source = false;
    const res = await c.request<SearchPage | undefined>({
      method: "POST",
      path: `/${encodeURIComponent(index)}/_search`,
      body,
      querystring: {
        filter_path: "_shards,hits.hits._id,hits.hits._version,hits.hits._routing,hits.hits._type,hits.hits._source",
      },
      idempotent: true,
    });
    const failed = res?._shards?.failed ?? 0;
    if (failed > 0)
      throw new Error(
        `reading ${index}: ${failed} shard(s) failed an ids look-up; stopping rather than counting their documents as missing`,
      );
    for (const hit of res?.hits?.hits ?? []) found.set(hit._id, docRef(hit, { ...opts, canonical: true }));
  }
  return found;
}

/**
 * Reads the documents of `query` written (indexed or updated) since `marks`: per primary shard whose highest sequence
 * number moved, the documents with `_seq_no` above the mark, read from that shard alone (`preference=_shards:N`).
 * Resolves to the number read.
 */
export async function scanChangedDocs(
  c: Cluster,
  marks: WriteMarks,
  now: WriteMarks,
  query: Record<string, unknown>,
  opts: Omit<ScanOptions, "slices">,
  onPage: (docs: DocRef[]) => void,
): Promise<number> {
  const scrolls = new OpenScrolls(c);
  const stop = new AbortController();
  let read = 0;
  try {
    let key = 0;
    for (const [mark, before] of Object.entries(marks)) {
      if ((now[mark] ?? before) <= before) continue;
      const { index, shard } = markShard(mark);
      const changed = { bool: { filter: [query, { range: { _seq_no: { gt: before } } }] } };
      const plan = {
        index,
        query: changed,
        size: opts.size,
        keepAlive: opts.keepAlive,
        version: opts.versions,
        source: opts.content,
        preference: `_shards:${shard}`,
      };
      for await (const hits of scrollPages(c, plan, scrolls, key++, opts.signal ?? stop.signal)) {
        read += hits.length;
        onPage(hits.map((h) => docRef(h, opts)));
      }
    }
    return read;
  } finally {
    await scrolls.clearAll();
  }
}
