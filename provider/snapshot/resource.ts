// The SnapshotMigration resource: large indices moved by snapshot and restore, then caught up and verified.
import * as pulumi from "@pulumi/pulumi";
import { delegatingProvider } from "../runtime/delegate";
import { SNAPSHOT_SECRET_INPUTS, type SnapshotMigrationArgs } from "./schema";
import type { SnapshotDurations, SnapshotIndexResult } from "./types";

// The args are derived from the one schema of the inputs (./schema): fields, defaults and descriptions are there, and
// in docs/reference/snapshot-migration.md.
export type { SnapshotMigrationArgs } from "./schema";

/**
 * Moves indices by snapshot and restore (the guides' path above 100 GB): the repository registered on both
 * clusters, one snapshot of the indices at the source, restored at the destination with load settings (replicas 0,
 * refresh off), then the catch-up (a Reindex window from the snapshot's start) and verification, then the source's
 * replicas and refresh interval. The version rules are checked at preview from each index's `index.version.created`.
 */
export class SnapshotMigration extends pulumi.dynamic.Resource {
  /** "complete", or "failed" when the last run stopped early (the next `pulumi up` continues it). */
  declare readonly status: pulumi.Output<"complete" | "failed">;
  declare readonly snapshotName: pulumi.Output<string>;
  /** When the source started the snapshot (ISO 8601): the catch-up copies what was written from then on. */
  declare readonly snapshotStartedAt: pulumi.Output<string | undefined>;
  /** Per index: size in bytes, restored, source and destination counts, documents caught up, verification. */
  declare readonly indexResults: pulumi.Output<SnapshotIndexResult[]>;
  /** Seconds the snapshot, the restore and the catch-up (with verification) took in the last run. */
  declare readonly durations: pulumi.Output<SnapshotDurations>;
  declare readonly verified: pulumi.Output<boolean>;
  declare readonly failures: pulumi.Output<string[]>;
  /** When the restored indices went live (`{ at, by }`), once recorded: the migration no longer runs. */
  declare readonly cutover: pulumi.Output<{ at: string; by: "cutover" | "phase" } | undefined>;

  constructor(name: string, args: SnapshotMigrationArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      status: undefined,
      snapshotName: undefined,
      snapshotStartedAt: undefined,
      indexResults: undefined,
      durations: undefined,
      verified: undefined,
      failures: undefined,
      cutover: undefined,
    };
    super(
      delegatingProvider("SnapshotMigration"),
      name,
      {
        ...args,
        snapshot: args.snapshot ?? defaultSnapshotName(name),
        source: pulumi.secret(args.source),
        destination: pulumi.secret(args.destination),
        sourceRemote: args.sourceRemote === undefined ? undefined : pulumi.secret(args.sourceRemote),
        repository: pulumi.secret(args.repository),
        ...outputs,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SNAPSHOT_SECRET_INPUTS] },
      "es-migrate",
      "SnapshotMigration",
    );
  }
}

/** A snapshot name from a resource name: lower case, only what the engine takes. */
export function defaultSnapshotName(name: string): string {
  return `es-migrate-${name.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-")}`;
}
