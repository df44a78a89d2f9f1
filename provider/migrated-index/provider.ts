// The MigratedIndex dynamic provider: one index's whole migration in one resource. Each method runs the three parts
// in order with the parts' own module functions (DestinationIndex, Reindex, MigrationFinish): nothing here decides
// what those decide. Pulumi serializes the provider object into the state, so its methods only call the functions
// below (as the other providers do).
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connection/client";
import type { ClusterConnection } from "../connection/types";
import { containsUnknown } from "../connection/unknown";
import {
  createDestinationIndex,
  checkDestinationIndex,
  deleteDestinationIndex,
  diffDestinationIndex,
  readDestinationIndex,
  updateDestinationIndex,
} from "../destination-index/provider";
import { readIndex } from "../destination-index/ops";
import { planDiff } from "../destination-index/plan";
import type { DestinationIndexInputs, DestinationIndexOutputs } from "../destination-index/types";
import { checkInputs as checkIndexInputs } from "../destination-index/validate";
import { diffFinish, finishChanges, readFinish, runFinish } from "../finish/provider";
import type { MigrationFinishOutputs } from "../finish/types";
import { checkFinishInputs } from "../finish/validate";
import {
  checkReindex,
  createReindex,
  deleteReindex,
  diffReindexWork,
  replacingProperties,
  updateReindex,
} from "../reindex/provider";
import { FINAL_COPY_RECORD_LINE, finalCopyEntry, type FinalResult } from "../reindex/final-result";
import { initError, plain } from "../shared/results";
import type { ReindexInputs, ReindexOutputs } from "../reindex/types";
import { validateInputs as validateCopyInputs } from "../reindex/validate";
import {
  liveLine,
  phaseProblem,
  phaseRecord,
  readRecord,
  recordLine,
  unknownRecord,
  writeRecord,
  type CutoverRecord,
} from "../shared/live-destination";
import {
  copyOlds,
  copyPartInputs,
  copySetupUnchanged,
  copyStateOf,
  finishOlds,
  finishPartInputs,
  finishStateOf,
  indexOlds,
  indexPartInputs,
  indexStateOf,
  replacedProperties,
  summaryOf,
  wearsLoadSettings,
} from "./parts";
import { bytesPerDocument, fitModel, rateOf, runsInState } from "./estimate";
import { announceEstimate as announce, plannedEstimate as planned, type EstimateSubject } from "./estimate-lines";
import { connectSharingFacts, sourceIndexSizes } from "./facts";
import type { MigratedIndexInputs, MigratedIndexOutputs } from "./types";
import { defineProvider } from "../shared/define-provider";
import type { Problem } from "../shared/problems";

type Outs = MigratedIndexOutputs;

/** The live checks' connections: one short attempt each (as Reindex's), facts asked once per cluster (./facts). */
const quickSharingFacts = (conn: ClusterConnection, role: string) =>
  connectSharingFacts(conn, role, { retry: { maxAttempts: 1 } });

/** A line the Pulumi CLI shows as a diagnostic (a dynamic provider's stdout; see docs/reindex.md). */
const say = (m: string) => console.log(m);

/** A part's failure under MigratedIndex's own property names (`target.*`, `copy.*`, `finish.*`, `connections`). */
export function renamed(part: "target" | "copy" | "finish", failures: Problem[]): Problem[] {
  const top: Record<string, string> = {
    cluster: "connections",
    copyFrom: "connections",
    index: "destIndex",
    destIndex: "destIndex",
    source: "connections",
  };
  return failures.map((f) => {
    const head = f.property.split(".")[0];
    if (head === "source" && f.property.startsWith("source.remote")) return { ...f, property: "connections" };
    if (head === "source" && (f.property === "source.query" || f.property === "source.size"))
      return { ...f, property: `copy.${f.property.slice(7)}` };
    return { ...f, property: top[head] ?? `${part}.${f.property}` };
  });
}

const indexInputsOf = (i: MigratedIndexInputs): DestinationIndexInputs => checkIndexInputs(indexPartInputs(i)).inputs;
const copyInputsOf = (i: MigratedIndexInputs, uuid?: string): ReindexInputs =>
  validateCopyInputs(copyPartInputs(i, uuid)).inputs;
const finishInputsOf = (i: MigratedIndexInputs, o: Pick<Outs, "indexState" | "copyState">) =>
  checkFinishInputs(finishPartInputs(i, o.indexState!, o.copyState)).inputs;

const subject = (i: MigratedIndexInputs): EstimateSubject => ({
  source: i.connections.source,
  destination: i.connections.destination,
  sourceIndex: i.sourceIndex,
  destIndex: i.destIndex,
  scoped: i.copy.query !== undefined,
});
const plannedEstimate = (i: MigratedIndexInputs) => planned(subject(i));

/**
 * Says what the next run moves and takes (`documents`, or "all": the whole source index) as a preview line, from
 * the runs the copy has had (./estimate-lines); kept for the create or update that follows.
 */
async function announceEstimate(i: MigratedIndexInputs, documents: number | "all", olds?: Partial<Outs>) {
  await announce(subject(i), documents, runsInState(olds?.copyState), say);
}

export async function checkMigratedIndex(olds: Record<string, unknown> | undefined, news: Record<string, unknown>) {
  const i = news as unknown as MigratedIndexInputs;
  for (const k of ["target", "copy", "finish"] as const) i[k] ??= {};
  const index = await checkDestinationIndex(indexPartInputs(i), olds, quickSharingFacts);
  const copy = copySetupUnchanged(olds as Partial<MigratedIndexInputs> | undefined, i)
    ? validateCopyInputs(copyPartInputs(i))
    : await checkReindex(copyPartInputs(i), quickSharingFacts);
  // The finish's own inputs come from the index and the copy during up: here its declared part is checked.
  const finish = checkFinishInputs({
    cluster: i.connections?.destination,
    index: i.destIndex,
    finalSettings: i.finish.finalSettings ?? {},
    alias: i.finish.alias,
  });
  const failures = [
    ...renamed("target", index.failures),
    ...renamed("copy", copy.failures),
    ...renamed("finish", finish.failures),
  ];
  // One problem reported once (the connections and the names are checked by each part).
  const phase = containsUnknown(i.phase) ? undefined : phaseProblem(i.phase);
  if (phase !== undefined) failures.push({ property: "phase", reason: phase });
  const unique = [...new Map(failures.map((f) => [f.reason, f])).values()];
  // A new index: the whole source index moves. (An existing one's estimate comes from its diff's pending work.)
  if ((olds === undefined || Object.keys(olds).length === 0) && unique.length === 0 && !containsUnknown(i))
    await announceEstimate(i, "all");
  return { inputs: i, failures: unique };
}

/** Which parts change and why, said by the parts themselves; only the index's replacement replaces the resource. */
export async function diffMigratedIndex(olds: Outs, news: MigratedIndexInputs): Promise<pulumi.dynamic.DiffResult> {
  if (olds.indexState === undefined) return { changes: true };
  const what = `index ${news.sourceIndex} -> ${news.destIndex}`;
  if (finalCopyEntry(olds.copyState, news) !== undefined) {
    say(`${what}: ${FINAL_COPY_RECORD_LINE}`);
    return { changes: true };
  }
  if (olds.indexState.cutover !== undefined) {
    say(liveLine(what, olds.indexState.cutover, MIGRATION_TAIL));
    return { changes: false };
  }
  if (news.phase === "cutover-done") {
    say(recordLine(what));
    return { changes: true };
  }
  const found = await plannedChanges({ ...olds, indexState: olds.indexState }, news);
  // Something to do: unless the index went live (a record in its mapping the state does not have yet).
  const recorded =
    found.changes && !containsUnknown(news.connections)
      ? await recordAt(news).catch(unknownRecord(what, (m) => console.warn(`warning: ${m}`)))
      : undefined;
  if (recorded === undefined) return found;
  say(liveLine(what, recorded, MIGRATION_TAIL));
  return { changes: false };
}

const MIGRATION_TAIL = "this migration no longer writes to it (no copy, repair, delete, settings or alias)";

/** The cutover record in the destination index's mapping, if any. */
async function recordAt(i: MigratedIndexInputs): Promise<CutoverRecord | undefined> {
  const dest = connect(i.connections.destination, "destination");
  try {
    return await readRecord(dest, i.destIndex);
  } finally {
    await dest.close().catch(() => undefined);
  }
}

/** What the parts would do, said by the parts. */
async function plannedChanges(
  olds: Outs & { indexState: NonNullable<Outs["indexState"]> },
  news: MigratedIndexInputs,
): Promise<pulumi.dynamic.DiffResult> {
  const index = await diffDestinationIndex(indexOlds(olds), indexInputsOf(news));
  if ((index.replaces ?? []).length > 0) {
    if (!containsUnknown(news)) await announceEstimate(news, "all", olds);
    return { changes: true, replaces: replacedProperties(index.replaces!), deleteBeforeReplace: true };
  }
  if (containsUnknown(news)) return { changes: true };
  // A copy whose data identity changed (query, mode field) runs again in full into the same index: an update here.
  const copy =
    olds.copyState === undefined
      ? { diff: { changes: true } }
      : await diffReindexWork(copyOlds(olds), copyInputsOf(news, olds.indexState.uuid));
  const finish =
    olds.finishState === undefined ? { changes: true } : diffFinish(finishOlds(olds), finishInputsOf(news, olds));
  const moving =
    olds.copyState === undefined || (copy.diff.replaces ?? []).length > 0
      ? "all"
      : (copy.pending?.waiting ?? 0) + (copy.pending?.outside ?? 0);
  if (moving === "all" || moving > 0) await announceEstimate(news, moving, olds);
  return { changes: Boolean(index.changes || copy.diff.changes || finish.changes) };
}

/** The state as a failed step leaves it: the engine keeps the resource ("failed to initialize"), the next up goes on. */
function keep(
  message: string,
  id: string,
  i: MigratedIndexInputs,
  o: Pick<Outs, "indexState" | "copyState" | "finishState" | "copyRate" | "estimate">,
): Error {
  return initError(message, id, { ...i, ...o, summary: summaryOf(i, o) });
}

/** Reindex's state out of a run that failed part-way (its error carries them), or undefined when it started nothing. */
function failedCopyState(e: unknown) {
  const props = (e as { properties?: ReindexOutputs }).properties;
  return props === undefined ? undefined : copyStateOf(props);
}

/** True when the index exists and wears this resource's load settings: an interrupted up's own create (see parts). */
async function leftByInterruptedCreate(inputs: DestinationIndexInputs): Promise<boolean> {
  if (inputs.adoptExisting) return false;
  const dest = connect(inputs.cluster, "destination");
  try {
    const live = await readIndex(dest, inputs.index, await dest.info());
    return live !== undefined && wearsLoadSettings(live.settings, inputs.loadSettings);
  } finally {
    await dest.close().catch(() => undefined);
  }
}

/** `final`: cutover()'s final copy and finish, made in its write freeze: recorded, nothing runs (see updateMigratedIndex). */
async function copyAndFinish(
  id: string,
  i: MigratedIndexInputs,
  olds: Outs | undefined,
  indexState: NonNullable<Outs["indexState"]>,
  final?: FinalResult,
): Promise<Outs> {
  let copyState = olds?.copyState;
  const news = copyInputsOf(i, indexState.uuid);
  try {
    if (copyState === undefined) copyState = copyStateOf((await createReindex(news)).outs);
    else {
      const before = copyOlds({ ...olds!, connections: i.connections });
      if (replacingProperties(before, news).length > 0) {
        say(
          `reindex ${i.sourceIndex} -> ${i.destIndex}: ${replacingProperties(before, news).join(", ")} changed: the copy runs again in full`,
        );
        await deleteReindex(before);
        copyState = copyStateOf((await createReindex(news, runsInState(olds?.copyState))).outs);
      } else copyState = copyStateOf((await updateReindex(id, before, news)).outs);
    }
  } catch (e) {
    throw keep((e as Error).message, id, i, {
      indexState,
      copyState: failedCopyState(e) ?? copyState,
      finishState: olds?.finishState,
      copyRate: olds?.copyRate,
      estimate: plannedEstimate(i),
    });
  }
  // The rate the next preview estimates with, fitted on the copy's runs (this one included).
  const size = (await sourceIndexSizes(i.connections.source)).get(i.sourceIndex);
  const runs = runsInState(copyState);
  const copyRate = runs.length > 0 ? rateOf(fitModel(runs, bytesPerDocument(size)), size) : olds?.copyRate;
  const estimate = plannedEstimate(i);
  let finishState = olds?.finishState;
  const finish = finishInputsOf(i, { indexState, copyState });
  if (final !== undefined) finishState = final.finish ?? finishState;
  else if (
    finishState === undefined ||
    finishChanges(finishOlds(olds!, i.connections.destination), finish).length > 0
  ) {
    try {
      finishState = finishStateOf(await runFinish(finish));
    } catch (e) {
      // Not finished: no finish state, so the next up runs the finish again.
      throw keep((e as Error).message, id, i, { indexState, copyState, finishState: undefined, copyRate, estimate });
    }
  }
  const o = { indexState, copyState, finishState, copyRate, estimate };
  return plain({ ...i, ...o, summary: summaryOf(i, o) });
}

/** `owner`: the group that holds the index (see DestinationIndex's origin); none for a MigratedIndex resource. */
export async function createMigratedIndex(i: MigratedIndexInputs, owner?: string): Promise<{ id: string; outs: Outs }> {
  const inputs = indexInputsOf(i);
  const taken = await leftByInterruptedCreate(inputs);
  if (taken)
    say(
      `index ${i.destIndex}: exists with this migration's load settings (an interrupted pulumi up created it): taken over, and the copy attaches to its running tasks`,
    );
  const created = await createDestinationIndex(
    {
      ...inputs,
      adoptExisting: inputs.adoptExisting || taken,
      ...(i.phase !== undefined ? { phase: i.phase } : {}),
    },
    owner,
  );
  const indexState = { ...indexStateOf(created.outs), adoptExisting: inputs.adoptExisting };
  // A live index (recorded in its mapping, or the program's phase): taken as it is, nothing copied or finished.
  if (indexState.cutover !== undefined)
    return { id: i.destIndex, outs: plain({ ...i, indexState, summary: summaryOf(i, { indexState }) }) };
  return { id: i.destIndex, outs: await copyAndFinish(i.destIndex, i, undefined, indexState) };
}

export async function updateMigratedIndex(
  id: string,
  olds: Outs,
  news: MigratedIndexInputs,
  owner?: string,
): Promise<{ outs: Outs }> {
  if (olds.indexState === undefined) return { outs: (await createMigratedIndex(news, owner)).outs };
  // cutover()'s recording up: its final copy and finish, made in the freeze, become this update's. The destination is
  // live by now (recorded, taking the application's writes): nothing is written to it.
  const final = finalCopyEntry(olds.copyState, news);
  if (final !== undefined) return { outs: await copyAndFinish(id, news, olds, olds.indexState, final) };
  const live = await liveRecord(olds, news);
  if (live !== undefined) {
    say(liveLine(`index ${news.sourceIndex} -> ${news.destIndex}`, live, MIGRATION_TAIL));
    const o = { ...olds, indexState: { ...olds.indexState, cutover: live } };
    return { outs: plain({ ...o, ...news, summary: summaryOf(news, o) }) };
  }
  const inputs = indexInputsOf(news);
  let indexState = olds.indexState;
  if (planDiff(indexOlds(olds), inputs, olds.indexState.copied).changes) {
    indexState = indexStateOf((await updateDestinationIndex(indexOlds(olds), inputs)).outs);
  }
  return { outs: await copyAndFinish(id, news, olds, indexState) };
}

/** The record that stands (state, or the index's mapping), or the program's phase written into the mapping now; else undefined. */
async function liveRecord(olds: Outs, news: MigratedIndexInputs): Promise<CutoverRecord | undefined> {
  if (olds.indexState?.cutover !== undefined) return olds.indexState.cutover;
  const dest = connect(news.connections.destination, "destination");
  try {
    const recorded = await readRecord(dest, news.destIndex);
    if (recorded !== undefined || news.phase !== "cutover-done") return recorded;
    return (await writeRecord(dest, news.destIndex, phaseRecord())) ?? phaseRecord();
  } finally {
    await dest.close().catch(() => undefined);
  }
}

/** refresh: the index's settings, mappings and aliases, and the finish's live view; gone when the index is gone. */
export async function readMigratedIndex(id: string, props: Outs): Promise<pulumi.dynamic.ReadResult> {
  if (props?.connections === undefined || props.indexState === undefined)
    throw new Error(
      `MigratedIndex "${id}": reading needs its recorded properties (import is not supported: use adoptExisting)`,
    );
  const index = await readDestinationIndex(id, indexOlds(props));
  if (index.id === "") return { id: "", props: {} };
  const indexState = indexStateOf(index.props as DestinationIndexOutputs);
  let finishState = props.finishState;
  if (finishState !== undefined) {
    const f = await readFinish(id, finishOlds(props));
    if (f.id !== "") finishState = finishStateOf(f.props as MigrationFinishOutputs);
  }
  const o = { indexState, copyState: props.copyState, finishState, copyRate: props.copyRate, estimate: props.estimate };
  return { id, props: plain({ ...props, ...o, summary: summaryOf(props, o) }) };
}

/** delete: refused while deletionProtection is on (nothing cancelled, nothing deleted); else the copy's tasks, then the index. */
export async function deleteMigratedIndex(id: string, props: Outs): Promise<void> {
  if (props.indexState === undefined) return;
  // A live index: nothing cancelled, nothing deleted (DestinationIndex's delete says so).
  if (props.indexState.cutover !== undefined) return deleteDestinationIndex(id, indexOlds(props));
  if (props.indexState.deletionProtection !== false) return deleteDestinationIndex(id, indexOlds(props)); // throws, naming the fix
  if (props.copyState !== undefined) await deleteReindex(copyOlds(props));
  await deleteDestinationIndex(id, indexOlds(props));
}

export const migratedIndexProvider = defineProvider<MigratedIndexInputs, Outs>({
  check: async (news, olds) => {
    const { inputs, failures } = await checkMigratedIndex(olds, news);
    return { inputs, problems: failures };
  },
  diff: (_id, olds, news) => diffMigratedIndex(olds, news),
  create: (inputs) => createMigratedIndex(inputs),
  update: (id, olds, news) => updateMigratedIndex(id, olds, news),
  read: (id, props) => readMigratedIndex(id, props),
  delete: (id, props) => deleteMigratedIndex(id, props),
}) as pulumi.dynamic.ResourceProvider;
