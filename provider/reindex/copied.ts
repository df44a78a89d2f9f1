// What a remote task copied before it failed, so the task started again after "chunk too large" need not read it
// again. Remote reindex reads in `_doc` order, so the `processed` documents are the first ones of its query in that
// order; of those, the ones the destination holds in the same or a newer version are left out of the next task's
// query. With external versions that task would skip each of them as a version conflict anyway: leaving them out
// changes what it reads, never what it writes, whatever the order really was.
import type { Cluster } from "../connection/types";
import type { SearchHits } from "../shared/json";
import { OpenScrolls, scrollPages } from "../copy/scroll";
import type { Query } from "./queries";

/** The most ids one partition leaves out this way (they travel in the query); the rest is read again. */
export const MAX_SKIPPED_IDS = 10_000;

/** Of `source` (id -> version), the ids `dest` holds in the same or a newer version. Pure. */
export function heldAtLeast(source: Map<string, number>, dest: Map<string, number>): string[] {
  return [...source].filter(([id, v]) => (dest.get(id) ?? -1) >= v).map(([id]) => id);
}

async function destVersions(dest: Cluster, index: string, ids: string[]): Promise<Map<string, number>> {
  const res = await dest.request<SearchHits<{ _id: string; _version: number }> | undefined>({
    method: "POST",
    path: `/${encodeURIComponent(index)}/_search`,
    querystring: { filter_path: "hits.hits._id,hits.hits._version" },
    body: { size: ids.length, _source: false, version: true, query: { ids: { values: ids } } },
    idempotent: true,
  });
  return new Map((res?.hits?.hits ?? []).map((h) => [h._id, h._version]));
}

/**
 * The ids among the first `processed` documents of `query` in `_doc` order that the destination (refreshed) holds
 * in the same or a newer version: at most MAX_SKIPPED_IDS.
 */
export async function alreadyCopied(
  src: Cluster,
  dest: Cluster,
  sourceIndex: string,
  destIndex: string,
  query: Query,
  processed: number,
): Promise<string[]> {
  const limit = Math.min(processed, MAX_SKIPPED_IDS);
  if (limit <= 0) return [];
  const scrolls = new OpenScrolls(src);
  const stop = new AbortController();
  const plan = {
    index: sourceIndex,
    query,
    size: Math.min(1000, limit),
    keepAlive: "5m",
    source: false,
    version: true,
  };
  const held: string[] = [];
  let read = 0;
  try {
    for await (const hits of scrollPages(src, plan, scrolls, 0, stop.signal)) {
      const page = hits.slice(0, limit - read);
      read += page.length;
      const versions = new Map(page.map((h) => [h._id, h._version ?? Number.MAX_SAFE_INTEGER]));
      held.push(...heldAtLeast(versions, await destVersions(dest, destIndex, [...versions.keys()])));
      if (read >= limit) {
        stop.abort();
        break;
      }
    }
    return held;
  } finally {
    await scrolls.clearAll();
  }
}
