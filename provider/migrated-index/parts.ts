// How one MigratedIndex splits into the three parts it reuses (DestinationIndex, Reindex, MigrationFinish): each
// part's raw inputs built from the grouped inputs (and the parts before it), each part's state stored without its
// connections and given them back when read. Pure; table-tested in test/unit/migrated-index-parts.test.ts.
import type { ClusterConnection } from "../connection/types";
import type { DestinationIndexOutputs } from "../destination-index/types";
import type { MigrationFinishOutputs } from "../finish/types";
import { type FlatSettings, normalizeSettings, sameValue } from "../settings";
import { stableJson as stable } from "../shared/stable-json";
import type { ReindexOutputs } from "../reindex/types";
import type { MigratedIndexInputs, MigratedIndexOutputs, MigratedIndexSummary } from "./types";

/** Drops undefined fields: protobuf's Struct refuses them, and the parts' checks see only what was given. */
export function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** DestinationIndex's raw inputs: the index copied from the source index, with the declared and final settings. */
export function indexPartInputs(i: MigratedIndexInputs): Record<string, unknown> {
  const target = i.target ?? {};
  const finalSettings = i.finish?.finalSettings;
  const declared =
    target.settings === undefined && finalSettings === undefined
      ? undefined
      : { ...normalizeSettings(target.settings), ...normalizeSettings(finalSettings) };
  return defined({
    cluster: i.connections?.destination,
    index: i.destIndex,
    copyFrom: { cluster: i.connections?.source, index: i.sourceIndex },
    // Final settings are declared on the index too, so a later refresh does not see the restored value as drift.
    settings: declared,
    mappings: target.mappings,
    loadSettings: target.loadSettings,
    deletionProtection: target.deletionProtection ?? true,
    adoptExisting: target.adoptExisting,
  });
}

/** Reindex's raw inputs, keyed on the destination index's uuid (a new index means a full copy). */
export function copyPartInputs(i: MigratedIndexInputs, destIndexUuid?: string): Record<string, unknown> {
  const { query, size, ...options } = i.copy ?? {};
  return defined({
    cluster: i.connections?.destination,
    destIndex: i.destIndex,
    destIndexUuid,
    source: defined({
      index: i.sourceIndex,
      remote: i.connections?.remote,
      cluster: i.connections?.source,
      query,
      size,
    }),
    ...defined(options as Record<string, unknown>),
  });
}

type CopyState = NonNullable<MigratedIndexOutputs["copyState"]>;
type IndexState = NonNullable<MigratedIndexOutputs["indexState"]>;

/** The copy's run identity: a new run (new tasks, a new watermark) finishes again; an up that copied nothing does not. */
export function runIdentity(copy: Partial<CopyState> | undefined): Record<string, unknown> {
  return defined({
    taskIds: copy?.taskIds,
    watermark: copy?.watermark,
    durationSeconds: copy?.durationSeconds,
    created: copy?.created,
    updated: copy?.updated,
  });
}

/** MigrationFinish's raw inputs once the index and the copy are done: like with like (the copy's scope and kept extras). */
export function finishPartInputs(
  i: MigratedIndexInputs,
  index: Pick<IndexState, "finalSettings">,
  copy: Partial<CopyState> | undefined,
): Record<string, unknown> {
  const v = copy?.verification;
  return defined({
    cluster: i.connections.destination,
    index: i.destIndex,
    finalSettings: { ...(index.finalSettings ?? {}), ...normalizeSettings(i.finish.finalSettings) },
    alias: i.finish.alias,
    verify:
      v === undefined || v === null
        ? undefined
        : defined({ sourceCount: v.sourceCount, extra: v.extraKept, query: i.copy.query }),
    trigger: runIdentity(copy),
  });
}

/** A part's state as stored: without the connections (kept once, secret, under `connections`). */
export function indexStateOf(outs: DestinationIndexOutputs): IndexState {
  const { cluster: _cluster, copyFrom, ...rest } = outs;
  return defined({ ...rest, copyFrom: copyFrom === undefined ? undefined : { index: copyFrom.index } }) as IndexState;
}

export function copyStateOf(outs: ReindexOutputs): CopyState {
  const { cluster: _cluster, source, ...rest } = outs;
  const { remote: _remote, cluster: _src, ...sourceRest } = source ?? ({} as ReindexOutputs["source"]);
  return { ...rest, source: sourceRest } as CopyState;
}

export function finishStateOf(outs: MigrationFinishOutputs): NonNullable<MigratedIndexOutputs["finishState"]> {
  const { cluster: _cluster, ...rest } = outs;
  return rest;
}

/** A stored part's state with the recorded connections back, as that part's provider functions take it. */
export function indexOlds(o: MigratedIndexOutputs): DestinationIndexOutputs {
  const s = o.indexState!;
  return {
    ...s,
    cluster: o.connections.destination,
    ...(s.copyFrom ? { copyFrom: { cluster: o.connections.source, index: s.copyFrom.index } } : {}),
  } as DestinationIndexOutputs;
}

export function copyOlds(o: MigratedIndexOutputs): ReindexOutputs {
  const s = o.copyState!;
  return {
    ...s,
    cluster: o.connections.destination,
    source: defined({ ...s.source, remote: o.connections.remote, cluster: o.connections.source }),
  } as ReindexOutputs;
}

export function finishOlds(
  o: MigratedIndexOutputs,
  cluster: ClusterConnection = o.connections.destination,
): MigrationFinishOutputs {
  return { ...o.finishState!, cluster } as MigrationFinishOutputs;
}

/** The part's property names a DestinationIndex replacement reports, as MigratedIndex's own properties. */
export function replacedProperties(indexReplaces: string[]): string[] {
  const map: Record<string, string> = { cluster: "connections", copyFrom: "sourceIndex", index: "destIndex" };
  return [...new Set(indexReplaces.map((p) => map[p] ?? "target"))];
}

/**
 * True when a destination index that exists before this resource's create still wears the load settings this
 * resource gives a new index: the index an interrupted `pulumi up` of this same migration created (the create of a
 * MigratedIndex is one step; Ctrl-C leaves the index, the running tasks and no state). An empty `loadSettings`
 * tells nothing apart, so it is never taken.
 */
export function wearsLoadSettings(live: FlatSettings, loadSettings: FlatSettings): boolean {
  const keys = Object.keys(loadSettings);
  return keys.length > 0 && keys.every((k) => sameValue(live[k], loadSettings[k]));
}

/** The summary row of one migrated index. */
export function summaryOf(
  i: MigratedIndexInputs,
  o: Pick<MigratedIndexOutputs, "indexState" | "copyState" | "finishState" | "copyRate" | "estimate">,
): MigratedIndexSummary {
  const c = o.copyState;
  const created = c?.created ?? 0;
  const updated = c?.updated ?? 0;
  const durationSeconds = c?.durationSeconds ?? 0;
  return {
    index: i.sourceIndex,
    destIndex: i.destIndex,
    uuid: o.indexState?.uuid ?? "",
    sourceCount: o.finishState?.sourceCount ?? null,
    destCount: o.finishState?.destCount ?? 0,
    created,
    updated,
    durationSeconds,
    docsPerSecond: durationSeconds > 0 ? Math.round((created + updated) / durationSeconds) : 0,
    verified: o.finishState?.verified ?? false,
    watermark: c?.watermark ?? null,
    ...(o.copyRate?.measured ? { bytesPerSecond: o.copyRate.bytesPerSecond } : {}),
    ...(o.estimate !== undefined ? { estimate: o.estimate } : {}),
    ...(o.indexState?.cutover !== undefined ? { cutoverAt: o.indexState.cutover.at } : {}),
  };
}

/**
 * True when what the copy's live checks look at (the connections, the names and the copy's options) is as the last
 * check left it: versions, the allow list and field types were asked then, and a run finds out if they changed
 * since. A preview or an up over many unchanged indices then asks the clusters nothing at check.
 */
export function copySetupUnchanged(olds: Partial<MigratedIndexInputs> | undefined, news: MigratedIndexInputs): boolean {
  if (olds === undefined || olds.connections === undefined) return false;
  const setup = (i: Partial<MigratedIndexInputs>) =>
    stable({ connections: i.connections, sourceIndex: i.sourceIndex, destIndex: i.destIndex, copy: i.copy ?? {} });
  return setup(olds) === setup(news);
}
