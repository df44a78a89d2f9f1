// What MigrationFinish records (Outputs). What a user writes (Args) and what the provider sees after check (Inputs)
// are derived from the one schema of ./schema.
import type { ClusterInfo } from "../connection/types";
import type { FlatSettings } from "../settings";
import type { CutoverRecord } from "../shared/live-destination";
import type { MigrationFinishInputs } from "./schema";

export type { MigrationFinishArgs, MigrationFinishInputs } from "./schema";

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

/** The outputs that are not inputs: the resource seeds them (so they are known to the engine), check passes them. */
export const FINISH_OUTPUT_ONLY = [
  "destCount",
  "sourceCount",
  "verified",
  "aliasMovedFrom",
  "settings",
  "aliasIndices",
  "destInfo",
  "cutover",
] as const satisfies readonly (keyof MigrationFinishResults)[];
