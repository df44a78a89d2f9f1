// The plain shapes the SnapshotMigration provider sees (inputs after check) and records (outputs). The user-facing
// args with pulumi.Input<> fields are in ./resource.
import type { ClusterConnection } from "../connection/types";
import type { RemoteSource } from "../reindex/types";
import type { RunResults } from "../reindex/run";
import type { CutoverRecord, Phase } from "../shared/live-destination";
import type { Verification, VerifyLevel } from "../verify";

export type RepositoryType = "fs" | "s3" | "oss";

/** A snapshot repository, registered on the source (read-write) and on the destination (read-only). */
export interface RepositorySpec {
  name: string;
  type: RepositoryType;
  /** The type's settings as the engine takes them (`location` for fs; `bucket`, `role_arn`, ... for s3; `endpoint`, `access_key_id`, ... for oss). */
  settings: Record<string, unknown>;
}

export interface CatchUpSpec {
  /** A date or number field that grows with every write (e.g. "updated_at"). */
  field: string;
  /** How far before the snapshot's start the catch-up window opens. Default "5m". */
  lookback: string | number;
}

export interface RenameSpec {
  /** A regular expression over the source index names (the engine's `rename_pattern`). */
  pattern: string;
  /** The destination name, `$1`.. for groups (the engine's `rename_replacement`). */
  replacement: string;
}

export interface SnapshotMigrationInputs {
  source: ClusterConnection;
  destination: ClusterConnection;
  /** How the destination reaches the source for the catch-up's remote reindex; without it the provider copies. */
  sourceRemote?: RemoteSource;
  repository: RepositorySpec;
  /** Source index names (no wildcards). */
  indices: string[];
  /** The snapshot's name in the repository (lower case); the resource derives it from its own name. */
  snapshot: string;
  catchUp?: CatchUpSpec;
  rename?: RenameSpec;
  deletionProtection: boolean;
  verify: VerifyLevel;
  /** Own deadline of one create/update in seconds. */
  timeout: number;
  /** "cutover-done": the restored indices are live and the migration no longer writes to them. */
  phase?: Phase;
}

/** One index's row of the outputs. */
export interface SnapshotIndexResult {
  index: string;
  destIndex: string;
  /** Primary store size at the source when the snapshot was taken, in bytes. */
  sizeBytes: number;
  /** Documents the snapshot held (the restored index's count before the catch-up). */
  restoredCount: number;
  /** Documents at the source and at the destination after the last run. */
  sourceCount: number;
  destCount: number;
  /** Documents the catch-up (or the verification's repairs) wrote. */
  caughtUp: number;
  verified: boolean;
  verification?: Verification;
}

export interface SnapshotDurations {
  snapshotSeconds: number;
  restoreSeconds: number;
  catchUpSeconds: number;
}

export interface SnapshotMigrationResults {
  /** "complete", or "failed" when the last run stopped early (the next `pulumi up` continues it). */
  status: "complete" | "failed";
  /** The snapshot's name, and when the source started it (epoch milliseconds and ISO 8601). */
  snapshotName: string;
  snapshotStartMs?: number;
  snapshotStartedAt?: string;
  /** Per source index. */
  indexResults: SnapshotIndexResult[];
  durations: SnapshotDurations;
  /** True when every index verified at the `verify` level. */
  verified: boolean;
  /** Each destination index's catch-up (Reindex's run results), so the next run starts from its watermark. */
  catchUpStates: Record<string, RunResults>;
  /** The first failures of the last run (credentials removed). */
  failures: string[];
  /** When the restored indices went live (cutover() or phase "cutover-done"): the migration no longer runs. */
  cutover?: CutoverRecord;
}

export type SnapshotMigrationOutputs = SnapshotMigrationInputs & SnapshotMigrationResults;
