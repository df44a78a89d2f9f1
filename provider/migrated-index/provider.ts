// The MigratedIndex dynamic provider: one index's whole migration in one resource. Each method runs the three parts
// in order with the parts' own module functions (DestinationIndex, Reindex, MigrationFinish): nothing here decides
// what those decide. Pulumi serializes the provider object into the state, so its methods only call the functions
// below (as the other providers do).
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connection/client";
import type { ClusterConnection } from "../connection/types";
import { containsUnknown } from "../connection/unknown";
import { createDestinationIndex, checkDestinationIndex, deleteDestinationIndex, diffDestinationIndex, readDestinationIndex, updateDestinationIndex } from "../destination-index/provider";
import { readIndex } from "../destination-index/ops";
import { planDiff } from "../destination-index/plan";
import type { DestinationIndexInputs } from "../destination-index/types";
import { checkInputs as checkIndexInputs } from "../destination-index/validate";
import { diffFinish, finishChanges, readFinish, runFinish } from "../finish/provider";
import type { MigrationFinishOutputs } from "../finish/types";
import { checkFinishInputs } from "../finish/validate";
import { checkReindex, createReindex, deleteReindex, diffReindex, replacingProperties, updateReindex } from "../reindex/provider";
import { initError, plain } from "../shared/results";
import type { ReindexInputs, ReindexOutputs } from "../reindex/types";
import { validateInputs as validateCopyInputs } from "../reindex/validate";
import {
  copyOlds, copyPartInputs, copySetupUnchanged, copyStateOf, finishOlds, finishPartInputs, finishStateOf, indexOlds, indexPartInputs, indexStateOf, replacedProperties, summaryOf,
  wearsLoadSettings,
} from "./parts";
import { connectSharingFacts } from "./facts";
import type { MigratedIndexInputs, MigratedIndexOutputs } from "./types";

type Outs = MigratedIndexOutputs;
type Failure = { property: string; reason: string };

/** The live checks' connections: one short attempt each (as Reindex's), facts asked once per cluster (./facts). */
const quickSharingFacts = (conn: ClusterConnection, role: string) => connectSharingFacts(conn, role, { retry: { maxAttempts: 1 } });

/** A line the Pulumi CLI shows as a diagnostic (a dynamic provider's stdout; see docs/reindex.md). */
const say = (m: string) => console.log(m);

/** A part's failure under MigratedIndex's own property names (`target.*`, `copy.*`, `finish.*`, `connections`). */
export function renamed(part: "target" | "copy" | "finish", failures: Failure[]): Failure[] {
  const top: Record<string, string> = { cluster: "connections", copyFrom: "connections", index: "destIndex", destIndex: "destIndex", source: "connections" };
  return failures.map((f) => {
    const head = f.property.split(".")[0];
    if (head === "source" && f.property.startsWith("source.remote")) return { ...f, property: "connections" };
    if (head === "source" && (f.property === "source.query" || f.property === "source.size")) return { ...f, property: `copy.${f.property.slice(7)}` };
    return { ...f, property: top[head] ?? `${part}.${f.property}` };
  });
}

const indexInputsOf = (i: MigratedIndexInputs): DestinationIndexInputs => checkIndexInputs(indexPartInputs(i)).inputs;
const copyInputsOf = (i: MigratedIndexInputs, uuid?: string): ReindexInputs => validateCopyInputs(copyPartInputs(i, uuid)).inputs;
const finishInputsOf = (i: MigratedIndexInputs, o: Pick<Outs, "indexState" | "copyState">) => checkFinishInputs(finishPartInputs(i, o.indexState!, o.copyState)).inputs;

export async function checkMigratedIndex(olds: Record<string, unknown> | undefined, news: Record<string, unknown>) {
  const i = news as unknown as MigratedIndexInputs;
  for (const k of ["target", "copy", "finish"] as const) if (i[k] === undefined || i[k] === null) (i as any)[k] = {};
  const index = await checkDestinationIndex(indexPartInputs(i), olds, quickSharingFacts);
  const copy = copySetupUnchanged(olds as Partial<MigratedIndexInputs> | undefined, i) ? validateCopyInputs(copyPartInputs(i)) : await checkReindex(copyPartInputs(i), quickSharingFacts);
  // The finish's own inputs come from the index and the copy during up: here its declared part is checked.
  const finish = checkFinishInputs({ cluster: i.connections?.destination, index: i.destIndex, finalSettings: i.finish.finalSettings ?? {}, alias: i.finish.alias });
  const failures = [...renamed("target", index.failures), ...renamed("copy", copy.failures), ...renamed("finish", finish.failures)];
  // One problem reported once (the connections and the names are checked by each part).
  const unique = [...new Map(failures.map((f) => [f.reason, f])).values()];
  return { inputs: i, failures: unique };
}

/** Which parts change and why, said by the parts themselves; only the index's replacement replaces the resource. */
export async function diffMigratedIndex(olds: Outs, news: MigratedIndexInputs): Promise<pulumi.dynamic.DiffResult> {
  if (olds.indexState === undefined) return { changes: true };
  const index = await diffDestinationIndex(indexOlds(olds), indexInputsOf(news));
  if ((index.replaces ?? []).length > 0) return { changes: true, replaces: replacedProperties(index.replaces!), deleteBeforeReplace: true };
  if (containsUnknown(news)) return { changes: true };
  // A copy whose data identity changed (query, mode field) runs again in full into the same index: an update here.
  const copy = olds.copyState === undefined ? { changes: true } : await diffReindex(copyOlds(olds), copyInputsOf(news, olds.indexState.uuid));
  const finish = olds.finishState === undefined ? { changes: true } : diffFinish(finishOlds(olds), finishInputsOf(news, olds));
  return { changes: Boolean(index.changes || copy.changes || finish.changes) };
}

/** The state as a failed step leaves it: the engine keeps the resource ("failed to initialize"), the next up goes on. */
function keep(message: string, id: string, i: MigratedIndexInputs, o: Pick<Outs, "indexState" | "copyState" | "finishState">): Error {
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

async function copyAndFinish(id: string, i: MigratedIndexInputs, olds: Outs | undefined, indexState: NonNullable<Outs["indexState"]>): Promise<Outs> {
  let copyState = olds?.copyState;
  const news = copyInputsOf(i, indexState.uuid);
  try {
    if (copyState === undefined) copyState = copyStateOf((await createReindex(news)).outs);
    else {
      const before = copyOlds({ ...olds!, connections: i.connections });
      if (replacingProperties(before, news).length > 0) {
        say(`reindex ${i.sourceIndex} -> ${i.destIndex}: ${replacingProperties(before, news).join(", ")} changed: the copy runs again in full`);
        await deleteReindex(before);
        copyState = copyStateOf((await createReindex(news)).outs);
      } else copyState = copyStateOf((await updateReindex(id, before, news)).outs);
    }
  } catch (e) {
    throw keep((e as Error).message, id, i, { indexState, copyState: failedCopyState(e) ?? copyState, finishState: olds?.finishState });
  }
  let finishState = olds?.finishState;
  const finish = finishInputsOf(i, { indexState, copyState });
  if (finishState === undefined || finishChanges(finishOlds(olds!, i.connections.destination), finish).length > 0) {
    try {
      finishState = finishStateOf(await runFinish(finish));
    } catch (e) {
      // Not finished: no finish state, so the next up runs the finish again.
      throw keep((e as Error).message, id, i, { indexState, copyState, finishState: undefined });
    }
  }
  return plain({ ...i, indexState, copyState, finishState, summary: summaryOf(i, { indexState, copyState, finishState }) });
}

export async function createMigratedIndex(i: MigratedIndexInputs): Promise<{ id: string; outs: Outs }> {
  const inputs = indexInputsOf(i);
  const taken = await leftByInterruptedCreate(inputs);
  if (taken) say(`index ${i.destIndex}: exists with this migration's load settings (an interrupted pulumi up created it): taken over, and the copy attaches to its running tasks`);
  const created = await createDestinationIndex({ ...inputs, adoptExisting: inputs.adoptExisting || taken });
  const indexState = { ...indexStateOf(created.outs), adoptExisting: inputs.adoptExisting };
  return { id: i.destIndex, outs: await copyAndFinish(i.destIndex, i, undefined, indexState) };
}

export async function updateMigratedIndex(id: string, olds: Outs, news: MigratedIndexInputs): Promise<{ outs: Outs }> {
  if (olds.indexState === undefined) return { outs: (await createMigratedIndex(news)).outs };
  const inputs = indexInputsOf(news);
  let indexState = olds.indexState;
  if (planDiff(indexOlds(olds), inputs, olds.indexState.copied).changes) {
    indexState = indexStateOf((await updateDestinationIndex(indexOlds(olds), inputs)).outs);
  }
  return { outs: await copyAndFinish(id, news, olds, indexState) };
}

/** refresh: the index's settings, mappings and aliases, and the finish's live view; gone when the index is gone. */
export async function readMigratedIndex(id: string, props: Outs): Promise<pulumi.dynamic.ReadResult> {
  if (props?.connections === undefined || props.indexState === undefined) throw new Error(`MigratedIndex "${id}": reading needs its recorded properties (import is not supported: use adoptExisting)`);
  const index = await readDestinationIndex(id, indexOlds(props));
  if (index.id === "") return { id: "", props: {} };
  const indexState = indexStateOf(index.props as any);
  let finishState = props.finishState;
  if (finishState !== undefined) {
    const f = await readFinish(id, finishOlds(props));
    if (f.id !== "") finishState = finishStateOf(f.props as MigrationFinishOutputs);
  }
  const o = { indexState, copyState: props.copyState, finishState };
  return { id, props: plain({ ...props, ...o, summary: summaryOf(props, o) }) };
}

/** delete: refused while deletionProtection is on (nothing cancelled, nothing deleted); else the copy's tasks, then the index. */
export async function deleteMigratedIndex(id: string, props: Outs): Promise<void> {
  if (props.indexState === undefined) return;
  if (props.indexState.deletionProtection !== false) return deleteDestinationIndex(id, indexOlds(props)); // throws, naming the fix
  if (props.copyState !== undefined) await deleteReindex(copyOlds(props));
  await deleteDestinationIndex(id, indexOlds(props));
}

export const migratedIndexProvider: pulumi.dynamic.ResourceProvider = {
  check: (olds: any, news: any) => checkMigratedIndex(olds, news),
  diff: (_id: string, olds: any, news: any) => diffMigratedIndex(olds, news),
  create: (inputs: any) => createMigratedIndex(inputs),
  update: (id: string, olds: any, news: any) => updateMigratedIndex(id, olds, news),
  read: (id: string, props: any) => readMigratedIndex(id, props),
  delete: (id: string, props: any) => deleteMigratedIndex(id, props),
};
