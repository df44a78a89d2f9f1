// MigratedIndex's shapes: the grouped inputs (few top-level properties: each one costs output promises at every
// registration) and the state, which keeps each part's own state without its connections (those live once, secret,
// under `connections`).
import type { ClusterConnection } from "../connection/types";
import type { DestinationIndexOutputs } from "../destination-index/types";
import type { MigrationFinishOutputs } from "../finish/types";
import type { CopyOptions } from "../reindex/schema";
import type { RemoteSource, ReindexOutputs } from "../reindex/types";
import type { Phase } from "../shared/live-destination";
import type { CopyEstimate, CopyRate } from "./estimate";

/** How the provider reaches both clusters, and how the destination reaches the source. Stored as one secret. */
export interface MigratedIndexConnections {
  destination: ClusterConnection;
  source: ClusterConnection;
  /** `source.remote` of remote reindex. */
  remote?: RemoteSource;
}

/** The destination index's part: DestinationIndex's inputs but the cluster, the name and copyFrom. */
export interface TargetOptions {
  settings?: Record<string, unknown>;
  mappings?: Record<string, unknown>;
  loadSettings?: Record<string, unknown>;
  deletionProtection?: boolean;
  adoptExisting?: boolean;
}

/** The copy's part: Reindex's options (`query` and `size` go to its `source`), from Reindex's schema. */
export type { CopyOptions } from "../reindex/schema";

/** The finish's part: the settings restored over the index's final ones, and the alias to cut over. */
export interface FinishOptions {
  finalSettings?: Record<string, unknown>;
  alias?: string;
}

/** What the provider sees: plain values as the program gave them (each part's own check normalizes). */
export interface MigratedIndexInputs {
  connections: MigratedIndexConnections;
  sourceIndex: string;
  destIndex: string;
  target: TargetOptions;
  copy: CopyOptions;
  finish: FinishOptions;
  /** "cutover-done": the destination is live; the migration no longer writes to it (../shared/live-destination). */
  phase?: Phase;
}

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
