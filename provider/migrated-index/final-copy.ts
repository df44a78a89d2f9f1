// cutover()'s final copy of a MigratedIndex (or of a group's member) inside the write freeze, in cutover()'s own
// process: the copy part's run the next `up`'s update makes (../reindex/final-delta), then the finish that update runs
// after it. The recording `up` hands both to updateMigratedIndex (../reindex/final-result), which records them.
import { finishChanges, runFinish } from "../finish/provider";
import type { MigrationFinishInputs } from "../finish/types";
import { checkFinishInputs } from "../finish/validate";
import type { RunResults } from "../reindex/run";
import { copyOlds, copyStateOf, finishOlds, finishPartInputs, finishStateOf } from "./parts";
import type { MigratedIndexOutputs } from "./types";

/** A MigratedIndex's state the final copy can run from: its destination index and its copy exist. */
export function canRunFinalCopy(o: Partial<MigratedIndexOutputs>): o is MigratedIndexOutputs {
  return o.connections !== undefined && o.indexState !== undefined && o.copyState !== undefined;
}

/**
 * The finish the update runs after the copy made `results` (the copy ran again, or the finish never ran or drifted),
 * or undefined when it would not run. Pure.
 */
export function finishAfterCopy(o: MigratedIndexOutputs, results: RunResults): MigrationFinishInputs | undefined {
  const copyState = copyStateOf({ ...copyOlds(o), ...results });
  const finish = checkFinishInputs(finishPartInputs(o, o.indexState!, copyState)).inputs;
  if (o.finishState !== undefined && finishChanges(finishOlds(o), finish).length === 0) return undefined;
  return finish;
}

/** Runs that finish: the final settings back (pipelines, refresh interval, replicas), counted; its state as stored. */
export async function runFinalFinish(inputs: MigrationFinishInputs) {
  return finishStateOf(await runFinish(inputs));
}
