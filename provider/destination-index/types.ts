// What a DestinationIndex records in the state (Outputs). What a user writes (Args) and what the provider sees
// after check (Inputs) are derived from the one schema of ./schema.
import type { ClusterInfo } from "../connection/types";
import type { FlatSettings, Mapping } from "../settings";
import type { CutoverRecord } from "../shared/live-destination";
import type { AliasOptions, DestinationIndexInputs } from "./schema";

export type {
  AliasOptions,
  CopyFromArgs,
  CopyFromInputs,
  DestinationIndexArgs,
  DestinationIndexInputs,
} from "./schema";

/** What a copyFrom read from the source, kept so later diffs need not reach it. */
export interface CopiedSnapshot {
  settings: FlatSettings;
  mappings: Mapping;
  /** The source's mapping type (6.x sources). */
  typeName?: string;
}

export interface DestinationIndexOutputs extends Omit<DestinationIndexInputs, "settings" | "mappings"> {
  /** The index's UUID on the destination: changes when the index is created again. */
  uuid: string;
  /** Effective settings: copied, overridden by declared ones (canonical form), without the load settings. */
  settings: FlatSettings;
  /** Effective typeless mappings: copied, overridden by declared fields. */
  mappings: Mapping;
  /** What to restore after the load: for each load setting, the declared/source value or the engine default (null: reset). */
  finalSettings: FlatSettings;
  aliases: Record<string, AliasOptions>;
  /** Settings the engine chose because none were declared (e.g. the shard count), kept to compare later. */
  engineSettings: FlatSettings;
  copied?: CopiedSnapshot;
  sourceInfo?: ClusterInfo;
  destInfo: ClusterInfo;
  /** True when the index existed and was adopted rather than created. */
  adopted: boolean;
  /** When the index went live (cutover() or phase "cutover-done"): nothing changes it anymore. */
  cutover?: CutoverRecord;
}

/** The outputs that are not inputs: the resource seeds them (so they are known to the engine), check passes them. */
export const DESTINATION_INDEX_OUTPUT_ONLY = [
  "uuid",
  "finalSettings",
  "engineSettings",
  "copied",
  "sourceInfo",
  "destInfo",
  "adopted",
  "cutover",
] as const satisfies readonly (keyof DestinationIndexOutputs)[];
