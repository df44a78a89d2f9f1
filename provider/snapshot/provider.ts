// The SnapshotMigration dynamic provider: check validates and applies the version rules (read from both clusters),
// diff says what an up would do (documents written since the snapshot wait for the catch-up), create/update run
// ./run, delete removes the snapshot and both registrations (the restored indices follow deletionProtection; the
// source's indices are never touched).
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connection/client";
import { containsUnknown } from "../connection/unknown";
import type { Cluster } from "../connection/types";
import { countIndex } from "../finish/ops";
import { liveCheckFailures } from "../reindex/live-checks";
import { pendingWork } from "../reindex/pending";
import { fieldTypes, rangeFieldProblems } from "../reindex/rules";
import {
  guardAction,
  liveLine,
  phaseRecord,
  readRecord,
  recordLine,
  sourceWriteBlock,
  unknownRecord,
  type CutoverRecord,
} from "../shared/live-destination";
import { defineProvider } from "../shared/define-provider";
import { providerLog } from "../shared/log";
import { initError, plain } from "../shared/results";
import { stableJson as stable } from "../shared/stable-json";
import { deleteIndex, deleteSnapshot, flatSettings, indexSizes, registerRepository, removeRepository } from "./ops";
import { guardSnapshot, recordSnapshotCutover } from "./live-guard";
import { restoreRefusal } from "./rules";
import { runSnapshotMigration, scrubber, SnapshotRunError } from "./run";
import type { SnapshotMigrationInputs, SnapshotMigrationOutputs } from "./types";
import type { Problem } from "../shared/problems";
import { SNAPSHOT_MIGRATION_FIELDS } from "./schema";
import { catchUpInputs, renamed, validateInputs } from "./validate";

type Outs = SnapshotMigrationOutputs;

/** check's olds are empty for a resource not created yet. */
const isCreate = (olds: Record<string, unknown> | undefined) => olds === undefined || Object.keys(olds).length === 0;
const QUICK = { retry: { maxAttempts: 1 } };
const n = (x: number) => x.toLocaleString("en-US");

async function withClusters<T>(
  i: SnapshotMigrationInputs,
  f: (src: Cluster, dest: Cluster) => Promise<T>,
  options = {},
): Promise<T> {
  const src = connect(i.source, "source", options);
  const dest = connect(i.destination, "destination", options);
  try {
    return await f(src, dest);
  } finally {
    await src.close().catch(() => undefined);
    await dest.close().catch(() => undefined);
  }
}

/**
 * What the clusters tell before anything is created: the indices exist, the version rules let the destination
 * restore each one (the index's `index.version.created`, not only the cluster's version), no other index holds a
 * destination name, and the catch-up's own checks (Reindex's).
 */
export async function liveFailures(i: SnapshotMigrationInputs, isNew: boolean): Promise<Problem[]> {
  const failures: Problem[] = [];
  await withClusters(
    i,
    async (src, dest) => {
      const [srcInfo, destInfo] = await Promise.all([src.info(), dest.info()]);
      const settings = await flatSettings(src, i.indices);
      const missing = i.indices.filter((x) => settings[x] === undefined);
      if (missing.length > 0)
        failures.push({
          property: "indices",
          reason: `${missing.join(", ")} ${missing.length === 1 ? "does" : "do"} not exist at the source (${src.label}): name open indices of the source`,
        });
      for (const index of i.indices.filter((x) => settings[x] !== undefined)) {
        const refusal = restoreRefusal(index, settings[index]["index.version.created"], srcInfo, destInfo);
        if (refusal !== undefined) failures.push({ property: "indices", reason: refusal });
      }
      if (isNew) {
        // A destination index of the same name that is no restore of this source index would make the restore fail.
        const destNames = i.indices.map((x) => renamed(x, i.rename));
        const there = await flatSettings(dest, destNames);
        for (const index of i.indices) {
          const d = there[renamed(index, i.rename)];
          if (d !== undefined && d["index.creation_date"] !== settings[index]?.["index.creation_date"]) {
            failures.push({
              property: "indices",
              reason: `the destination already has an index ${renamed(index, i.rename)} (not restored from ${index}): a restore does not overwrite an open index; restore under another name (rename) or delete that index first`,
            });
          }
        }
      }
      if (i.catchUp !== undefined && i.sourceRemote === undefined) {
        for (const index of i.indices.filter((x) => settings[x] !== undefined)) {
          const body = await src.request({
            method: "GET",
            path: `/${encodeURIComponent(index)}/_mapping/field/${encodeURIComponent(i.catchUp.field)}`,
          });
          for (const reason of rangeFieldProblems(
            "catchUp.field",
            i.catchUp.field,
            fieldTypes(body, i.catchUp.field),
            index,
          ))
            failures.push({ property: "catchUp.field", reason });
        }
      }
    },
    QUICK,
  );
  for (const index of i.indices) {
    for (const f of await liveCheckFailures(catchUpInputs(i, index))) {
      const property = f.property.startsWith("source.remote")
        ? `sourceRemote${f.property.slice(13)}`
        : f.property === "mode.field"
          ? "catchUp.field"
          : f.property === "cluster"
            ? "destination"
            : f.property;
      failures.push({ ...f, property });
    }
  }
  return [...new Map(failures.map((f) => [f.reason, f])).values()];
}

/** check: validation, then (inputs known) the clusters' facts. `olds` are the last inputs (empty for a create). */
export async function checkSnapshotMigration(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown>,
): Promise<{ inputs: SnapshotMigrationInputs; failures: Problem[] }> {
  const { inputs, failures } = validateInputs(news);
  // A migration marked "cutover-done" no longer runs and asks nothing: its source may be gone already.
  if (failures.length > 0 || containsUnknown(inputs) || inputs.phase === "cutover-done") return { inputs, failures };
  try {
    failures.push(...(await liveFailures(inputs, isCreate(olds))));
  } catch (e) {
    providerLog().warn(
      `snapshot migration ${inputs.snapshot}: could not ask the clusters at check: ${scrubber(inputs)(e instanceof Error ? e.message : String(e))}`,
    );
  }
  return { inputs, failures };
}

/** The inputs whose change means another snapshot and restore (a replacement). */
export function replacingProperties(
  olds: Partial<SnapshotMigrationInputs>,
  news: Partial<SnapshotMigrationInputs>,
): string[] {
  const identity = (i: Partial<SnapshotMigrationInputs>): Record<string, unknown> => ({
    source: i.source?.url,
    destination: i.destination?.url,
    repository: { name: i.repository?.name, type: i.repository?.type },
    indices: i.indices,
    rename: i.rename,
    snapshot: i.snapshot,
  });
  const a = identity(olds);
  const b = identity(news);
  return Object.keys(a).filter((k) => stable(a[k]) !== stable(b[k]) || containsUnknown(b[k]));
}

const INPUT_KEYS = SNAPSHOT_MIGRATION_FIELDS;
const inputsOf = (o: Partial<SnapshotMigrationInputs>) =>
  Object.fromEntries(INPUT_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

/** A line of what a create would do, for the preview. */
export async function describeCreate(i: SnapshotMigrationInputs): Promise<string> {
  const sizes = await withClusters(i, (src) => indexSizes(src, i.indices), QUICK).catch(() => undefined);
  const rows = i.indices.map((x) => {
    const s = sizes?.[x];
    const to = renamed(x, i.rename) === x ? "" : ` -> ${renamed(x, i.rename)}`;
    return `${x}${to}${s !== undefined ? ` (${n(s.docs)} documents, ${(s.bytes / 1048576).toFixed(1)} MB)` : ""}`;
  });
  const catchUp =
    i.catchUp === undefined
      ? `then verify (${i.verify})`
      : `then catch up what was written since the snapshot began (${i.catchUp.field} from its start minus ${i.catchUp.lookback}) and verify (${i.verify})`;
  return `snapshot migration ${i.snapshot}: snapshot ${rows.join(", ")} into repository ${i.repository.name} (${i.repository.type}) at the source, restore at the destination, ${catchUp}`;
}

/** liveLine's tail for a cut-over snapshot migration. */
const LIVE_TAIL = "nothing is caught up, restored or deleted anymore";

/**
 * diff: a replacement (another snapshot and restore), a failed run to continue, or documents waiting for the
 * catch-up. A cut-over migration plans nothing (its restored indices are the live ones, ./live-guard).
 */
export async function diffSnapshotMigration(
  olds: Outs,
  news: SnapshotMigrationInputs,
): Promise<pulumi.dynamic.DiffResult> {
  const log = providerLog();
  const what = `snapshot migration ${olds.snapshotName ?? news.snapshot}`;
  if (olds.cutover !== undefined) {
    log.info(liveLine(what, olds.cutover, LIVE_TAIL));
    return { changes: false };
  }
  if (news.phase === "cutover-done") {
    log.info(recordLine(what));
    return { changes: true };
  }
  const lines: string[] = [];
  const diff = await plannedWork(olds, news, what, lines);
  if (diff.changes && !containsUnknown(news)) {
    // A replacement would take the indices the migration restored: those are the ones to ask about.
    const live = diff.replaces === undefined ? news : { ...news, indices: olds.indices, rename: olds.rename };
    const guard = await guardSnapshot(live, olds).catch(unknownRecord(what, log.warn));
    if (guard?.action === "leave") {
      log.info(liveLine(what, guard.recorded!, LIVE_TAIL));
      return { changes: false };
    }
  }
  for (const line of lines) log.info(line);
  return diff;
}

/** What an up would do, its lines added to `lines`. */
async function plannedWork(
  olds: Outs,
  news: SnapshotMigrationInputs,
  what: string,
  lines: string[],
): Promise<pulumi.dynamic.DiffResult> {
  const log = providerLog();
  const replaces = replacingProperties(olds, news);
  if (replaces.length > 0) {
    lines.push(
      `${what}: ${replaces.join(", ")} changed: a new snapshot and restore (the restored indices ${news.deletionProtection === false ? "are deleted first" : "stay (deletionProtection): rename or delete them, or the new restore refuses them"})`,
    );
    return { changes: true, replaces, deleteBeforeReplace: true };
  }
  if (olds.status !== "complete") {
    lines.push(`${what}: the last run did not finish; pulumi up continues it`);
    return { changes: true };
  }
  if (containsUnknown(news)) return { changes: true };
  const inputsChanged = stable(inputsOf(olds)) !== stable(inputsOf(news));
  let waiting = false;
  await withClusters(news, async (src, dest) => {
    for (const index of news.indices) {
      const destIndex = renamed(index, news.rename);
      const pending = await pendingWork(catchUpInputs(news, index), olds.catchUpStates?.[destIndex] ?? {}, src, dest);
      for (const note of pending.notes) lines.push(`${what}: ${index} -> ${destIndex}: ${note}`);
      const since = news.catchUp === undefined ? "" : " (written since the snapshot began: the catch-up copies them)";
      for (const reason of pending.reasons) lines.push(`${what}: ${index} -> ${destIndex}: ${reason}${since}`);
      if (pending.reasons.length > 0) waiting = true;
      if (news.catchUp === undefined) {
        // No window to count in: what the source holds beyond the destination is what up's verification copies.
        const [sc, dc] = await Promise.all([countIndex(src, index), countIndex(dest, destIndex)]);
        if (sc > dc) {
          lines.push(
            `${what}: ${index} -> ${destIndex}: ${n(sc - dc)} more document(s) at the source than at the destination: up verifies (${news.verify}) and copies what is missing (set catchUp to copy by windows)`,
          );
          waiting = true;
        }
      }
    }
  }).catch((e) =>
    log.warn(
      `${what}: could not compare the source with the destination: ${scrubber(news)(e instanceof Error ? e.message : String(e))}`,
    ),
  );
  return { changes: inputsChanged || waiting };
}

/** The state of a migration that does not run: its indices are live (`cutover`), nothing was done by this resource. */
function liveOutputs(i: SnapshotMigrationInputs, cutover: CutoverRecord): Outs {
  return plain({
    ...i,
    status: "complete",
    snapshotName: i.snapshot,
    indexResults: [],
    durations: { snapshotSeconds: 0, restoreSeconds: 0, catchUpSeconds: 0 },
    verified: false,
    catchUpStates: {},
    failures: [],
    cutover,
  });
}

/** The record of a migration that no longer runs: the one that stands, or the program's, written into each `_meta`. */
async function settleRecord(
  i: SnapshotMigrationInputs,
  guard: Awaited<ReturnType<typeof guardSnapshot>>,
): Promise<CutoverRecord> {
  const record = guard.action === "record" ? await recordSnapshotCutover(i, guard.recorded!) : guard.recorded!;
  providerLog().info(liveLine(`snapshot migration ${i.snapshot}`, record, LIVE_TAIL));
  return record;
}

/** create: a first snapshot, restore and catch-up; into live indices (a recorded cutover): nothing. */
export async function createSnapshotMigration(i: SnapshotMigrationInputs): Promise<{ id: string; outs: Outs }> {
  const id = i.snapshot;
  const guard = await guardSnapshot(i, undefined);
  if (guard.action !== "run") return { id, outs: liveOutputs(i, await settleRecord(i, guard)) };
  try {
    const results = await runSnapshotMigration(i, { log: providerLog() });
    return { id, outs: plain({ ...i, ...results }) };
  } catch (e) {
    if (e instanceof SnapshotRunError) throw initError(e.message, id, { ...i, ...e.results });
    throw e;
  }
}

export async function updateSnapshotMigration(
  id: string,
  olds: Outs,
  news: SnapshotMigrationInputs,
): Promise<{ outs: Outs }> {
  const guard = await guardSnapshot(news, olds);
  if (guard.action !== "run") return { outs: plain({ ...olds, ...news, cutover: await settleRecord(news, guard) }) };
  try {
    if (stable(olds.repository) !== stable(news.repository)) {
      await withClusters(news, async (src, dest) => {
        await registerRepository(src, news.repository, "source");
        await registerRepository(dest, news.repository, "destination");
      });
    }
    const results = await runSnapshotMigration(news, { log: providerLog(), olds });
    return { outs: plain({ ...news, ...results }) };
  } catch (e) {
    if (e instanceof SnapshotRunError) throw initError(e.message, id, { ...olds, ...news, ...e.results });
    throw new Error(scrubber(news)(e instanceof Error ? e.message : String(e)));
  }
}

/**
 * delete: the restored indices stay while deletionProtection is on (they are the migration's result) or once they
 * are live (a cutover recorded in the state, the program or their mappings), else they are deleted, unless the
 * source is write-blocked (a cutover done by hand: they may be the live ones); then the snapshot, then the
 * destination's and the source's registrations (the repository's files other snapshots use stay). The source's
 * indices are never touched.
 */
export async function deleteSnapshotMigration(props: Outs): Promise<void> {
  const log = providerLog();
  const what = `snapshot migration ${props.snapshotName ?? props.snapshot}`;
  const scrub = scrubber(props);
  try {
    await withClusters(props, async (src, dest) => {
      const destIndices = props.indices.map((x) => renamed(x, props.rename));
      const live = await liveRecord(props, dest, destIndices);
      if (live !== undefined) log.info(liveLine(what, live, `its restored indices ${destIndices.join(", ")} stay`));
      else if (props.deletionProtection === false) {
        await refuseFrozenSource(props, src, what);
        for (const d of destIndices) await deleteIndex(dest, d);
        log.info(`${what}: deleted the restored indices ${destIndices.join(", ")} (deletionProtection: false)`);
      } else log.info(`${what}: the restored indices ${destIndices.join(", ")} stay (deletionProtection)`);
      if (
        await deleteSnapshot(src, props.repository.name, props.snapshotName ?? props.snapshot).catch((e) =>
          (e as { status?: number }).status === 404 ? false : Promise.reject(e),
        )
      ) {
        log.info(`${what}: deleted the snapshot from repository ${props.repository.name}`);
      }
      await removeRepository(dest, props.repository.name);
      await removeRepository(src, props.repository.name);
      log.info(
        `${what}: removed the registration of repository ${props.repository.name} at the destination and the source`,
      );
    });
  } catch (e) {
    throw new Error(scrub(e instanceof Error ? e.message : String(e)));
  }
}

/** The cutover record that makes the restored indices live: the state's, the program's, or one in their mappings. */
async function liveRecord(props: Outs, dest: Cluster, destIndices: string[]): Promise<CutoverRecord | undefined> {
  if (props.cutover !== undefined) return props.cutover;
  if (props.phase === "cutover-done") return phaseRecord();
  for (const index of destIndices) {
    const record = await readRecord(dest, index);
    if (record !== undefined) return record;
  }
  return undefined;
}

/** Throws, deleting nothing, while a source index is write-blocked without a recorded cutover. */
async function refuseFrozenSource(props: Outs, src: Cluster, what: string): Promise<void> {
  for (const index of props.indices) {
    const block = await sourceWriteBlock(src, index);
    if (guardAction("delete", { sourceBlock: block }) === "stop")
      throw new Error(
        `${what}: the source index is write-blocked (${block}), as a cutover leaves it: the restored indices may be the live ones, so none was deleted. ` +
          'If they are live, record the cutover (phase: "cutover-done") and removing the resource leaves them; if they are not, lift the block on the source first.',
      );
  }
}

export const snapshotMigrationProvider = defineProvider<SnapshotMigrationInputs, Outs>({
  check: async (news, olds) => {
    const { inputs, failures } = await checkSnapshotMigration(olds, news);
    if (isCreate(olds) && failures.length === 0 && !containsUnknown(inputs)) {
      providerLog().info(await describeCreate(inputs));
    }
    return { inputs, problems: failures };
  },
  diff: (_id, olds, news) => diffSnapshotMigration(olds, news),
  create: (inputs) => createSnapshotMigration(inputs),
  update: (id, olds, news) => updateSnapshotMigration(id, olds, news),
  delete: (_id, props) => deleteSnapshotMigration(props),
}) as pulumi.dynamic.ResourceProvider;
