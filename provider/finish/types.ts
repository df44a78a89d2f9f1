// MigrationFinish's three shapes: what a user writes (Args, Pulumi inputs), what the provider sees after check
// (Inputs, plain and normalized) and what it records (Outputs).
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection, ClusterInfo } from "../connection/types";
import type { FlatSettings } from "../settings";
import type { CutoverRecord, Phase } from "../shared/live-destination";

export interface MigrationFinishArgs {
  /** The destination cluster. Stored as a secret (whole object). */
  cluster: pulumi.Input<ClusterConnection>;
  /** The index the data was copied into (usually `DestinationIndex.index`). */
  index: pulumi.Input<string>;
  /**
   * Dynamic settings to restore once the data is in, usually `DestinationIndex.finalSettings` (replicas and refresh
   * interval back from their load values). Nested or flat; `null` resets a setting to the engine default.
   */
  finalSettings: pulumi.Input<Record<string, unknown>>;
  /**
   * Move this alias to the index, atomically (one `POST _aliases`): removed from every other index that has it,
   * added here, as the write index when it was one before. Default: no alias is touched.
   */
  alias?: pulumi.Input<string>;
  /** Refresh the index before counting. Default true. */
  refresh?: pulumi.Input<boolean>;
  /**
   * Compare the index's document count with the source's, like with like: `sourceCount` is what the copy's
   * query matches at the source (`Reindex.verification.sourceCount`), `query` the same query (counted here at the
   * destination; default every document) and `extra` the documents the copy knowingly left that the source no
   * longer has (`verification.extraKept`). Fewer documents than the source fail the finish before any alias moves.
   * Default: counts are reported, not compared.
   */
  verify?: pulumi.Input<
    | { sourceCount: pulumi.Input<number>; query?: pulumi.Input<Record<string, unknown>>; extra?: pulumi.Input<number> }
    | undefined
  >;
  /**
   * What makes the finish run again: the copy's run identity (e.g. `Reindex.taskIds`, `watermark`,
   * `durationSeconds`). Any change re-applies the settings, refreshes, counts and checks the alias.
   */
  trigger?: pulumi.Input<unknown>;
  /**
   * "sync" (default) or "cutover-done": the index is live; the next up records that (in the state and the index's
   * mapping `_meta`) and the finish never runs again (no settings restored, no alias moved).
   */
  phase?: pulumi.Input<"sync" | "cutover-done">;
}

export interface MigrationFinishInputs {
  cluster: ClusterConnection;
  index: string;
  finalSettings: FlatSettings;
  alias?: string;
  refresh: boolean;
  verify?: { sourceCount: number; query?: Record<string, unknown>; extra?: number };
  trigger?: unknown;
  phase?: Phase;
}

export interface MigrationFinishResults {
  /** Documents in the index after the refresh. */
  destCount: number;
  /** The source count compared against (null: no verification asked). */
  sourceCount: number | null;
  /** True when a source count was given and the index holds at least as many documents. */
  verified: boolean;
  /** Indices the alias was removed from by the last run (empty when it already pointed here or no alias). */
  aliasMovedFrom: string[];
  /** The finalSettings keys as they are live (absent: the engine default), so `pulumi refresh` shows drift. */
  settings: FlatSettings;
  /** Indices holding the alias, as last seen (only `[index]` after a cutover). */
  aliasIndices: string[];
  destInfo: ClusterInfo;
  /** When the index went live: the finish no longer runs. */
  cutover?: CutoverRecord;
}

export type MigrationFinishOutputs = MigrationFinishInputs & MigrationFinishResults;
