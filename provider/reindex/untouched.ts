// Whether nobody wrote to either index since the last verified run: the source's write marks (../verify/marks) are
// still those the run started from, and the destination's those it ended with. Then nothing waits (no new, changed or
// deleted document, nothing outside a window, no write at the destination), and a diff needs none of the per-index
// reads of ./pending. The engine diffs one resource after another, so an up over 200 indices with nothing waiting
// asked 200 times a refresh, a window, counts and marks; the marks of every index of a cluster come in one `_stats`
// request instead, shared by the diffs of the next seconds.
import { connect } from "../connection/client";
import type { ClusterConnection } from "../connection/types";
import { stableJson as stable } from "../shared/stable-json";
import { marksFromStats, markShard, writesSince, type WriteMarks } from "../verify/marks";

/**
 * How long one read of a cluster's marks answers later diffs: a diff may see the cluster as it was this long ago (as
 * if it had run that much earlier in the command). Each index is answered once by one read: the same index asking
 * again (a second diff in one process) gets a new read.
 */
const MARKS_FRESH_MS = 2_000;

interface MarksRead {
  at: number;
  marks: Promise<WriteMarks | undefined>;
  served: Set<string>;
}
const reads = new Map<string, MarksRead>();

/** Every open index's marks (one `_stats` request), or undefined when the cluster does not tell them. */
function clusterMarks(
  conn: ClusterConnection,
  role: string,
  index: string,
  now: number,
): Promise<WriteMarks | undefined> {
  const key = stable({ conn, role });
  const kept = reads.get(key);
  if (kept !== undefined && now - kept.at < MARKS_FRESH_MS && !kept.served.has(index)) {
    kept.served.add(index);
    return kept.marks;
  }
  const c = connect(conn, role, { retry: { maxAttempts: 1 } });
  const marks = c
    .request<unknown>({
      method: "GET",
      path: "/_stats",
      querystring: {
        level: "shards",
        filter_path: "indices.*.uuid,indices.*.shards.*.routing.primary,indices.*.shards.*.seq_no.max_seq_no",
      },
      idempotent: true,
    })
    .then(marksFromStats)
    .catch(() => undefined)
    .finally(() => c.close().catch(() => undefined));
  reads.set(key, { at: now, marks, served: new Set([index]) });
  return marks;
}

/** The marks of one index out of a cluster's (keys "<index>/..."). Pure. */
function marksOf(all: WriteMarks, index: string): WriteMarks {
  return Object.fromEntries(Object.entries(all).filter(([k]) => markShard(k).index === index));
}

/**
 * True when `recorded` are the index's marks now: every key of it names `index` itself (not an alias or a pattern,
 * whose indices a cluster-wide read cannot tell) and no shard advanced. Pure.
 */
export function unchangedMarks(recorded: WriteMarks | undefined, all: WriteMarks | undefined, index: string): boolean {
  if (recorded === undefined || all === undefined) return false;
  const keys = Object.keys(recorded);
  if (keys.length === 0 || keys.some((k) => markShard(k).index !== index)) return false;
  return writesSince(recorded, marksOf(all, index)) === 0;
}

/**
 * Whether both indices are as the last verified run left them. `last` is what that run recorded (undefined: no run
 * a comparison may build on, see lastRunOf); false whenever a cluster does not answer.
 */
export async function untouchedSinceLastRun(
  source: { conn: ClusterConnection; index: string },
  destination: { conn: ClusterConnection; index: string },
  last: { sourceMarks: WriteMarks; destMarks: WriteMarks } | undefined,
  now: number = Date.now(),
): Promise<boolean> {
  if (last === undefined) return false;
  const [src, dest] = await Promise.all([
    clusterMarks(source.conn, "source", source.index, now),
    clusterMarks(destination.conn, "destination", destination.index, now),
  ]);
  return unchangedMarks(last.sourceMarks, src, source.index) && unchangedMarks(last.destMarks, dest, destination.index);
}
