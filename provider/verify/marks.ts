// Write marks: the highest sequence number of each primary shard (`_stats`, `seq_no.max_seq_no`). Every index,
// update or delete raises it, so two equal marks mean nobody wrote to the index in between. Elasticsearch 6.x+ and
// every OpenSearch report it (checked on ES 6.8, 7.10 and OpenSearch 2.19; see docs/reindex.md).
import type { Cluster } from "../connection/types";

/**
 * "<index>/<uuid>/<shard>" -> max_seq_no of the primary (the uuid, reported from 7.x on, tells a recreated index
 * apart; 6.x keys are "<index>/<shard>").
 */
export type WriteMarks = Record<string, number>;

/** The index name and shard number of a mark's key. Pure. */
export function markShard(key: string): { index: string; shard: number } {
  const parts = key.split("/");
  return { index: parts[0], shard: Number(parts[parts.length - 1]) };
}

/** The marks of `index` (a name or pattern: every index it covers). */
export async function readWriteMarks(c: Cluster, index: string): Promise<WriteMarks> {
  const res = await c.request<unknown>({
    method: "GET",
    path: `/${encodeURIComponent(index)}/_stats`,
    querystring: {
      level: "shards",
      filter_path: "indices.*.uuid,indices.*.shards.*.routing.primary,indices.*.shards.*.seq_no.max_seq_no",
    },
    idempotent: true,
  });
  return marksFromStats(res);
}

/**
 * The marks, or undefined when they cannot be read (a user without the monitor privilege that `_stats` needs, a
 * managed service that hides it): what builds on them is then skipped, never the copy.
 */
export async function tryReadWriteMarks(c: Cluster, index: string): Promise<WriteMarks | undefined> {
  try {
    return await readWriteMarks(c, index);
  } catch {
    return undefined;
  }
}

/** `_stats?level=shards` as filtered here: each index's uuid (7.x on) and each shard's copies. */
interface ShardStats {
  indices?: Record<
    string,
    { uuid?: string; shards?: Record<string, { routing?: { primary?: boolean }; seq_no?: { max_seq_no?: number } }[]> }
  >;
}

/** Reads `_stats?level=shards` into marks. Pure. */
export function marksFromStats(response: unknown): WriteMarks {
  const stats = response as ShardStats | undefined;
  const marks: WriteMarks = {};
  for (const [name, idx] of Object.entries(stats?.indices ?? {})) {
    for (const [shard, copies] of Object.entries(idx?.shards ?? {})) {
      const primary = copies.find((c) => c?.routing?.primary === true);
      const max = primary?.seq_no?.max_seq_no;
      if (typeof max === "number")
        marks[typeof idx.uuid === "string" ? `${name}/${idx.uuid}/${shard}` : `${name}/${shard}`] = max;
    }
  }
  return marks;
}

/**
 * Operations written since `before` (the sum of each shard's advance), 0 when the marks are equal; undefined when
 * they cannot be compared (shards added or gone: the index was recreated, split or shrunk).
 */
export function writesSince(before: WriteMarks, now: WriteMarks): number | undefined {
  const keys = Object.keys(now);
  if (keys.length !== Object.keys(before).length || keys.some((k) => before[k] === undefined)) return undefined;
  let writes = 0;
  for (const k of keys) {
    if (now[k] < before[k]) return undefined;
    writes += now[k] - before[k];
  }
  return writes;
}
