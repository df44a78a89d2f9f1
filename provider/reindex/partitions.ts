// How a partitioned run splits its copy: where the field's values lie at the source (min, max and the percentiles
// that cut it into parts of equal depth), and how many parts when the program leaves the count to the provider (the
// destination's write threads). The query building itself is pure, in ./queries.
import type { Cluster } from "../connection/types";
import { cursorFromAgg, depthPercents, percentileValues, type PartitionRange, type Query } from "./queries";
import type { PartitionCount } from "./types";

/** Parallel tasks a run chooses by itself at most: each holds a scroll open at the source. */
export const MAX_AUTO_PARTITIONS = 8;

/** The count chosen when the destination's thread pools cannot be read (no monitor privilege, a hidden API). */
export const FALLBACK_PARTITIONS = 4;

/**
 * The field's range within `query` at the source, with the percentiles that split it into `count` parts of equal
 * depth: one search of three aggregations (min, max, percentiles; every engine line from Elasticsearch 5 and
 * OpenSearch 1 has them, on numeric and date fields). A source that refuses the percentiles gets parts of equal
 * width. Undefined when no document has the field.
 */
/** The min, max and percentiles a range search asks for (`cuts` only when the engine took them). */
interface RangeAggregations {
  aggregations?: {
    min?: Parameters<typeof cursorFromAgg>[0];
    max?: Parameters<typeof cursorFromAgg>[0];
    cuts?: { values?: unknown };
  };
}

/** `GET _nodes/thread_pool` as filtered: each node's roles and its write pool ("bulk" before 6.3, `max` on 5.x). */
interface NodesThreadPool {
  nodes?: Record<
    string,
    { roles?: unknown; thread_pool?: Partial<Record<"write" | "bulk", { size?: unknown; max?: unknown }>> }
  >;
}

export async function readPartitionRange(
  src: Cluster,
  index: string,
  field: string,
  query: Query,
  count: number,
): Promise<PartitionRange | undefined> {
  const search = (withPercentiles: boolean) =>
    src.request<RangeAggregations | undefined>({
      method: "POST",
      path: `/${encodeURIComponent(index)}/_search`,
      body: {
        size: 0,
        query,
        aggs: {
          min: { min: { field } },
          max: { max: { field } },
          ...(withPercentiles ? { cuts: { percentiles: { field, percents: depthPercents(count) } } } : {}),
        },
      },
      idempotent: true,
    });
  const res = count > 1 ? await search(true).catch(() => search(false)) : await search(false);
  const min = cursorFromAgg(res?.aggregations?.min);
  const max = cursorFromAgg(res?.aggregations?.max);
  if (min === undefined || max === undefined) return undefined;
  const cuts = percentileValues(res?.aggregations?.cuts);
  return { min: min.value, max: max.value, date: min.date, ...(cuts.length > 0 ? { cuts } : {}) };
}

/**
 * The write threads of the destination's data nodes, summed, from `GET _nodes/thread_pool` (the pool is "write"
 * from Elasticsearch 6.3 and in OpenSearch, "bulk" before; fixed pools report `size`, 5.x `max`). Nodes that list
 * roles and none of them a data role are left out. Undefined when no pool is reported. Pure.
 */
export function writeThreads(answer: unknown): number | undefined {
  const nodesInfo = answer as NodesThreadPool | undefined;
  let threads = 0;
  let seen = false;
  for (const node of Object.values(nodesInfo?.nodes ?? {})) {
    const roles: unknown = node?.roles;
    if (Array.isArray(roles) && !roles.some((r) => typeof r === "string" && r.startsWith("data"))) continue;
    const pool = node?.thread_pool?.write ?? node?.thread_pool?.bulk;
    const size = Number(pool?.size ?? pool?.max);
    if (Number.isInteger(size) && size > 0) {
      threads += size;
      seen = true;
    }
  }
  return seen ? threads : undefined;
}

/**
 * The count for `threads` write threads: two tasks a thread, since each remote task alternates between reading a
 * page from the source and writing it, and a thread left waiting while its task reads is ingest lost; at least 2,
 * at most MAX_AUTO_PARTITIONS. Pure.
 */
export function partitionCountFor(threads: number | undefined): PartitionCount {
  if (threads === undefined)
    return {
      count: FALLBACK_PARTITIONS,
      reason: `the destination's write thread pool could not be read; ${FALLBACK_PARTITIONS} by default`,
    };
  const count = Math.max(2, Math.min(MAX_AUTO_PARTITIONS, 2 * threads));
  return {
    count,
    reason: `two a write thread of the destination's data nodes (${threads}${2 * threads > MAX_AUTO_PARTITIONS ? `, at most ${MAX_AUTO_PARTITIONS}` : ""})`,
  };
}

/** The count chosen from the destination's write threads (partitionCountFor). */
export async function choosePartitionCount(dest: Cluster): Promise<PartitionCount> {
  const info = await dest
    .request<unknown>({
      method: "GET",
      path: "/_nodes/thread_pool",
      querystring: { filter_path: "nodes.*.roles,nodes.*.thread_pool.write,nodes.*.thread_pool.bulk" },
      idempotent: true,
    })
    .catch(() => undefined);
  return partitionCountFor(writeThreads(info));
}
