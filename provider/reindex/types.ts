// The plain, serializable shapes the Reindex provider records (outputs); the inputs it sees after check are derived
// from the one schema of ./schema, as are the user-facing args of ./resource.
import type { CutoverRecord } from "../shared/live-destination";
import type { Verification, WriteMarks } from "../verify";
import type { ReindexInputs } from "./schema";
import type { CopyRun } from "../migrated-index/estimate";
import type { RemoteBatch } from "./batch-size";
import type { Cursor } from "./cursor";

export type {
  DeletesPolicy,
  Partitions,
  ReindexInputs,
  ReindexMode,
  RemoteSource,
  SourceSpec,
  Transport,
} from "./schema";

/**
 * How documents reach the destination: "external" writes carry the source's `_version` (`version_type: external`),
 * so a copy never overwrites a newer destination document and versions can be compared; "internal" overwrites.
 */
export type Versioning = "external" | "internal";

/** How many partitions a run uses, and why (chosen when the program sets none; later runs keep it). */
export interface PartitionCount {
  count: number;
  reason: string;
}

/** One reindex task (or client copy) of a run: its query and how it ended. */
export interface PartitionState {
  /** The query the partition copies (mode, watermark, range and user query already combined). */
  query: Record<string, unknown>;
  /** Human-readable range, e.g. "ts in [1000, 2000)". */
  label: string;
  taskId?: string;
  done: boolean;
  created: number;
  updated: number;
  versionConflicts: number;
  total: number;
  /** Retries the engine made after rejections (429) reading the source (search) or writing the destination (bulk). */
  retries?: { search: number; bulk: number };
}

export interface FailureGroup {
  type: string;
  count: number;
  ids: string[];
}

/** What a run produced: the resource's outputs next to its inputs. */
export interface ReindexResults {
  /** "complete", or "failed" when the last run stopped early (the next `pulumi up` continues it). */
  status: "complete" | "failed";
  taskIds: string[];
  created: number;
  updated: number;
  versionConflicts: number;
  /** Retries the engine made after rejections (429): reading the source (search), writing the destination (bulk). */
  retries: { search: number; bulk: number };
  /** First failures reported by the engine (its own text, credentials removed). */
  failures: string[];
  sourceCount?: number;
  destCount?: number;
  /** Documents in the destination that the source no longer has (deletes at the source), left there. */
  extraInDestination?: number;
  /** What the last verification found and repaired. */
  verification?: Verification;
  /** How the runs wrote (decided by the first run, kept by later ones). */
  versioning?: Versioning;
  /** The destination's write marks after the last complete run: a change means someone else wrote to it. */
  destMarks?: WriteMarks;
  /** The source's write marks when the last run started: what was written since is the next run's to check. */
  sourceMarks?: WriteMarks;
  /** Failures of the last run grouped by type, with the first document ids of each. */
  failureGroups?: FailureGroup[];
  /** Documents the destination refused in the last run, recorded at the destination (./refused). */
  refusedDocuments?: number;
  /** Incremental: the highest value of the field copied so far (as the engine formats it). */
  watermark?: number | string;
  durationSeconds: number;
  /** The remote page size the last run used and why (the next run starts from it). */
  remoteBatch?: RemoteBatch;
  /**
   * Documents larger than the destination's remote buffer, found by "chunk that was too large" at one document a
   * page: copied through the client transport, left out of remote tasks (this run's and the next runs').
   */
  oversizeIds?: string[];
  /** The partition count the runs chose (partitions without a count), and why: later runs keep it. */
  partitionCount?: PartitionCount;
  /** The partitions of the last run, so a failed run resumes only what did not finish. */
  partitionStates: PartitionState[];
  /** The watermark the partitions of `partitionStates` started from (resume keeps it). */
  runFrom?: number | string;
  /** The watermark the run will record when it completes. */
  runTo?: number | string;
  /** When the destination went live (cutover() or phase "cutover-done"): the copy no longer runs. */
  cutover?: CutoverRecord;
  /** The last runs' documents and times, newest last: what the preview's estimates are fitted on. */
  copyRuns?: CopyRun[];
}

/** Watermarks as the provider keeps them: where the last run started from, and what it records when complete. */
export interface Cursors {
  cursorFrom?: Cursor;
  cursorTo?: Cursor;
}

export type ReindexOutputs = ReindexInputs & ReindexResults & Cursors;
