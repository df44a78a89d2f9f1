// What the phases of one run (./run) share: the run's options and log, and the context each phase reads and updates
// (the page size, the documents left out of remote tasks, the refused ones, the clock).
import type { Cluster, ClusterConnection } from "../connection/types";
import type { WriteMarks } from "../verify";
import type { RemoteBatch } from "./batch-size";
import type { FailureItem } from "./failures";
import { withoutIds } from "./oversize";
import type { Cursor, Query } from "./queries";
import type { TaskState } from "./tasks";
import type { Cursors, PartitionCount, PartitionState, ReindexInputs, ReindexResults, Versioning } from "./types";

export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface RunOptions {
  /** Incremental: the watermark of the last complete run (undefined: no complete run yet, the window is everything). */
  from?: Cursor;
  /** A failed run to continue: its partitions that did not finish run again, with the same window. */
  resume?: ReindexResults & Cursors;
  /** Copy nothing: verify (and repair, and reconcile deletes) only. For full and missingField copies. */
  verifyOnly?: boolean;
  /** How earlier runs wrote into this index; undefined on the first run, which decides. */
  versioning?: Versioning;
  /**
   * The last complete run's records, so that verification may check only what changed since (repair.ts
   * verifyChanges). Undefined: a full comparison.
   */
  lastRun?: { sourceMarks: WriteMarks; destMarks: WriteMarks; extraKept: number };
  /** Partitions without a count: what an earlier run chose (kept, so a stack's layout does not move under it). */
  partitionCount?: PartitionCount;
  /** The page size the last run ended with (./batch-size startingBatch decides whether it still applies). */
  remoteBatch?: RemoteBatch;
  /** Documents earlier runs found larger than the remote buffer: copied through the client, never remotely. */
  oversizeIds?: string[];
  log: RunLog;
  /** Opens a connection; tests swap it to count requests. Default: the connection layer's `connect`. */
  connect?: (conn: ClusterConnection, role: string) => Cluster;
  /** Poll interval in milliseconds (default 1000) and how often progress is logged (default 10 000). */
  pollMs?: number;
  progressEveryMs?: number;
  /** The clock (tests move it): epoch milliseconds. */
  now?: () => number;
}

/** How many failure texts a run keeps (and says). */
export const MAX_FAILURES = 5;

export interface Copier {
  /** Documents per page now (halved after "chunk too large"); undefined until something is to be copied. */
  batch?: RemoteBatch;
  /** The page size the run started with: after an oversize document is taken out, pages go back to it. */
  firstBatch?: RemoteBatch;
  /** Documents larger than the remote buffer (known before or found in this run): copied through the client. */
  oversizeIds: string[];
  /** Per partition restarted after "chunk too large": documents its failed tasks copied, left out of the next. */
  copiedBefore: Map<PartitionState, string[]>;
  /** Documents the destination refused in this run (./refused), by id, with the partition that holds them. */
  refused: Map<string, FailureItem & { part?: PartitionState }>;
  inputs: ReindexInputs;
  src: Cluster;
  dest: Cluster;
  versioning: Versioning;
  deadline: number;
  /** The run's clock (RunOptions.now): epoch milliseconds. */
  now: () => number;
  log: RunLog;
  what: string;
  opts: RunOptions;
  failureItems: FailureItem[];
}

/** A partition's remote task, as the run follows it. */
export interface Tracked {
  part: PartitionState;
  state?: TaskState;
  /** What earlier tasks of the same partition counted (a partition restarted after "chunk too large"). */
  base?: Pick<PartitionState, "created" | "updated" | "versionConflicts">;
  /** When this process started the task (epoch ms); undefined for an attached one. */
  startedAt?: number;
}

/**
 * What a remote task of `part` copies: the partition without the oversize documents, what it copied before and
 * the documents the destination refused.
 */
export function taskQuery(c: Copier, part: PartitionState): Query {
  const refused = [...c.refused.values()].filter((r) => r.part === part).map((r) => r.id!);
  return withoutIds(part.query, [...c.oversizeIds, ...(c.copiedBefore.get(part) ?? []), ...refused]);
}
