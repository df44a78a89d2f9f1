// The DestinationIndex's three shapes: what a user writes (Args, Pulumi inputs), what the provider sees after
// check (Inputs, plain and normalized), and what it records in the state (Outputs).
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection, ClusterInfo } from "../connection/types";
import type { FlatSettings, Mapping } from "../settings";
import type { CutoverRecord, Phase } from "../shared/live-destination";

/** Options of one alias, as the create-index API takes them. */
export interface AliasOptions {
  /** Query DSL filter: only matching documents are seen through the alias. */
  filter?: Record<string, unknown>;
  /** Routing value for both indexing and search through the alias. */
  routing?: string;
  index_routing?: string;
  search_routing?: string;
  /** Make this index the alias's write index. */
  is_write_index?: boolean;
  is_hidden?: boolean;
}

export interface CopyFromArgs {
  /** How to reach the source cluster (URL, credentials). Secrets are stored encrypted in the state. */
  cluster: pulumi.Input<ClusterConnection>;
  /** The source index whose settings and mappings are copied. */
  index: pulumi.Input<string>;
}

export interface DestinationIndexArgs {
  /**
   * How to reach the destination cluster: URL with scheme and port, and username/password, apiKey or aws (SigV4).
   * The whole connection is stored as a secret. Pointing it at another cluster (another URL) replaces the index.
   */
  cluster: pulumi.Input<ClusterConnection>;
  /** Name of the index on the destination. Lowercase, no `*?"<>|,#/\` or spaces. Changing it replaces the index. */
  index: pulumi.Input<string>;
  /**
   * Copy the settings (shard count, analysis, other user settings) and mappings of a source index, the way
   * Alibaba's indiceCreate.py does: read-only settings stripped, a 6.x mapping type unwrapped for 7+/OpenSearch.
   * Read once at create (and again only when copyFrom's URL or index changes). Removing copyFrom later keeps what
   * was copied. Default: nothing copied, only `settings` and `mappings`.
   */
  copyFrom?: pulumi.Input<CopyFromArgs>;
  /**
   * Index settings, nested (`{ number_of_shards: 3 }`, `{ index: { ... } }`) or flat (`{ "index.codec": ... }`).
   * They override copied ones. Static settings (shards, codec, analysis, sort) replace the index when changed;
   * dynamic ones (replicas, refresh interval, max_result_window, ...) are updated in place.
   */
  settings?: pulumi.Input<Record<string, unknown>>;
  /**
   * Typeless mappings (`{ properties: { ... } }`); fields override copied fields of the same name. Added fields
   * update in place; a changed type or a removed field replaces the index.
   */
  mappings?: pulumi.Input<Record<string, unknown>>;
  /** Aliases of the index, name to options (`{ "logs": {} }`), or a list of names. Updated in place. */
  aliases?: pulumi.Input<Record<string, pulumi.Input<AliasOptions>> | pulumi.Input<string>[]>;
  /**
   * Dynamic settings applied while data is loaded, over the declared/copied ones.
   * Default `{ number_of_replicas: 0, refresh_interval: "-1" }`. `finalSettings` says what to restore afterwards
   * (the migration does). Set `{}` to create the index with its final settings right away.
   */
  loadSettings?: pulumi.Input<Record<string, unknown>>;
  /**
   * While true, deleting the index (destroy, or a replace) fails and the index stays. Default true: set false
   * (and `pulumi up`) before a change that replaces the index or before `pulumi destroy`.
   */
  deletionProtection?: pulumi.Input<boolean>;
  /**
   * Take over an index that already exists instead of failing: its settings and mappings are compared with the
   * declared ones, dynamic settings and new fields are applied, a static difference is an error. Load settings are
   * not applied to an adopted index. Default false.
   */
  adoptExisting?: pulumi.Input<boolean>;
  /**
   * "sync" (default): the index is the migration's, updated as declared. "cutover-done": the index is the live one
   * (the application writes to it): the next up records that (in the state and the index's mapping `_meta`) and from
   * then on no settings, mappings or aliases are changed, and removing the resource (or destroy) leaves the index,
   * whatever deletionProtection says. `cutover()` of `pulumi-es-migrate/automation` records the same by itself.
   */
  phase?: pulumi.Input<"sync" | "cutover-done">;
}

export interface CopyFromInputs {
  cluster: ClusterConnection;
  index: string;
}

/** What the provider sees after check: plain values, settings in canonical form, defaults filled in. */
export interface DestinationIndexInputs {
  cluster: ClusterConnection;
  index: string;
  copyFrom?: CopyFromInputs;
  settings?: FlatSettings;
  mappings?: Mapping;
  aliases?: Record<string, AliasOptions>;
  loadSettings: FlatSettings;
  deletionProtection: boolean;
  adoptExisting: boolean;
  phase?: Phase;
}

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
