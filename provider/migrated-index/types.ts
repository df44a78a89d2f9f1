// MigratedIndex's state, which keeps each part's own state without its connections (those live once, secret, under
// `connections`). The grouped inputs (few top-level properties: each one costs output promises at every
// registration) and the args are derived from the one schema of ./schema.
import type { DestinationIndexOutputs } from "../destination-index/types";
import type { MigrationFinishOutputs } from "../finish/types";
import type { ReindexOutputs } from "../reindex/types";
import type { CopyEstimate, CopyRate } from "./estimate";
import type { MigratedIndexInputs } from "./schema";

export type {
  FinishOptions,
  MigratedIndexArgs,
  MigratedIndexConnections,
  MigratedIndexInputs,
  TargetOptions,
} from "./schema";
/** The copy's part: Reindex's options (`query` and `size` go to its `source`), from Reindex's schema. */
export type { CopyOptions } from "../reindex/schema";

/** One row of ClusterMigration.summary: what users read after an up. */
export interface MigratedIndexSummary {
  index: string;
  destIndex: string;
  uuid: string;
  sourceCount: number | null;
  destCount: number;
  created: number;
  updated: number;
  durationSeconds: number;
  docsPerSecond: number;
  verified: boolean;
  watermark: number | string | null;
  /** Source store bytes per second of the last run that copied documents (0 when the source's size was not known). */
  bytesPerSecond?: number;
  /** What the preview of the last run estimated it would move and take (compare with durationSeconds). */
  estimate?: CopyEstimate;
  /** When the destination went live (cutover() or phase "cutover-done"): the copy no longer runs. */
  cutoverAt?: string;
}

type WithoutConnection<T> = Omit<T, "cluster">;

export interface MigratedIndexOutputs extends MigratedIndexInputs {
  /** DestinationIndex's state (no cluster, copyFrom without its cluster). */
  indexState?: WithoutConnection<DestinationIndexOutputs> & { copyFrom?: { index: string } };
  /** Reindex's state (no cluster, source without remote and cluster). */
  copyState?: WithoutConnection<ReindexOutputs>;
  /** MigrationFinish's state (no cluster). */
  finishState?: WithoutConnection<MigrationFinishOutputs>;
  summary?: MigratedIndexSummary;
  /** The rate of the last run that copied documents: the next preview's estimates use it. */
  copyRate?: CopyRate;
  /** The estimate made before the last run (check or diff of the same command). */
  estimate?: CopyEstimate;
}
