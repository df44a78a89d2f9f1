// Documents larger than the destination's remote buffer: a remote page of one of them alone fails with "chunk too
// large", so remote reindex can never carry them. They are found by that failure (the engines offer no general way
// to ask a document's size at the source: `_size` is a plugin, scripts may be off) and copied through the client
// transport, one a batch; remote tasks then leave them out by id.
import type { Cluster } from "../connection/types";
import type { SearchHits } from "../shared/json";
import { OpenScrolls, scrollPages } from "../copy/scroll";
import type { Query } from "./queries";

/** How many such document ids the state keeps (each later run copies them through the client, not remotely). */
export const MAX_OVERSIZE_IDS = 100;

const ID_PAGE = 1000;

/** `query` without the documents `ids` (none: `query` itself). Pure. */
export function withoutIds(query: Query, ids: string[]): Query {
  if (ids.length === 0) return query;
  return { bool: { filter: [query], must_not: [{ ids: { values: ids } }] } };
}

/** The documents `ids` that `query` matches. Pure. */
export function onlyIds(query: Query, ids: string[]): Query {
  return { bool: { filter: [query, { ids: { values: ids } }] } };
}

/** `ids` added to `known`, no duplicates, the newest kept when there are more than MAX_OVERSIZE_IDS. Pure. */
export function rememberIds(known: string[], ids: string[]): string[] {
  const all = [...known.filter((k) => !ids.includes(k)), ...ids];
  return all.slice(Math.max(0, all.length - MAX_OVERSIZE_IDS));
}

/** Which of `ids` the destination lacks (an ids search: works on every version, any routing). */
async function missingAt(dest: Cluster, index: string, ids: string[]): Promise<string[]> {
  const res = await dest.request<SearchHits<{ _id: string }> | undefined>({
    method: "POST",
    path: `/${encodeURIComponent(index)}/_search`,
    querystring: { filter_path: "hits.hits._id" },
    body: { size: ids.length, _source: false, query: { ids: { values: ids } } },
    idempotent: true,
  });
  const found = new Set<string>((res?.hits?.hits ?? []).map((h) => h._id));
  return ids.filter((id) => !found.has(id));
}

/**
 * The document a remote task failed on at one document a page. The task read its query in `_doc` order (remote
 * reindex sorts by `_doc`) and copied every document before the one it failed on, so that one is the first in that
 * order the destination lacks. Should a merge at the source have reordered the index since, another missing
 * document is taken: the caller copies it through the client, so a wrong guess costs one client copy, never a
 * document. Undefined: the destination lacks none.
 */
export async function findFailingDocument(
  src: Cluster,
  dest: Cluster,
  sourceIndex: string,
  destIndex: string,
  query: Query,
): Promise<string | undefined> {
  const scrolls = new OpenScrolls(src);
  const stop = new AbortController();
  const plan = { index: sourceIndex, query, size: ID_PAGE, keepAlive: "5m", source: false };
  try {
    for await (const hits of scrollPages(src, plan, scrolls, 0, stop.signal)) {
      const missing = await missingAt(
        dest,
        destIndex,
        hits.map((h) => h._id),
      );
      if (missing.length > 0) {
        stop.abort();
        return missing[0];
      }
    }
    return undefined;
  } finally {
    await scrolls.clearAll();
  }
}
