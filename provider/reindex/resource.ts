// The Reindex resource users declare: one data copy into a destination index.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection } from "../connection/types";
import { delegatingProvider } from "../runtime/delegate";
import type { Verification } from "../verify";
import type { RemoteBatch } from "./batch-size";
import type { FailureGroup, PartitionState } from "./types";

type In<T> = pulumi.Input<T>;

export interface ReindexRemoteArgs {
  /**
   * The source as the destination cluster reaches it: `scheme://host:port`, port written out, no path
   * (e.g. "http://10.0.0.5:9200"; on Alibaba Cloud v3 the PrivateLink endpoint domain, on AWS ":443").
   * It must be in the destination's `reindex.remote.whitelist` (`reindex.remote.allowlist` on OpenSearch 2+, the only
   * name OpenSearch 3 reads); preview checks that when the destination's node settings show it, and warns otherwise.
   */
  host: In<string>;
  /** Basic-auth user on the source. Default: none. */
  username?: In<string>;
  /** Basic-auth password on the source. Kept secret in the state and never logged. */
  password?: In<string>;
  /** How long the destination waits for each page from the source, e.g. "120s". Default "30s"; raise it for large documents or a slow source. */
  socketTimeout?: In<string>;
  /** How long the destination waits to connect to the source, e.g. "10s". Default "30s". */
  connectTimeout?: In<string>;
  /** Extra headers the destination sends to the source (e.g. a proxy's token). Kept secret. Default: none. */
  headers?: In<Record<string, In<string>>>;
  /** Amazon OpenSearch Service destinations only: the source is not an AWS domain (https, public-CA certificate, basic auth). */
  external?: In<boolean>;
  /** Amazon OpenSearch Service destinations only: region of a source domain in another region. */
  region?: In<string>;
}

export interface ReindexSourceArgs {
  /** Source index (or pattern, e.g. "logs-2024-*"). */
  index: In<string>;
  /** Where the destination pulls from. Leave out for a source index on the destination cluster itself. */
  remote?: In<ReindexRemoteArgs>;
  /**
   * How this provider reaches the source for counts, partition ranges and the client transport. Default: the remote
   * host with its username/password. Set it when the provider sees the source at another address than the
   * destination does (e.g. a tunnel, or a TLS CA the provider needs).
   */
  cluster?: In<ClusterConnection>;
  /** Query DSL (the inside of `query`, e.g. `{ term: { tenant: "blue" } }`) narrowing what is copied. Default: all documents. */
  query?: In<Record<string, any>>;
  /**
   * Documents per scroll page read from the source. Default: chosen from the source's average document size (a page
   * of about 25 MiB, 1 to 1000 documents). Set, it is where a run starts. Either way a page the destination cannot
   * buffer ("chunk that was too large") is halved and the copy goes on; see docs/reindex.md.
   */
  size?: In<number>;
}

export type ReindexModeArgs =
  | { type: "full" }
  | {
      type: "incremental";
      /** A date (or number) that every write sets to its time, e.g. "update_time". */
      field: string;
      /**
       * How far before the last watermark each window starts: writes that become searchable late (buffered pipelines,
       * refresh lag, retries, writers whose clocks differ) and writes at the watermark's own value are found. A
       * duration ("5m", "30s", "2h"; for a numeric field, milliseconds) or a number in the field's units. Default "5m".
       */
      lookback?: string | number;
    }
  | { type: "missingField"; field: string };

export interface ReindexArgs {
  /** The destination cluster: it runs the reindex task. Passwords and keys in it are kept secret. */
  cluster: In<ClusterConnection>;
  /** The destination index, usually `DestinationIndex.index`. */
  destIndex: In<string>;
  /** `DestinationIndex.uuid`: when the index is recreated (new uuid), the copy runs again in full. Default: not tracked. */
  destIndexUuid?: In<string>;
  /** What to copy and from where. */
  source: In<ReindexSourceArgs>;
  /**
   * `{ type: "full" }` (default) copies everything the query matches once. `{ type: "incremental", field, lookback? }`
   * copies, on each `pulumi up`, the window of documents whose `field` (a date or number that grows on every write) is
   * at or past the last watermark minus the look-back; preview says exactly how many documents the destination lacks
   * or holds in an older version. `{ type: "missingField", field }` copies the documents without `field`.
   */
  mode?: In<ReindexModeArgs>;
  /**
   * Run `count` remote reindex tasks at once over disjoint ranges of `field` (numeric or date), each holding about
   * as many documents (ranges from the field's percentiles). Remote reindex has no slices: this is how it uses more
   * than one destination thread. Without `partitions`: one task. Without `count`: two a write thread of the
   * destination's data nodes (2-8), chosen by the first run and kept (output `partitionCount`). With the client
   * transport, `count` is the number of parallel slices.
   */
  partitions?: In<{ field: In<string>; count?: In<number> }>;
  /** Local source only (no `source.remote`): slices of the reindex request, a number or "auto". Default: 1. */
  slices?: In<number | "auto">;
  /**
   * "remote" (default): the destination pulls from the source (`POST _reindex` with `source.remote`).
   * "client": this provider reads the source and bulk-writes the destination, for when the destination cannot
   * reach the source (Alibaba v2/v3 mixes, a source in another network, a self-signed source certificate on AWS).
   */
  transport?: In<"remote" | "client">;
  /** Throttle in documents per second. Default: no throttle. Set it to spare a busy source or destination. */
  requestsPerSecond?: In<number>;
  /** "proceed" counts version conflicts instead of stopping. Default "abort". */
  conflicts?: In<"abort" | "proceed">;
  /** "create" writes only documents missing at the destination (needs conflicts: "proceed"). Default "index" (overwrite by _id). */
  opType?: In<"index" | "create">;
  /**
   * destIndex is a data stream (DataStream.name): documents go in with op_type "create" and conflicts "proceed"
   * (a stream takes no other writes; what is already there is skipped), internal versions, and incremental windows
   * are allowed with them (a stream's documents are appended, not updated). Default false.
   */
  dataStream?: In<boolean>;
  /** Own deadline of one create/update in seconds (Pulumi's customTimeouts do not reach dynamic providers). Default 21600 (6h). Running tasks are left running and the next up attaches. */
  timeout?: In<number>;
  /**
   * How each run checks the destination against the source (within the query), repairing what differs:
   * "count" compares counts (fewer at the destination fails the run); "ids" (default) compares the id sets and
   * copies missing documents again; "content" also compares each document's `_source` and copies differing ones
   * again. A destination changed by someone else since the last run is found at preview and plans an update.
   * (`true`/`false` of earlier releases read as "ids"/"count".)
   */
  verify?: In<"count" | "ids" | "content" | boolean>;
  /**
   * Destination documents the source no longer has (deleted at the source): "report" (default) names how many at
   * preview and up and leaves them; "reconcile" deletes them during up (never more than maxDeletePercent); "ignore".
   * The source is never written.
   */
  deletes?: In<"ignore" | "report" | "reconcile">;
  /** With deletes "reconcile": above this share (percent) of the destination's documents, up fails and deletes nothing. Default 5. */
  maxDeletePercent?: In<number>;
  /**
   * How long the source keeps the scroll between two pages (`scroll` of remote reindex), e.g. "30m"; raise it for
   * large documents or a slow destination (AWS suggests hours for large copies). Default: the engine's 5m for pages of
   * up to 1,000 documents, 5m more per further 1,000.
   */
  scroll?: In<string>;
  /**
   * "sync" (default): every `pulumi up` copies what changed. "cutover-done": the destination is the live index (the
   * application writes to it): the next up records that (in the state and the index's mapping `_meta`) and from then
   * on the copy never runs again: no copy, repair or delete, preview plans nothing, removing it deletes nothing.
   * `cutover()` of `pulumi-es-migrate/automation` records the same by itself. See docs/automation.md, "Lifecycle".
   */
  phase?: In<"sync" | "cutover-done">;
}

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
