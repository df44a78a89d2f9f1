// The MigratedIndex resource: one index's migration (destination index, copy, finish) as one registered resource.
import * as pulumi from "@pulumi/pulumi";
import { delegatingProvider } from "../runtime/delegate";
import type { MigratedIndexArgs } from "./schema";
import type { MigratedIndexSummary } from "./types";

// The args are derived from the one schema of the inputs (./schema), itself made of the parts' schemas: fields,
// defaults and descriptions are there, and in docs/reference/migrated-index.md.
export type { MigratedIndexArgs } from "./schema";

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
