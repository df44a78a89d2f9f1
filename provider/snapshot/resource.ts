// The SnapshotMigration resource: large indices moved by snapshot and restore, then caught up and verified.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection } from "../connection/types";
import type { ReindexRemoteArgs } from "../reindex/resource";
import { delegatingProvider } from "../runtime/delegate";
import type { SnapshotDurations, SnapshotIndexResult } from "./types";

type In<T> = pulumi.Input<T>;

export interface SnapshotMigrationArgs {
  /** How the provider reaches the source cluster (snapshot, counts, the catch-up's reads). Secrets stay secret. */
  source: In<{ [K in keyof ClusterConnection]: In<ClusterConnection[K]> }>;
  /** The destination cluster (restore, catch-up, verification). Secrets stay secret. */
  destination: In<{ [K in keyof ClusterConnection]: In<ClusterConnection[K]> }>;
  /**
   * How the destination reaches the source for the catch-up's remote reindex (`source.remote` of Reindex). Default:
   * none, the catch-up copies through the provider (client transport), which needs no allow list.
   */
  sourceRemote?: In<ReindexRemoteArgs>;
  /**
   * The repository both clusters share: registered read-write on the source and `readonly: true` on the destination.
   * `type` "fs" (`settings.location`, a folder in `path.repo` of every node of both clusters), "s3" (`bucket`, and on
   * Amazon OpenSearch Service `role_arn`: the registration is SigV4-signed by an `aws` connection) or "oss" (Alibaba
   * Cloud: `endpoint`, `access_key_id`, `secret_access_key`, `bucket`, `base_path`, `compress`). Secret in the state.
   */
  repository: In<{ name: In<string>; type: In<"fs" | "s3" | "oss">; settings: In<Record<string, unknown>> }>;
  /** Source index names (no wildcards). */
  indices: In<In<string>[]>;
  /** The snapshot's name in the repository. Default: `es-migrate-<resource name>` (lower case). */
  snapshot?: In<string>;
  /**
   * Copies what was written at the source since the snapshot began: a Reindex window on `field` (a date, or a number
   * of epoch milliseconds) from the snapshot's start minus `lookback` (default "5m"). Every later `pulumi up` copies
   * the next window. Without it, each run verifies against the live source and copies by id what differs.
   */
  catchUp?: In<{ field: In<string>; lookback?: In<string | number> }>;
  /** Destination names: the engine's `rename_pattern` / `rename_replacement`, e.g. `{ pattern: "(.+)", replacement: "restored-$1" }`. Default: the same names. */
  rename?: In<{ pattern: In<string>; replacement: In<string> }>;
  /** While true (default), destroy leaves the restored indices in place (the snapshot and the registrations go). */
  deletionProtection?: In<boolean>;
  /** How each run checks the destination against the source: "count", "ids" (default) or "content". Differences are repaired. */
  verify?: In<"count" | "ids" | "content">;
  /** Own deadline of one create/update in seconds. Default 21600 (6h); a running snapshot or restore is attached to by the next up. */
  timeout?: In<number>;
  /**
   * "sync" (default: every `pulumi up` catches up and verifies) or "cutover-done": the restored indices are live, so
   * no later up, refresh or destroy writes to them or deletes them (whatever deletionProtection says). `cutover()`
   * records the same by itself.
   */
  phase?: In<"sync" | "cutover-done">;
}

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
    const secret = ["source", "destination", "sourceRemote", "repository"];
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
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secret] },
      "es-migrate",
      "SnapshotMigration",
    );
  }
}

/** A snapshot name from a resource name: lower case, only what the engine takes. */
export function defaultSnapshotName(name: string): string {
  return `es-migrate-${name.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-")}`;
}
