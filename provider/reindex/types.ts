// The plain, serializable shapes the Reindex provider sees (inputs after check) and records (outputs).
// The user-facing args with pulumi.Input<> fields are in ./resource.
import type { ClusterConnection } from "../connection/types";
import type { CutoverRecord, Phase } from "../shared/live-destination";
import type { CopyRun } from "../migrated-index/estimate";
import type { Verification, VerifyLevel, WriteMarks } from "../verify";
import type { RemoteBatch } from "./batch-size";
import type { Cursor } from "./cursor";

/** Where the destination pulls from, as the destination sees it (`source.remote` of `POST _reindex`). */
export interface RemoteSource {
  /** `scheme://host:port`, explicit port, no path (Alibaba Cloud refuses paths). */
  host: string;
  username?: string;
  /** Secret. */
  password?: string;
  /** Socket timeout of the destination's reads from the source, e.g. "60s". Engine default 30s. */
  socketTimeout?: string;
  /** Connect timeout, e.g. "10s". Engine default 30s. */
  connectTimeout?: string;
  /** Extra headers the destination sends to the source. Secret (they may carry tokens). */
  headers?: Record<string, string>;
  /** Amazon OpenSearch Service only: the source is outside AWS. */
  external?: boolean;
  /** Amazon OpenSearch Service only: region of a source domain in another region. */
  region?: string;
}

export interface SourceSpec {
  index: string;
  remote?: RemoteSource;
  /** How the provider itself reaches the source (counts, ranges, the client transport). */
  cluster?: ClusterConnection;
  /** A query DSL object (the value of `query`, e.g. `{ term: { tenant: "blue" } }`) that narrows what is copied. */
  query?: Record<string, unknown>;
  /**
   * Documents per scroll page (`source.size`). Unset: chosen from the source's average document size (a page of
   * about 25 MiB, 1 to 1000), see ./batch-size. Either way a page the destination cannot buffer is halved.
   */
  size?: number;
}

export type ReindexMode =
  | { type: "full" }
  /** `lookback`: a duration ("5m") or a number in the field's units; check() fills in the default "5m". */
  | { type: "incremental"; field: string; lookback?: string | number }
  | { type: "missingField"; field: string };

/** What happens to destination documents that no longer exist at the source. */
export type DeletesPolicy = "ignore" | "report" | "reconcile";

/**
 * How documents reach the destination: "external" writes carry the source's `_version` (`version_type: external`),
 * so a copy never overwrites a newer destination document and versions can be compared; "internal" overwrites.
 */
export type Versioning = "external" | "internal";

export interface Partitions {
  field: string;
  count: number;
}

export type Transport = "remote" | "client";

/** Inputs as the provider sees them after check (plain values, normalized). */
export interface ReindexInputs {
  cluster: ClusterConnection;
  destIndex: string;
  destIndexUuid?: string;
  source: SourceSpec;
  mode: ReindexMode;
  partitions?: Partitions;
  /** For a local source only: `slices` of the one reindex request. */
  slices?: number | "auto";
  transport: Transport;
  requestsPerSecond?: number;
  conflicts?: "abort" | "proceed";
  opType?: "index" | "create";
  /**
   * destIndex is a data stream: documents are written with op_type "create" (the only one a stream takes, and one the
   * engines refuse an explicit version with: internal versions), those already there count as conflicts.
   */
  dataStream?: boolean;
  /** Own deadline in seconds for one create/update. */
  timeout: number;
  verify: VerifyLevel;
  deletes: DeletesPolicy;
  /** reconcile: the most destination documents (percent of those in scope) one run may delete. */
  maxDeletePercent: number;
  /** Keep-alive of the source scroll (remote reindex's `scroll` parameter, the client transport's scroll). */
  scroll?: string;
  /** "cutover-done": the destination is live and the copy no longer runs (../shared/live-destination). */
  phase?: Phase;
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
