// The MigratedIndexGroup resource: several indices' MigratedIndex in one registered resource (ClusterMigration's
// `groups` option).
import * as pulumi from "@pulumi/pulumi";
import { delegatingProvider } from "../runtime/delegate";
import type { MigratedIndexArgs } from "./resource";
import type { MigratedIndexConnections, MigratedIndexSummary } from "./types";

type In<T> = pulumi.Input<T>;

export interface MigratedIndexGroupArgs {
  /** How the provider reaches both clusters (stored once, secret, for every index of the group). */
  connections: In<MigratedIndexConnections>;
  /** The ClusterMigration's name: its groups share one limit of indices copying at once. */
  migration: In<string>;
  /** This group's place: `{ index, count }`. An index's group is a hash of its name (`groupOf`). */
  group: In<{ index: number; count: number }>;
  /** At most this many indices of the migration copy at once, across its groups. */
  concurrency: In<number>;
  /** By source index name: what MigratedIndex takes, but the connections. */
  indices: In<Record<string, In<Omit<MigratedIndexArgs, "connections">>>>;
}

/**
 * Several indices migrated by one registered resource: each index does exactly what a MigratedIndex does
 * (destination index, copy, finish; its lines in preview and up), and the group creates, updates, replaces or
 * deletes each index as the engine would a MigratedIndex. For migrations of hundreds of indices, where the engine's
 * cost per registered resource, not the work, sets the preview's time. ClusterMigration declares them with `groups`.
 */
export class MigratedIndexGroup extends pulumi.dynamic.Resource {
  /** One row per index of the group, by source index name. */
  declare readonly summary: pulumi.Output<MigratedIndexSummary[]>;

  constructor(name: string, args: MigratedIndexGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      delegatingProvider("MigratedIndexGroup"),
      name,
      { ...args, connections: pulumi.secret(args.connections), summary: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connections"] },
      "es-migrate",
      "MigratedIndexGroup",
    );
  }
}
