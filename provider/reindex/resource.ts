// The Reindex resource users declare: one data copy into a destination index.
import * as pulumi from "@pulumi/pulumi";
import { delegatingProvider } from "../runtime/delegate";
import type { Verification } from "../verify";
import type { RemoteBatch } from "./batch-size";
import type { ReindexArgs } from "./schema";
import type { FailureGroup, PartitionState } from "./types";

// The args are derived from the one schema of the inputs (./schema): fields, defaults and descriptions are there, and
// in docs/reference/reindex.md.
export type { ReindexArgs, ReindexModeArgs, ReindexRemoteArgs, ReindexSourceArgs } from "./schema";

/** One data copy into a destination index: remote reindex (or a client-side copy) that resumes, verifies and reports. */
export class Reindex extends pulumi.dynamic.Resource {
  /** "complete", or "failed" when the last run stopped early (the next `pulumi up` continues it). */
  declare readonly status: pulumi.Output<"complete" | "failed">;
  /** Ids of the tasks of the last run ("node:number"). */
  declare readonly taskIds: pulumi.Output<string[]>;
  declare readonly created: pulumi.Output<number>;
  declare readonly updated: pulumi.Output<number>;
  declare readonly versionConflicts: pulumi.Output<number>;
  /** Retries after rejections (429) the engine made: reading the source (search) and writing the destination (bulk). */
  declare readonly retries: pulumi.Output<{ search: number; bulk: number }>;
  /** The engine's first failures of the last run (credentials removed). */
  declare readonly failures: pulumi.Output<string[]>;
  /** Documents the source matches (query and mode) after the run. */
  declare readonly sourceCount: pulumi.Output<number | undefined>;
  /** Documents the destination holds for the same query after the run. */
  declare readonly destCount: pulumi.Output<number | undefined>;
  /** Documents in the destination that the source no longer has, left there (deletes "report" or "ignore"). */
  declare readonly extraInDestination: pulumi.Output<number | undefined>;
  /** What the last run's verification found and repaired: level, counts, missing, extra, differing, repaired, first ids. */
  declare readonly verification: pulumi.Output<Verification | undefined>;
  /** "external": the destination holds the source's versions; "internal": copies overwrite. */
  declare readonly versioning: pulumi.Output<"external" | "internal" | undefined>;
  /** The last run's failures by type, with the first document ids of each. */
  declare readonly failureGroups: pulumi.Output<FailureGroup[] | undefined>;
  /** Incremental: where the last complete run left off (the newest value it read, never past the time it started). */
  declare readonly watermark: pulumi.Output<number | string | undefined>;
  declare readonly durationSeconds: pulumi.Output<number>;
  declare readonly partitionStates: pulumi.Output<PartitionState[]>;
  /** Partitions without a count: the count the first run chose from the destination's write threads, and why. */
  declare readonly partitionCount: pulumi.Output<{ count: number; reason: string } | undefined>;
  /** Documents per remote page the last run used and why (chosen from the average document size, or halved). */
  declare readonly remoteBatch: pulumi.Output<RemoteBatch | undefined>;
  /** Documents found larger than the destination's 100 MiB remote buffer: copied through the client transport. */
  declare readonly oversizeIds: pulumi.Output<string[] | undefined>;
  /** When the destination went live (`{ at, by }`): the copy no longer runs. Undefined while it syncs. */
  declare readonly cutover: pulumi.Output<{ at: string; by: "cutover" | "phase" } | undefined>;

  constructor(name: string, args: ReindexArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      status: undefined,
      taskIds: undefined,
      created: undefined,
      updated: undefined,
      versionConflicts: undefined,
      retries: undefined,
      failures: undefined,
      sourceCount: undefined,
      destCount: undefined,
      extraInDestination: undefined,
      verification: undefined,
      versioning: undefined,
      failureGroups: undefined,
      watermark: undefined,
      durationSeconds: undefined,
      partitionStates: undefined,
      partitionCount: undefined,
      remoteBatch: undefined,
      oversizeIds: undefined,
      cutover: undefined,
    };
    // Both connections may carry credentials (passwords, remote headers): the whole objects are secret in the state,
    // as inputs (pulumi.secret) and as outputs (additionalSecretOutputs).
    super(
      delegatingProvider("Reindex"),
      name,
      { ...args, cluster: pulumi.secret(args.cluster), source: pulumi.secret(args.source), ...outputs },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "cluster", "source"] },
      "es-migrate",
      "Reindex",
    );
  }
}
