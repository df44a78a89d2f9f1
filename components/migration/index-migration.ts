// IndexMigration: one index moved as one declaration: a DestinationIndex created from the source, a Reindex into
// it, and a MigrationFinish that restores the final settings, verifies and moves the alias.
import * as pulumi from "@pulumi/pulumi";
import { DestinationIndex } from "../../provider/destination-index";
import { MigrationFinish } from "../../provider/finish";
import { defined } from "../../provider/migrated-index/parts";
import { Reindex } from "../../provider/reindex";
import { assertNoProblems, declaredSettings, defaultRemote, indexMigrationProblems, restoredSettings } from "./plan";
import type { ClusterConnection } from "../../provider/connection/types";
import type { ConnectionArgs, IndexMigrationArgs, IndexMigrationSummary } from "./types";

/** A connection with its Input fields resolved (a secret field keeps the whole object secret). */
const connection = (c: ConnectionArgs) => pulumi.output(c) as pulumi.Output<ClusterConnection>;

function createDestinationIndex(name: string, args: IndexMigrationArgs, parent: pulumi.Resource): DestinationIndex {
  // An Output of undefined (neither given) reaches the provider as no settings at all.
  const settings = pulumi
    .all([args.settings, args.finalSettings])
    .apply(([s, f]) => declaredSettings(s, f)) as pulumi.Output<Record<string, unknown>>;
  return new DestinationIndex(
    `${name}-index`,
    defined({
      cluster: connection(args.destination),
      index: args.destIndex ?? args.index,
      copyFrom: { cluster: connection(args.source), index: args.index },
      settings,
      mappings: args.mappings,
      loadSettings: args.loadSettings,
      deletionProtection: args.deletionProtection ?? true,
      adoptExisting: args.adoptExisting,
      phase: args.phase,
    }),
    { parent },
  );
}

function createCopy(
  name: string,
  args: IndexMigrationArgs,
  target: DestinationIndex,
  parent: pulumi.Resource,
): Reindex {
  const remote = args.sourceRemote ?? connection(args.source).apply(defaultRemote);
  return new Reindex(
    `${name}-copy`,
    defined({
      cluster: connection(args.destination),
      destIndex: target.index,
      destIndexUuid: target.uuid,
      source: defined({
        index: args.index,
        remote,
        cluster: connection(args.source),
        query: args.query,
        size: args.size,
      }),
      mode: args.mode,
      partitions: args.partitions,
      transport: args.transport,
      requestsPerSecond: args.requestsPerSecond,
      conflicts: args.conflicts,
      timeout: args.timeout,
      verify: args.verify,
      deletes: args.deletes,
      maxDeletePercent: args.maxDeletePercent,
      scroll: args.scroll,
      phase: args.phase,
    }),
    { parent },
  );
}

function createFinish(
  name: string,
  args: IndexMigrationArgs,
  target: DestinationIndex,
  copy: Reindex,
  parent: pulumi.Resource,
): MigrationFinish {
  // The copy's run identity: a new run (new tasks, a new watermark) finishes again; an up that copied nothing does not.
  const trigger = pulumi
    .all([copy.taskIds, copy.watermark, copy.durationSeconds, copy.created, copy.updated])
    .apply(([taskIds, watermark, durationSeconds, created, updated]) =>
      defined({ taskIds, watermark, durationSeconds, created, updated }),
    );
  return new MigrationFinish(
    `${name}-finish`,
    defined({
      cluster: connection(args.destination),
      index: target.index,
      finalSettings: pulumi
        .all([target.finalSettings, args.finalSettings])
        .apply(([reported, declared]) => restoredSettings(reported, declared)),
      alias: args.alias,
      // Like with like: the source's count for the copy's query, the same query counted at the destination, and the
      // documents the copy knowingly kept there (deleted at the source, deletes "report").
      verify: pulumi
        .all([copy.verification, args.query])
        .apply(([v, query]) =>
          v === undefined || v === null
            ? undefined
            : defined({ sourceCount: v.sourceCount, extra: v.extraKept, query }),
        ),
      trigger,
      phase: args.phase,
    }),
    { parent },
  );
}

/**
 * One index migrated from a source cluster to a destination cluster: the destination index created from the
 * source's settings and mappings (with load settings), the data copied (remote reindex or client copy, full or
 * incremental, partitioned), then finished: final settings restored, refreshed, counts verified and, with `alias`,
 * the alias moved to the new index atomically. `opts.dependsOn` holds the whole migration back (ClusterMigration's
 * lanes use it).
 */
export class IndexMigration extends pulumi.ComponentResource {
  readonly destinationIndex: DestinationIndex;
  readonly reindex: Reindex;
  readonly finish: MigrationFinish;
  /** The destination index's name. */
  readonly destIndex: pulumi.Output<string>;
  /** The destination index's UUID (a new one means the index was recreated and copied again in full). */
  readonly uuid: pulumi.Output<string>;
  /** Source documents the copy covered (query and mode), null when not verified. */
  readonly sourceCount: pulumi.Output<number | null>;
  /** Documents in the destination index after the finish. */
  readonly destCount: pulumi.Output<number>;
  /** Documents created / updated by the last copy run. */
  readonly created: pulumi.Output<number>;
  readonly updated: pulumi.Output<number>;
  /** Wall time of the last copy run. */
  readonly durationSeconds: pulumi.Output<number>;
  /** (created + updated) / durationSeconds of the last run, rounded. */
  readonly docsPerSecond: pulumi.Output<number>;
  /** True when the destination holds at least the source's count. */
  readonly verified: pulumi.Output<boolean>;
  /** Incremental mode: the highest value of the field copied so far. */
  readonly watermark: pulumi.Output<number | string | undefined>;
  /** All of the above in one object. */
  readonly summary: pulumi.Output<IndexMigrationSummary>;

  constructor(name: string, args: IndexMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("es-migrate:index:IndexMigration", name, {}, opts);
    assertNoProblems(`IndexMigration "${name}"`, indexMigrationProblems(args));

    this.destinationIndex = createDestinationIndex(name, args, this);
    this.reindex = createCopy(name, args, this.destinationIndex, this);
    this.finish = createFinish(name, args, this.destinationIndex, this.reindex, this);

    const copy = this.reindex;
    this.destIndex = this.destinationIndex.index;
    this.uuid = this.destinationIndex.uuid;
    this.sourceCount = this.finish.sourceCount;
    this.destCount = this.finish.destCount;
    this.created = copy.created;
    this.updated = copy.updated;
    this.durationSeconds = copy.durationSeconds;
    this.docsPerSecond = pulumi
      .all([copy.created, copy.updated, copy.durationSeconds])
      .apply(([c, u, d]) => (d > 0 ? Math.round((c + u) / d) : 0));
    this.verified = this.finish.verified;
    this.watermark = copy.watermark;
    const names = pulumi.all([pulumi.output(args.index), this.destIndex, this.uuid, this.watermark]);
    const counts = pulumi.all([
      this.sourceCount,
      this.destCount,
      this.created,
      this.updated,
      this.durationSeconds,
      this.docsPerSecond,
      this.verified,
    ]);
    this.summary = pulumi
      .all([names, counts])
      .apply(
        ([
          [index, destIndex, uuid, watermark],
          [sourceCount, destCount, created, updated, durationSeconds, docsPerSecond, verified],
        ]) => ({
          index,
          destIndex,
          uuid,
          sourceCount: sourceCount ?? null,
          destCount,
          created,
          updated,
          durationSeconds,
          docsPerSecond,
          verified,
          watermark: watermark ?? null,
        }),
      );
    this.registerOutputs({
      destIndex: this.destIndex,
      uuid: this.uuid,
      sourceCount: this.sourceCount,
      destCount: this.destCount,
      created: this.created,
      updated: this.updated,
      durationSeconds: this.durationSeconds,
      docsPerSecond: this.docsPerSecond,
      verified: this.verified,
      watermark: this.watermark,
      summary: this.summary,
    });
  }
}
