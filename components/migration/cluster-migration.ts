// ClusterMigration: every open, non-system index of a source cluster migrated, at most `concurrency` copying at
// once, one MigratedIndex resource per index (or, with `groups`, the indices spread over that many MigratedIndexGroup
// resources). The index list is read once, when the program runs (preview and up),
// in `initialize` (awsx's pattern): the children are declared after it, not inside an apply.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection } from "../../provider/connection/types";
import type { SourceIndexList } from "../../provider/indices";
import { groupOf, MigratedIndex, MigratedIndexGroup, type MigratedIndexGroupArgs } from "../../provider/migrated-index";
import type { MigratedIndexConnections } from "../../provider/migrated-index";
import { SnapshotMigration } from "../../provider/snapshot";
import { DataStream } from "../../provider/data-stream";
import { describeObjectPlan, OBJECT_RESOURCES, type ObjectArgs } from "../../provider/objects";
import type { ObjectKind, ObjectPlanRow } from "../../provider/objects/types";
import { Reindex, type ReindexArgs } from "../../provider/reindex";
import { dataStreamRow, describeDataStreams, planDataStreams, templateOwnedByObjects } from "./data-streams";
import { destinationIndexNames, listForMigration } from "./list";
import { cannotMessage, decideObjects, differsMessage, objectChildName, pipelineHolds } from "./objects-plan";
import { readObjectFacts } from "./objects-read";
import { renamedSnapshotIndices, snapshotIndexNames } from "./snapshot-plan";
import {
  assertNoProblems,
  type ClusterPlan,
  clusterMigrationProblems,
  defaultRemote,
  describePlan,
  groupOptions,
  planClusterMigration,
} from "./plan";
import type { ClusterMigrationArgs, ClusterMigrationSummary, IndexMigrationSummary, SkippedIndex } from "./types";

/** `hadData`: the listed source had indices or data streams to move (no rows then is nothing verified). */
function totalsOf(rows: IndexMigrationSummary[], hadData: boolean): ClusterMigrationSummary["totals"] {
  const sum = (f: (r: IndexMigrationSummary) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    indices: rows.length,
    sourceCount: sum((r) => r.sourceCount ?? 0),
    destCount: sum((r) => r.destCount),
    created: sum((r) => r.created),
    updated: sum((r) => r.updated),
    // The last runs' copy time against what their previews estimated (the sum: lanes copy some at once).
    durationSeconds: Math.round(sum((r) => r.durationSeconds) * 10) / 10,
    estimatedSeconds: Math.round(sum((r) => r.estimate?.seconds ?? 0) * 100) / 100,
    verified: rows.length > 0 ? rows.every((r) => r.verified) : !hadData,
  };
}

/** An index's phase (its override's, else the migration's), only when set. */
function phaseOf(options: { phase?: unknown }, args: ClusterMigrationArgs): { phase?: ClusterMigrationArgs["phase"] } {
  const phase = options.phase ?? args.phase;
  return phase === undefined ? {} : { phase: phase as ClusterMigrationArgs["phase"] };
}

/** An Output's value once known; undefined when it stays unknown (a preview before what it depends on exists). */
async function valueOf<T>(o: pulumi.Output<T>): Promise<T | undefined> {
  // Output.isKnown is the SDK's own (not in its typings).
  if (!(await (o as unknown as { isKnown: Promise<boolean> }).isKnown)) return undefined;
  return new Promise<T>((resolve) => o.apply((v) => resolve(v)));
}

/** The cluster objects declared: what the indices and streams wait for, the index templates, and the aliases' step. */
interface DeclaredObjects {
  before: pulumi.Resource[];
  /** Names of the composable index templates declared as children (a data stream's may be one of them). */
  indexTemplates: ReadonlySet<string>;
  declareAliases: (d: Pick<Declared, "migrations" | "groups">) => void;
}

interface Declared {
  list?: SourceIndexList;
  migrations: Record<string, MigratedIndex>;
  /** With `groups`: the MigratedIndexGroup resources the indices are registered as (then `migrations` is empty). */
  groups: MigratedIndexGroup[];
  /** The indices `method` sends by snapshot, all in one SnapshotMigration. */
  snapshot?: SnapshotMigration;
  /** Each data stream migrated: the stream at the destination and its copy. */
  streams: { name: string; dataStream: DataStream; copy: Reindex }[];
}

/** The summary rows of a SnapshotMigration's indices, in the shape of the MigratedIndex rows. */
function snapshotRows(s: SnapshotMigration): pulumi.Output<IndexMigrationSummary[]> {
  return pulumi.all([s.indexResults, s.durations]).apply(([rows, d]) =>
    (rows ?? []).map((r) => {
      const durationSeconds = d === undefined ? 0 : d.snapshotSeconds + d.restoreSeconds + d.catchUpSeconds;
      return {
        index: r.index,
        destIndex: r.destIndex,
        uuid: "",
        sourceCount: r.sourceCount,
        destCount: r.destCount,
        created: r.restoredCount + r.caughtUp,
        updated: 0,
        durationSeconds,
        docsPerSecond: durationSeconds > 0 ? Math.round(r.destCount / durationSeconds) : 0,
        verified: r.verified,
        watermark: null,
      };
    }),
  );
}

/** The summary rows of the data streams' copies. */
function streamRows(streams: Declared["streams"]): pulumi.Output<IndexMigrationSummary[]> {
  return pulumi.all(
    streams.map((s) =>
      pulumi
        .all([
          s.dataStream.uuid,
          s.copy.status,
          s.copy.verification,
          pulumi.all([
            s.copy.created,
            s.copy.updated,
            s.copy.durationSeconds,
            s.copy.sourceCount,
            s.copy.destCount,
            s.copy.watermark,
          ]),
        ])
        .apply(([uuid, status, verification, [created, updated, durationSeconds, sourceCount, destCount, watermark]]) =>
          dataStreamRow(s.name, uuid, {
            status,
            created,
            updated,
            durationSeconds,
            sourceCount,
            destCount,
            watermark,
            verification,
          }),
        ),
    ),
  );
}

/**
 * Migrates a whole source cluster: lists its open indices (system `.` indices and closed ones are skipped and
 * reported), and declares one MigratedIndex per index (`<name>-<index>`: the destination index, the copy and the
 * finish in one resource), with `defaults` and per-index `overrides`. Lanes: the k-th index (by name) waits for
 * index k - concurrency, so at most `concurrency` indices copy at once during `pulumi up` (preview declares them all
 * without waiting). With `groups`, the indices are registered as that many MigratedIndexGroup resources
 * (`<name>-group-<k>`) instead, for migrations of hundreds of indices (see docs/migrations.md, "Groups"). Each data
 * stream `include` matches becomes a data stream at the destination with its copy (`declareDataStreams`; docs/migrations.md,
 * "Data streams"), unless `objects: { dataStreams: false }`.
 */
export class ClusterMigration extends pulumi.ComponentResource<Declared> {
  /** Names of the source indices migrated. */
  readonly indices: pulumi.Output<string[]>;
  /** Names of the source data streams migrated (as data streams). */
  readonly dataStreams: pulumi.Output<string[]>;
  /** Source indices left out, with the reason ("system" or "closed"). */
  readonly skipped: pulumi.Output<SkippedIndex[]>;
  /** One row per index, and totals. */
  readonly summary: pulumi.Output<ClusterMigrationSummary>;
  /** The MigratedIndex resources declared, by source index name (resolves once the list was read; empty with `groups`). */
  readonly migrations: Promise<Record<string, MigratedIndex>>;
  /** With `groups`: the MigratedIndexGroup resources, by group number (resolves once the list was read). */
  readonly groups: Promise<MigratedIndexGroup[]>;

  constructor(name: string, args: ClusterMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
    assertNoProblems(`ClusterMigration "${name}"`, clusterMigrationProblems(args));
    super("es-migrate:index:ClusterMigration", name, { name, args }, opts);
    const declared = this.getData();
    this.migrations = declared.then((d) => d.migrations);
    this.groups = declared.then((d) => d.groups);
    const listed = pulumi.output(declared.then((d) => d.list));
    this.indices = listed.apply((l) => l?.indices.map((i) => i.name) ?? []);
    this.dataStreams = pulumi.output(declared).apply((d) => d.streams.map((s) => s.name));
    this.skipped = listed.apply((l) => [
      ...(l?.skippedSystem ?? []).map((index) => ({ index, reason: "system" as const })),
      ...(l?.skippedClosed ?? []).map((index) => ({ index, reason: "closed" as const })),
    ]);
    this.summary = pulumi.output(declared).apply((d) =>
      pulumi
        .all([
          pulumi.all(Object.values(d.migrations).map((m) => m.summary)),
          pulumi.all(d.groups.map((g) => g.summary)),
          d.snapshot === undefined ? [] : snapshotRows(d.snapshot),
          streamRows(d.streams),
        ])
        .apply(([copied, grouped, restored, streamed]) => {
          const rows = [...copied, ...grouped.flatMap((g) => g ?? []), ...restored, ...streamed];
          const hadData = d.list === undefined || d.list.indices.length > 0 || d.list.dataStreams.length > 0;
          return { rows, totals: totalsOf(rows, hadData) };
        }),
    );
    // ComponentResource registers the outputs once initialize() has declared the children.
  }

  /** Reads the source's index list (once), then declares the MigratedIndex of each index. */
  protected async initialize(props: { name: string; args: ClusterMigrationArgs }): Promise<Declared> {
    const { name, args } = props;
    const component = `ClusterMigration "${name}"`;
    // The list derives from the (secret) source connection; index names and counts are not secret.
    const source = await valueOf(pulumi.unsecret(pulumi.output(args.source) as pulumi.Output<ClusterConnection>));
    if (source === undefined) {
      pulumi.log.info(
        `${component}: the source's address is not known yet; its indices are listed (and declared) during pulumi up`,
        this,
      );
      return { migrations: {}, groups: [], streams: [] };
    }
    const destination = await valueOf(
      pulumi.unsecret(pulumi.output(args.destination) as pulumi.Output<ClusterConnection>),
    );
    // The destination's names are read while the source is listed (destinationIndexNames never throws).
    const existingRead = destination === undefined ? undefined : destinationIndexNames(destination);
    const list = await listForMigration(source, { include: args.include ?? ["*"], exclude: args.exclude }, component);
    // `method` sends some indices (or all) by snapshot: one SnapshotMigration for them, a MigratedIndex for the rest.
    const bySnapshot = new Set(snapshotIndexNames(list.indices, args.method, args.snapshotAboveBytes));
    const snapshot = bySnapshot.size === 0 ? undefined : this.declareSnapshot(name, args, [...bySnapshot]);
    const rest = { ...list, indices: list.indices.filter((i) => !bySnapshot.has(i.name)) };
    // Overrides named after a data stream are the stream's (declareDataStreams), not an unused index override.
    const streamNames = new Set(list.dataStreams.map((s) => s.name));
    const overrides = Object.fromEntries(
      Object.entries(args.overrides ?? {}).filter(([i]) => !bySnapshot.has(i) && !streamNames.has(i)),
    );
    const existing = await existingRead;
    const objects = await this.declareObjects(name, { ...args, overrides }, rest, source, destination);
    const migrated = this.declareMigrations(name, { ...args, overrides }, rest, existing, objects.before);
    objects.declareAliases(migrated);
    const streams = this.declareDataStreams(name, args, list, objects);
    return { list, ...migrated, snapshot, streams };
  }

  /**
   * Each data stream `include` matches (unless `objects.dataStreams` is false): a DataStream at the destination
   * (`<name>-ds-<stream>`: the source stream's template, then the stream) and a Reindex into it
   * (`<name>-ds-<stream>-copy`: op_type "create", incremental windows on the stream's timestamp field, verified).
   */
  private declareDataStreams(
    name: string,
    args: ClusterMigrationArgs,
    list: SourceIndexList,
    objects: DeclaredObjects,
  ): Declared["streams"] {
    const plan = planDataStreams(list.dataStreams, args);
    const line = describeDataStreams(name, plan);
    if (line !== undefined) pulumi.log.info(line, this);
    const destination = pulumi.output(args.destination) as pulumi.Output<ClusterConnection>;
    const source = pulumi.output(args.source) as pulumi.Output<ClusterConnection>;
    const remote = args.sourceRemote ?? source.apply(defaultRemote);
    return plan.streams.map((s) => {
      const phase = phaseOf(args.overrides?.[s.name] ?? {}, args);
      // The stream's template is the IndexTemplate child's when the objects declare it; else the DataStream puts it.
      const template = templateOwnedByObjects(s, objects.indexTemplates)
        ? { manageTemplate: false }
        : { copyFrom: { cluster: source, name: s.name } };
      const dataStream = new DataStream(
        `${name}-ds-${s.name}`,
        { cluster: destination, name: s.name, ...template, adoptExisting: s.adoptExisting, ...phase },
        { parent: this, dependsOn: objects.before },
      );
      const { query, size, ...options } = s.copy;
      const copy = new Reindex(
        `${name}-ds-${s.name}-copy`,
        {
          ...options,
          cluster: destination,
          destIndex: dataStream.name,
          destIndexUuid: dataStream.uuid,
          dataStream: true,
          source: { index: s.name, remote, cluster: source, query, size },
          ...phase,
        } as ReindexArgs,
        { parent: this },
      );
      return { name: s.name, dataStream, copy };
    });
  }

  /** One SnapshotMigration for every index sent by snapshot: one snapshot, one point in time, one registration. */
  private declareSnapshot(name: string, args: ClusterMigrationArgs, indices: string[]): SnapshotMigration {
    const destOf = (i: string) =>
      (args.overrides?.[i]?.destIndex as string | undefined) ?? (args.destIndexName ? args.destIndexName(i) : i);
    const renamed = renamedSnapshotIndices(indices, destOf);
    if (renamed.length > 0) {
      throw new pulumi.ResourceError(
        `ClusterMigration "${name}": ${renamed.join(", ")} would move by snapshot under another name (destIndex / destIndexName): a restore keeps the names; migrate them by reindex (method "auto" with a higher snapshotAboveBytes, or "reindex"), or declare a SnapshotMigration with rename yourself`,
        this,
      );
    }
    pulumi.log.info(
      `ClusterMigration "${name}": ${indices.length} ${indices.length === 1 ? "index" : "indices"} by snapshot and restore (${args.method}): ${indices.join(", ")}`,
      this,
    );
    const d = args.defaults ?? {};
    const s = args.snapshot!;
    return new SnapshotMigration(
      `${name}-snapshot`,
      {
        source: args.source,
        destination: args.destination,
        sourceRemote: args.sourceRemote,
        repository: s.repository,
        indices,
        catchUp: s.catchUp,
        snapshot: s.snapshot,
        timeout: s.timeout,
        verify: d.verify,
        deletionProtection: d.deletionProtection,
        ...phaseOf({}, args),
      },
      { parent: this },
    );
  }

  private declareMigrations(
    name: string,
    args: ClusterMigrationArgs,
    list: SourceIndexList,
    existing: Set<string> | undefined,
    waitFor: pulumi.Resource[],
  ): Pick<Declared, "migrations" | "groups"> {
    if (list.indices.length === 0 && args.method !== undefined && args.method !== "reindex")
      return { migrations: {}, groups: [] };
    const plan = planClusterMigration(list, args);
    pulumi.log.info(describePlan(name, plan, existing), this);
    if (plan.unusedOverrides.length > 0) {
      pulumi.log.warn(
        `ClusterMigration "${name}": overrides for ${plan.unusedOverrides.join(", ")} match no open index of the source (included by include/exclude): they are not used`,
        this,
      );
    }
    // Built once for every index: one secret Output instead of a few per index.
    const connections = pulumi.secret(
      pulumi
        .all([pulumi.output(args.destination), pulumi.output(args.source), args.sourceRemote])
        .apply(([destination, source, remote]) => {
          const c: MigratedIndexConnections = {
            destination: destination as ClusterConnection,
            source: source as ClusterConnection,
            remote:
              (remote as unknown as MigratedIndexConnections["remote"]) ??
              (defaultRemote(source as ClusterConnection) as MigratedIndexConnections["remote"]),
          };
          return c;
        }),
    );
    if (args.groups !== undefined)
      return { migrations: {}, groups: this.declareGroups(name, args, plan.indices, connections, waitFor) };
    // Lanes order the copies during up; a preview runs nothing, so it declares every index without waiting.
    const lanes = !pulumi.runtime.isDryRun();
    const out: Record<string, MigratedIndex> = {};
    const ordered: MigratedIndex[] = [];
    for (const p of plan.indices) {
      const after = lanes && p.after !== undefined ? [ordered[p.after]] : [];
      const m = new MigratedIndex(
        `${name}-${p.index}`,
        {
          connections,
          sourceIndex: p.index,
          destIndex: p.destIndex,
          ...groupOptions(p.options),
          ...phaseOf(p.options, args),
        },
        { parent: this, dependsOn: [...after, ...waitFor] },
      );
      ordered.push(m);
      out[p.index] = m;
    }
    return { migrations: out, groups: [] };
  }

  /**
   * `groups` MigratedIndexGroup resources (`<name>-group-<k>`), each index in the group its name hashes to; every
   * group is declared, empty ones too, so that a group's resource never comes and goes with the index list. The
   * provider bounds the copies of all groups together by `concurrency` (no lanes between resources).
   */
  private declareGroups(
    name: string,
    args: ClusterMigrationArgs,
    planned: ClusterPlan["indices"],
    connections: pulumi.Output<MigratedIndexConnections>,
    waitFor: pulumi.Resource[],
  ): MigratedIndexGroup[] {
    const count = args.groups!;
    const members: Record<string, unknown>[] = Array.from({ length: count }, () => ({}));
    for (const p of planned)
      members[groupOf(p.index, count)][p.index] = {
        sourceIndex: p.index,
        destIndex: p.destIndex,
        ...groupOptions(p.options),
        ...phaseOf(p.options, args),
      };
    return members.map(
      (indices, k) =>
        new MigratedIndexGroup(
          `${name}-group-${k}`,
          {
            connections,
            migration: name,
            group: { index: k, count },
            concurrency: args.concurrency ?? 2,
            indices: indices as MigratedIndexGroupArgs["indices"],
          },
          { parent: this, dependsOn: waitFor },
        ),
    );
  }

  /**
   * The cluster objects (`objects`): read from both clusters and planned when the program runs, shown as one block,
   * and declared as children `<name>-<kind>-<object>` holding the source's definitions as translated for the
   * destination. Order: scripts, then pipelines (which may call them), component templates, then the index templates
   * made of them; all of those before the indices (a migrated index is created with its own copied settings and
   * mappings, which win over a template's, and the finish restores the pipelines the index names). Aliases come after
   * the indices they point to are copied and finished (`declareAliases`). Object children are retained when removed
   * from the program (`retainOnDelete`): a migration never deletes what the application uses at the destination.
   */
  private async declareObjects(
    name: string,
    args: ClusterMigrationArgs,
    list: SourceIndexList,
    source: ClusterConnection,
    destination: ClusterConnection | undefined,
  ): Promise<DeclaredObjects> {
    const component = `ClusterMigration "${name}"`;
    const none = { before: [], indexTemplates: new Set<string>(), declareAliases: () => undefined };
    if (destination === undefined) {
      pulumi.log.info(
        `${component}: the destination's address is not known yet; its cluster objects are planned (and declared) during pulumi up`,
        this,
      );
      return none;
    }
    const planned = list.indices.length === 0 ? [] : planClusterMigration(list, args).indices;
    const indexNames = Object.fromEntries(planned.map((p) => [p.index, p.destIndex]));
    const cutoverAliases = new Set(
      planned.map((p) => p.options.alias).filter((a): a is string => typeof a === "string"),
    );
    const facts = await readObjectFacts(
      source,
      destination,
      { objects: args.objects, indexNames, cutoverAliases },
      component,
    );
    pulumi.log.info(`${component}: ${describeObjectPlan(facts.rows)}`, this);
    const decided = decideObjects(facts.rows, args.objects, args.phase);
    if (decided.differs.length > 0) throw new pulumi.ResourceError(differsMessage(component, decided.differs), this);
    if (decided.cannot.length > 0) pulumi.log.warn(cannotMessage(component, decided.cannot), this);
    const copied = new Set(decided.declared.filter((r) => r.kind === "pipeline").map((r) => r.name));
    const holds = pipelineHolds(component, facts.indexPipelines, copied, facts.destinationPipelines, args.overrides);
    if (holds.line !== undefined) pulumi.log.info(holds.line, this);
    // Cut over, the finish no longer restores pipelines: a missing one is the application's business.
    if (holds.problems.length > 0 && args.phase !== "cutover-done")
      throw new pulumi.ResourceError(`${component}: ${holds.problems.join("; ")}`, this);

    const declare = (row: ObjectPlanRow, dependsOn: pulumi.Resource[]) =>
      this.declareObject(name, args, row, dependsOn);
    const ofKind = (...kinds: ObjectKind[]) => decided.declared.filter((r) => kinds.includes(r.kind));
    const scripts = ofKind("script").map((r) => declare(r, []));
    const pipelines = ofKind("pipeline").map((r) => declare(r, scripts));
    const components = ofKind("componentTemplate").map((r) => declare(r, []));
    const templates = ofKind("indexTemplate", "legacyTemplate").map((r) => declare(r, components));
    const sourceOf = Object.fromEntries(planned.map((p) => [p.destIndex, p.index]));
    return {
      before: [...scripts, ...pipelines, ...components, ...templates],
      indexTemplates: new Set(ofKind("indexTemplate").map((r) => r.name)),
      declareAliases: (d) => {
        // An alias waits for every index it points to: its MigratedIndex, or the group that holds it.
        const holder = (destIndex: string): pulumi.Resource[] => {
          const index = sourceOf[destIndex];
          if (index === undefined) return [];
          if (d.groups.length > 0) return [d.groups[groupOf(index, d.groups.length)]];
          return d.migrations[index] === undefined ? [] : [d.migrations[index]];
        };
        for (const r of ofKind("alias")) declare(r, [...new Set(Object.keys(r.body ?? {}).flatMap(holder))]);
      },
    };
  }

  /** One object's resource, its body the source's as translated for the destination. */
  private declareObject(
    name: string,
    args: ClusterMigrationArgs,
    row: ObjectPlanRow,
    dependsOn: pulumi.Resource[],
  ): pulumi.Resource {
    const Resource = OBJECT_RESOURCES[row.kind];
    // adoptExisting follows the option, not the row: a row adopted once is "same" on the next run, and no input changes.
    // The migration's phase: cut over, the child writes nothing (what the application changed there stays).
    const objectArgs = {
      destination: args.destination,
      name: row.name,
      body: row.body,
      ...(args.objects?.adoptExisting === true ? { adoptExisting: true } : {}),
      ...phaseOf({}, args),
    } as ObjectArgs<ObjectKind>;
    return new Resource(objectChildName(name, row.kind, row.name), objectArgs, {
      parent: this,
      dependsOn,
      retainOnDelete: true,
    });
  }
}
