// The MigratedIndex resource: one index's migration (destination index, copy, finish) as one registered resource.
import * as pulumi from "@pulumi/pulumi";
import type { ReindexModeArgs } from "../reindex/resource";
import { delegatingProvider } from "../runtime/delegate";
import type { MigratedIndexConnections, MigratedIndexSummary } from "./types";

type In<T> = pulumi.Input<T>;

export interface MigratedIndexArgs {
  /**
   * How the provider reaches the destination and the source, and how the destination reaches the source for remote
   * reindex (`remote`). One object, stored as one secret: ClusterMigration builds it once for all its indices.
   */
  connections: In<MigratedIndexConnections>;
  /** The source index (one index, no wildcard). */
  sourceIndex: In<string>;
  /** The destination index's name. */
  destIndex: In<string>;
  /** The destination index: settings, mappings, loadSettings, deletionProtection (default true), adoptExisting. See DestinationIndex. */
  target?: In<{
    settings?: In<Record<string, unknown>>;
    mappings?: In<Record<string, unknown>>;
    loadSettings?: In<Record<string, unknown>>;
    deletionProtection?: In<boolean>;
    adoptExisting?: In<boolean>;
  }>;
  /** The copy: mode, partitions, transport, query, size, requestsPerSecond, conflicts, timeout, verify, deletes, maxDeletePercent, scroll. See Reindex. */
  copy?: In<{
    mode?: In<ReindexModeArgs>;
    partitions?: In<{ field: In<string>; count?: In<number> }>;
    transport?: In<"remote" | "client">;
    query?: In<Record<string, any>>;
    size?: In<number>;
    requestsPerSecond?: In<number>;
    conflicts?: In<"abort" | "proceed">;
    timeout?: In<number>;
    verify?: In<"count" | "ids" | "content">;
    deletes?: In<"ignore" | "report" | "reconcile">;
    maxDeletePercent?: In<number>;
    scroll?: In<string>;
  }>;
  /** The finish: finalSettings over the index's final ones, and the alias moved once the counts verify. See MigrationFinish. */
  finish?: In<{ finalSettings?: In<Record<string, unknown>>; alias?: In<string> }>;
  /**
   * "sync" (default): every up copies what changed. "cutover-done": the destination is live (the application writes
   * to it): the next up records that (state and the index's mapping `_meta`), and from then on nothing is copied,
   * repaired, deleted or changed for this index, and removing it from the program leaves the index.
   */
  phase?: In<"sync" | "cutover-done">;
}

/**
 * One index migrated by one resource: the destination index created from the source's (load settings while the
 * data comes), the copy (remote reindex or client copy, windows, versioning, verification, deletes), and the finish
 * (final settings, like-with-like counts, alias cutover). Its diff says which part changes and why; a replacement is
 * the index's own (its reason is named), refused while deletionProtection is on. ClusterMigration declares one per
 * index; DestinationIndex, Reindex and MigrationFinish remain for programs that compose the parts by hand.
 */
export class MigratedIndex extends pulumi.dynamic.Resource {
  /** Counts, rate, verification and watermark of the last run. */
  declare readonly summary: pulumi.Output<MigratedIndexSummary>;

  constructor(name: string, args: MigratedIndexArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      delegatingProvider("MigratedIndex"),
      name,
      { ...args, connections: pulumi.secret(args.connections), summary: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connections"] },
      "es-migrate",
      "MigratedIndex",
    );
  }
}
