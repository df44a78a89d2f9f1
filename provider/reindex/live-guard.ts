// The cutover guard of one copy (../shared/live-destination): before a Reindex writes to its destination, whether the
// destination is live (recorded: the copy leaves it; phase "cutover-done": the up only records it) or its source is
// frozen by a cutover done by hand with writes at the destination (the copy stops, naming them).
import { connect } from "../connection/client";
import type { Cluster } from "../connection/types";
import {
  destinationWrites,
  foreignWrites,
  FrozenSourceError,
  frozenSourceMessage,
  guardAction,
  inFinalCopy,
  phaseRecord,
  readRecord,
  sourceWriteBlock,
  writeRecord,
  type CutoverRecord,
  type GuardAction,
} from "../shared/live-destination";
import { scopeQuery } from "./queries";
import { sourceConnection } from "./request";
import type { ReindexInputs, ReindexOutputs } from "./types";

export interface CopyGuard {
  action: Exclude<GuardAction, "stop">;
  /** The record that stands ("leave"), or the one to write ("record"). */
  recorded?: CutoverRecord;
}

/** Connects to both sides for `work`, then closes them. */
async function withBoth<T>(inputs: ReindexInputs, work: (src: Cluster, dest: Cluster) => Promise<T>): Promise<T> {
  const dest = connect(inputs.cluster, "destination");
  const srcConn = sourceConnection(inputs);
  const src = srcConn === inputs.cluster ? dest : connect(srcConn, "source");
  try {
    return await work(src, dest);
  } finally {
    await dest.close().catch(() => undefined);
    if (src !== dest) await src.close().catch(() => undefined);
  }
}

/**
 * What this copy may do now (see guardAction); throws, changing nothing, when a frozen source meets writes at the
 * destination. `destWrites`: what the diff already counted since the last run (spares a read).
 */
export async function guardCopy(
  inputs: ReindexInputs,
  olds: Partial<ReindexOutputs> | undefined,
  destWrites?: number,
): Promise<CopyGuard> {
  if (olds?.cutover !== undefined) return { action: "leave", recorded: olds.cutover };
  const what = `reindex ${inputs.source.index} -> ${inputs.destIndex}`;
  return withBoth(inputs, async (src, dest) => {
    const finalCopy = inFinalCopy(inputs.destIndex);
    const frozenMatters = !finalCopy && inputs.phase !== "cutover-done";
    const [recorded, sourceBlock] = await Promise.all([
      readRecord(dest, inputs.destIndex),
      frozenMatters ? sourceWriteBlock(src, inputs.source.index) : undefined,
    ]);
    const facts = { recorded, phase: inputs.phase, sourceBlock, finalCopy };
    let action = guardAction("write", facts);
    if (action === "stop") {
      const query = scopeQuery(inputs);
      const writes =
        destWrites ??
        (await foreignWrites(src, dest, {
          sourceIndex: inputs.source.index,
          destIndex: inputs.destIndex,
          query,
          destMarks: olds?.destMarks,
        }));
      action = guardAction("write", { ...facts, foreignWrites: writes });
      if (action === "stop")
        throw new FrozenSourceError(
          frozenSourceMessage(
            what,
            sourceBlock!,
            inputs.source.index,
            await destinationWrites(src, dest, inputs.source.index, inputs.destIndex, query),
          ),
        );
    }
    if (action === "record") return { action, recorded: phaseRecord() };
    return { action: action as CopyGuard["action"], recorded };
  });
}

/** Writes the record of a copy the program marked "cutover-done" into the destination's `_meta`; the one that stands. */
export async function recordCopyCutover(inputs: ReindexInputs, record: CutoverRecord): Promise<CutoverRecord> {
  return withBoth(inputs, async (_src, dest) => (await writeRecord(dest, inputs.destIndex, record)) ?? record);
}
