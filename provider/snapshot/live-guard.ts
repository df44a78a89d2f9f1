// The cutover guard of a SnapshotMigration (../shared/live-destination): its restored indices are the destination
// indices an application goes live on. Each one's catch-up is a Reindex run, so each is guarded as that copy is
// (../reindex/live-guard), and the migration follows the strictest answer: one live index and the whole migration
// leaves the destination alone (its indices were restored and cut over together).
import { guardCopy, recordCopyCutover, type CopyGuard } from "../reindex/live-guard";
import { earlier, phaseRecord, type CutoverRecord } from "../shared/live-destination";
import type { SnapshotMigrationInputs, SnapshotMigrationOutputs } from "./types";
import { catchUpInputs, renamed } from "./validate";

/** One index's catch-up inputs, with the migration's phase (what the copy guard decides from). */
const copyOf = (i: SnapshotMigrationInputs, index: string) => ({ ...catchUpInputs(i, index), phase: i.phase });

/**
 * What the migration may do now: "leave" when an index's mapping holds a record, "record" when the program says
 * "cutover-done", else "run"; throws, changing nothing, when a frozen source meets writes at a destination index.
 */
export async function guardSnapshot(
  i: SnapshotMigrationInputs,
  olds: Partial<SnapshotMigrationOutputs> | undefined,
): Promise<CopyGuard> {
  if (olds?.cutover !== undefined) return { action: "leave", recorded: olds.cutover };
  let recorded: CutoverRecord | undefined;
  for (const index of i.indices) {
    const state = olds?.catchUpStates?.[renamed(index, i.rename)];
    const guard = await guardCopy(copyOf(i, index), state === undefined ? undefined : { ...state, cutover: undefined });
    if (guard.action === "leave") recorded = earlier(recorded, guard.recorded);
  }
  if (recorded !== undefined) return { action: "leave", recorded };
  return i.phase === "cutover-done" ? { action: "record", recorded: phaseRecord() } : { action: "run" };
}

/** Writes the program's record into every restored index's `_meta`; the earliest record that stands. */
export async function recordSnapshotCutover(i: SnapshotMigrationInputs, record: CutoverRecord): Promise<CutoverRecord> {
  let stands: CutoverRecord | undefined;
  for (const index of i.indices) stands = earlier(stands, await recordCopyCutover(copyOf(i, index), record));
  return stands ?? record;
}
