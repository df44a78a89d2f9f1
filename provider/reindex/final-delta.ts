// cutover()'s final copy of one Reindex, in cutover()'s own process while it holds the source's write block: the very
// run the stack's next `up` would make for the copy (the update's run options, then runReindex), without starting
// the Pulumi engine inside the freeze. Its results are recorded in the stack afterwards (./final-result).
import { runsInState, type CopyRun } from "../migrated-index/estimate";
import { providerLog } from "../shared/log";
import { updateRun, withRun } from "./provider";
import { runReindex, type RunLog, type RunResults } from "./run";
import type { ReindexOutputs } from "./types";

const FINAL_POLL_MS = 200;

/**
 * Copies what arrived since the stack's last run of this copy (`olds`: its outputs in the state, secrets readable),
 * and verifies it as that run's update would. Undefined when the update would run nothing. Throws as runReindex does
 * (ReindexRunError: the copy stopped early; the stack's state is untouched, so its next up runs the window again).
 */
export async function runFinalDelta(
  olds: ReindexOutputs,
  log: RunLog = providerLog(),
): Promise<RunResults | undefined> {
  const run = await updateRun(olds, olds, log);
  // A small delta's task ends within a second or two: polled more often, the freeze does not wait for the next poll.
  return run === undefined ? undefined : runReindex(olds, { ...run, pollMs: FINAL_POLL_MS });
}

/**
 * The copy's runs for the estimates with the final run recorded, as that update records them. Reads the source's
 * index sizes: called once the freeze is over.
 */
export function runsWithFinal(olds: ReindexOutputs, results: RunResults): Promise<CopyRun[]> {
  return withRun(olds, runsInState(olds), results, olds.status === "failed");
}
