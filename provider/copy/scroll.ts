// Reading the source: one scroll per slice (sliced scroll when there are several), sorted by `_doc`, the cheapest
// order. Sliced scroll is the one reading API that Elasticsearch 6.8, 7.10 (point-in-time is X-Pack there, absent
// from the open-source build) and OpenSearch 2.x share; see docs/reindex.md.
import type { Cluster } from "../connection/types";
import { isObject } from "../shared/json";
import type { Hit } from "./types";

export interface ScrollPlan {
  index: string;
  query?: Record<string, unknown>;
  size: number;
  keepAlive: string;
  /** Which slice of how many; absent for a plain scroll (slicing needs max >= 2). */
  slice?: { id: number; max: number };
  /** Also read each document's `_version` (external versioning, verification). Default false. */
  version?: boolean;
  /** Read `_source` (default true); false reads ids (and versions) only, far less to send. */
  source?: boolean;
  /** Search preference, e.g. "_shards:2" to read one shard only. */
  preference?: string;
}

// Only what the reader uses: smaller pages to send and parse. An empty page then has no `hits` at all.
export function scrollFilterPath(plan: Pick<ScrollPlan, "version" | "source">): string {
  const fields = [
    "_id",
    "_type",
    "_routing",
    ...(plan.version === true ? ["_version"] : []),
    ...(plan.source === false ? [] : ["_source"]),
  ];
  return ["_scroll_id", "_shards", "timed_out", ...fields.map((f) => `hits.hits.${f}`)].join(",");
}

/** The body of the search that opens a scroll. Pure. */
export function scrollSearchBody(plan: ScrollPlan): Record<string, unknown> {
  const body: Record<string, unknown> = { size: plan.size, sort: ["_doc"] };
  if (plan.query !== undefined) body.query = plan.query;
  if (plan.slice !== undefined) body.slice = plan.slice;
  if (plan.version === true) body.version = true;
  if (plan.source === false) body._source = false;
  return body;
}

/** What a search or scroll page says of its own completeness. */
interface PageStatus {
  _shards?: { total?: number; failed?: number; failures?: { reason?: unknown }[] };
  timed_out?: boolean;
  hits?: unknown;
}

/** A scroll page as filtered here (scrollFilterPath). */
interface ScrollPage extends PageStatus {
  _scroll_id?: string;
  hits?: { hits?: Hit[] };
}

/** An incomplete page (some shards failed) would lose documents silently: it fails the copy instead. */
export function checkPage(res: PageStatus | undefined, index: string): void {
  const failed = res?._shards?.failed ?? 0;
  if (failed > 0) {
    const first = res?._shards?.failures?.[0]?.reason;
    const reason = isObject(first)
      ? [first.type, first.reason].filter(Boolean).join(": ")
      : String(first ?? "no reason given");
    throw new Error(
      `reading ${index}: ${failed} shard(s) failed a scroll page (${reason}); stopping rather than skipping their documents`,
    );
  }
  if (res?.timed_out === true)
    throw new Error(`reading ${index}: a scroll page timed out at the source; stopping rather than skipping documents`);
}

/** The scroll ids still open at the source, by slice, so that an abort or a failure clears all of them. */
export class OpenScrolls {
  private readonly ids = new Map<number, string>();

  constructor(private readonly source: Cluster) {}

  get open(): number {
    return this.ids.size;
  }

  set(slice: number, id: string | undefined): void {
    if (id !== undefined) this.ids.set(slice, id);
  }

  /** Frees the slice's scroll context at the source. Never throws: an uncleared scroll expires with its keep-alive. */
  async clear(slice: number): Promise<void> {
    const id = this.ids.get(slice);
    if (id === undefined) return;
    this.ids.delete(slice);
    await this.source
      .request({
        method: "DELETE",
        path: "/_search/scroll",
        body: { scroll_id: [id] },
        ignore: [404],
        timeoutMs: 10_000,
      })
      .catch(() => undefined);
  }

  async clearAll(): Promise<void> {
    await Promise.all([...this.ids.keys()].map((s) => this.clear(s)));
  }
}

/**
 * The pages of one slice, in order, until the slice is exhausted. The scroll is cleared when the loop ends for
 * any reason (done, a consumer that stops, an error). Stops after the current page once `signal` aborts.
 */
export async function* scrollPages(
  source: Cluster,
  plan: ScrollPlan,
  scrolls: OpenScrolls,
  key: number,
  signal: AbortSignal,
): AsyncGenerator<Hit[]> {
  const index = encodeURIComponent(plan.index);
  const filterPath = scrollFilterPath(plan);
  try {
    let res = await source.request<ScrollPage | undefined>({
      method: "POST",
      path: `/${index}/_search`,
      querystring: { scroll: plan.keepAlive, filter_path: filterPath, preference: plan.preference },
      body: scrollSearchBody(plan),
      idempotent: true,
    });
    for (;;) {
      scrolls.set(key, res?._scroll_id);
      if (signal.aborted) return;
      checkPage(res, plan.index);
      const hits: Hit[] = res?.hits?.hits ?? [];
      if (hits.length === 0) return;
      yield hits;
      // A page short of `size` is the last one: asking for the next (empty) page would cost a round trip per scan.
      if (signal.aborted || hits.length < plan.size) return;
      // Not idempotent: a page sent twice would skip one. The connection layer then retries only sure rejections.
      res = await source.request<ScrollPage | undefined>({
        method: "POST",
        path: "/_search/scroll",
        querystring: { filter_path: filterPath },
        body: { scroll: plan.keepAlive, scroll_id: res?._scroll_id },
        idempotent: false,
      });
    }
  } finally {
    await scrolls.clear(key);
  }
}
