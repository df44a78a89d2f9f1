// What the SnapshotMigration provider records (outputs). The inputs it sees after check and the args users write
// are derived from the one schema of ./schema.
import type { RunResults } from "../reindex/run";
import type { CutoverRecord } from "../shared/live-destination";
import type { Verification } from "../verify";
import type { SnapshotMigrationInputs } from "./schema";

export type {
  CatchUpSpec,
  RenameSpec,
  RepositorySpec,
  RepositoryType,
  SnapshotMigrationArgs,
  SnapshotMigrationInputs,
} from "./schema";

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
