// The documented arguments and summaries of the migration components.
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection } from "../../provider/connection/types";
import type { MigratedIndexSummary } from "../../provider/migrated-index/types";
import type { ReindexModeArgs, ReindexRemoteArgs } from "../../provider/reindex";
import type { SnapshotMigrationArgs } from "../../provider/snapshot";

type In<T> = pulumi.Input<T>;

/** A cluster connection whose fields may be Pulumi inputs, e.g. `{ url, username, password: cfg.requireSecret("pw") }`. */
export type ConnectionArgs = In<{ [K in keyof ClusterConnection]: In<ClusterConnection[K]> }>;

/** How one index is copied and finished; shared by IndexMigration and ClusterMigration's defaults/overrides. */
export interface IndexMigrationOptions {
  /** Name of the index on the destination. Default: the source index's name. */
  destIndex?: In<string>;
  /**
   * `{ type: "full" }` (default), `{ type: "incremental", field, lookback? }` (each `pulumi up` copies the window from
   * the last watermark minus the look-back, default "5m") or `{ type: "missingField", field }`. See Reindex.
   */
  mode?: In<ReindexModeArgs>;
  /** Parallel remote reindex tasks over disjoint ranges of a numeric or date field, e.g. `{ field: "update_time", count: 4 }`. Default: one task. */
  partitions?: In<{ field: In<string>; count?: In<number> }>;
  /** "remote" (default): the destination pulls from the source. "client": the provider copies (the destination cannot reach the source). */
  transport?: In<"remote" | "client">;
  /** Query DSL narrowing what is copied, e.g. `{ range: { ts: { gte: "now-30d" } } }`. Default: every document. */
  query?: In<Record<string, any>>;
  /** Documents per scroll page read from the source. Default 1000; lower it for large documents. */
  size?: In<number>;
  /** Throttle of the copy in documents per second. Default: none. */
  requestsPerSecond?: In<number>;
  /** "proceed" counts version conflicts instead of stopping. Default "abort". */
  conflicts?: In<"abort" | "proceed">;
  /** Own deadline of one copy in seconds. Default 21600 (6h); running tasks stay and the next `pulumi up` attaches. */
  timeout?: In<number>;
  /** How each copy is checked and repaired: "count", "ids" (default: id sets compared, missing copied again) or "content" (also each `_source`). */
  verify?: In<"count" | "ids" | "content">;
  /** Destination documents the source no longer has: "report" (default), "reconcile" (deleted during up, up to maxDeletePercent) or "ignore". */
  deletes?: In<"ignore" | "report" | "reconcile">;
  /** With deletes "reconcile": above this share (percent) of the destination's documents, up fails and deletes nothing. Default 5. */
  maxDeletePercent?: In<number>;
  /** Keep-alive of the source scroll between two pages, e.g. "30m". Default: 5m per 1,000 documents per page. */
  scroll?: In<string>;
  /** Destination index settings over the copied ones (nested or flat). Static ones replace the index when changed. */
  settings?: In<Record<string, unknown>>;
  /** Typeless mappings; each field overrides the copied field of the same name. */
  mappings?: In<Record<string, unknown>>;
  /** Settings while the data loads. Default `{ number_of_replicas: 0, refresh_interval: "-1" }`; `{}` loads with the final settings. */
  loadSettings?: In<Record<string, unknown>>;
  /**
   * Settings the index gets once loaded, over what the DestinationIndex reports (the source's or declared values,
   * else the engine defaults), e.g. `{ number_of_replicas: 1 }`. They are also declared on the DestinationIndex, so
   * later runs do not see them as drift. Dynamic settings only. Default: the DestinationIndex's finalSettings.
   */
  finalSettings?: In<Record<string, unknown>>;
  /** Move this alias to the new index once the counts verify (cutover, one atomic `POST _aliases`). Default: none. */
  alias?: In<string>;
  /** While true (default), destroying or replacing the destination index fails and the data stays. */
  deletionProtection?: In<boolean>;
  /** Take over a destination index that already exists instead of failing. Default false. */
  adoptExisting?: In<boolean>;
  /**
   * "sync" (default): every `pulumi up` copies what changed. "cutover-done": the destination index is live (the
   * application writes to it): the next up records that, and from then on nothing is copied, repaired, deleted,
   * restored or moved for this index; removing it from the program leaves the index. See docs/automation.md.
   */
  phase?: In<"sync" | "cutover-done">;
}

export interface IndexMigrationArgs extends IndexMigrationOptions {
  /** How the program and the providers reach the source (counts, settings, mappings, listing). Secrets stay secret. */
  source: ConnectionArgs;
  /**
   * How the DESTINATION reaches the source for remote reindex (`source.remote`): `scheme://host:port`, port written
   * out, listed in the destination's `reindex.remote.whitelist` (OpenSearch 2+: `allowlist`). Default: `source.url` with the source's
   * username/password (an API key is sent as an `Authorization: ApiKey` header).
   */
  sourceRemote?: In<ReindexRemoteArgs>;
  /** The destination cluster. Secrets stay secret. */
  destination: ConnectionArgs;
  /** The source index (one index, no wildcard). */
  index: In<string>;
}

/** One index's result, as IndexMigration.summary and ClusterMigration.summary rows report it. */
export type IndexMigrationSummary = MigratedIndexSummary;

/** What ClusterMigration's defaults and overrides can set: everything of one index but where it comes from. */
export type IndexMigrationDefaults = Omit<IndexMigrationOptions, "destIndex" | "alias" | "phase">;
export type IndexMigrationOverride = IndexMigrationOptions;

export interface ClusterMigrationArgs {
  /** How the program and providers reach the source; the index list is read from it at preview and up. */
  source: ConnectionArgs;
  /** How the destination reaches the source for remote reindex. Default: `source.url` with its credentials. */
  sourceRemote?: In<ReindexRemoteArgs>;
  /** The destination cluster. */
  destination: ConnectionArgs;
  /**
   * Index and data stream name patterns to migrate (`*` wildcard). Default `["*"]`: every open, non-system index and
   * every data stream. A dot-prefixed index is taken only by a pattern that starts with the dot (e.g. ".app-*").
   */
  include?: string[];
  /** Index and data stream name patterns to leave out. Default: none. */
  exclude?: string[];
  /** Options for every index (mode, partitions, loadSettings, ...). `destIndex` and `alias` belong in overrides. */
  defaults?: IndexMigrationDefaults;
  /** Per source index name: options over the defaults (destIndex, alias, mode, ...). */
  overrides?: Record<string, IndexMigrationOverride>;
  /** How many indices copy at once (lanes). Default 2. */
  concurrency?: number;
  /**
   * Register the indices as this many MigratedIndexGroup resources instead of one MigratedIndex each: for hundreds
   * of indices, where the engine's cost per registered resource sets the preview's time (docs/migrations.md,
   * "Groups"). An index's group is a hash of its name, so adding or removing indices never moves the others; the
   * number is fixed for the stack's life (a change is refused at preview). Every index still has its lines in
   * preview and up; `concurrency` still bounds how many copy at once. Default: no groups (one MigratedIndex per index).
   */
  groups?: number;
  /** Destination name of a source index. Default: the same name. An override's destIndex wins. */
  destIndexName?: (source: string) => string;
  /**
   * How indices move: "reindex" (default: one MigratedIndex per index), "snapshot" (all of them through one
   * SnapshotMigration: snapshot, restore, catch-up) or "auto" (indices whose primary store is above
   * snapshotAboveBytes by snapshot, the rest by reindex). Snapshot indices keep their names.
   */
  method?: MigrationMethod;
  /** With method "auto": primary store size in bytes above which an index goes by snapshot. Default 100 GB (the Alibaba Cloud guide's line). */
  snapshotAboveBytes?: number;
  /**
   * With method "snapshot" or "auto": the repository both clusters share, the catch-up (`{ field, lookback? }`: what
   * was written since the snapshot began, copied by a Reindex window), the snapshot's name and the deadline. The
   * SnapshotMigration takes `verify` and `deletionProtection` from `defaults`. See SnapshotMigration.
   */
  snapshot?: {
    repository: SnapshotMigrationArgs["repository"];
    catchUp?: SnapshotMigrationArgs["catchUp"];
    snapshot?: SnapshotMigrationArgs["snapshot"];
    timeout?: SnapshotMigrationArgs["timeout"];
  };
  /**
   * "sync" (default) or "cutover-done": every index's destination is live (after a cutover): the next up records
   * that and from then on the migration writes nothing to the destination; removing it leaves the indices.
   * `overrides[index].phase` sets it per index (e.g. indices cut over one at a time).
   */
  phase?: In<"sync" | "cutover-done">;
  /**
   * The cluster objects copied beside the indices, so that the application works at the destination. Default: every
   * kind on: the source's templates (composable and legacy) and component templates, ingest pipelines and stored
   * scripts (system ones, `.`-named or engine-managed, are never copied), and the aliases of the migrated indices
   * (pointing at their destination names; an alias named in an override's `alias` is the cutover's, not copied).
   * Each kind is `true`, `false` (left out) or `{ include?, exclude? }` name patterns. See docs/migrations.md,
   * "Cluster objects".
   */
  objects?: ClusterObjectsOptions;
}

/** Which objects of one kind are copied: names matching one `include` pattern (default: all) and no `exclude` one. */
export interface ObjectSelection {
  /** Name patterns (`*` wildcard) to copy. Default: every name. */
  include?: string[];
  /** Name patterns to leave out. Default: none. */
  exclude?: string[];
}

/** ClusterMigration's `objects`: each kind on (default), off, or narrowed by name. */
export interface ClusterObjectsOptions {
  /** Composable (`_index_template`) and legacy (`_template`) index templates. Default true. */
  templates?: boolean | ObjectSelection;
  /** Component templates (`_component_template`), the parts composable templates are made of. Default true. */
  componentTemplates?: boolean | ObjectSelection;
  /** Ingest pipelines (`_ingest/pipeline`); the ones an index names are restored on it by the finish. Default true. */
  pipelines?: boolean | ObjectSelection;
  /** Stored scripts and search templates (`_scripts`). Default true. */
  scripts?: boolean | ObjectSelection;
  /** The migrated indices' aliases (filter, routing, write index, hidden), selected by alias name. Default true. */
  aliases?: boolean | ObjectSelection;
  /**
   * Take over objects the destination already has under a source object's name with another definition: their
   * definitions are replaced by the source's. Default false: such an object stops the preview, named.
   */
  adoptExisting?: boolean;
  /** Data streams (see ClusterMigration's data streams). Default true. */
  dataStreams?: boolean;
}

/** How ClusterMigration moves an index. */
export type MigrationMethod = "reindex" | "snapshot" | "auto";

/** One skipped source index and why. */
export interface SkippedIndex {
  index: string;
  reason: "system" | "closed";
}

export interface ClusterMigrationSummary {
  /** One row per index, and one per data stream (`dataStream: true`, index and destIndex the stream's name). */
  rows: (IndexMigrationSummary & { dataStream?: true })[];
  /**
   * durationSeconds: the last runs' copy seconds, summed; estimatedSeconds: what the previews of those runs estimated
   * they would take, summed (indices whose last run had an estimate).
   */
  totals: {
    indices: number;
    sourceCount: number;
    destCount: number;
    created: number;
    updated: number;
    durationSeconds: number;
    estimatedSeconds: number;
    verified: boolean;
  };
}
