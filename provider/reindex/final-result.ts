// cutover()'s final copy runs inside the write freeze in cutover()'s own process (./final-delta), not in an `up`; the
// `up` it runs once the aliases moved hands each copy's results to the provider through a file named by
// FINAL_RESULTS_ENV, and the provider records them as its update: the state ends as if the copy had run in that
// `up`, and nothing is copied, repaired or deleted at the destination, which is live by then.
import * as fs from "node:fs";
import { stableJson } from "../shared/stable-json";
import type { MigrationFinishOutputs } from "../finish/types";
import type { CopyRun } from "../migrated-index/estimate";
import type { RunResults } from "./run";
import type { ReindexOutputs } from "./types";

/** Set by cutover() for its recording `up` only: the path of a JSON file of FinalResults. */
export const FINAL_RESULTS_ENV = "PULUMI_ES_MIGRATE_FINAL_RESULTS";

/** What a preview or up prints for a copy whose final run cutover() made. */
export const FINAL_COPY_RECORD_LINE =
  "records the final copy cutover() made during the write freeze (nothing is copied: the destination is live)";

/**
 * One copy's final run: the state it started from (its fingerprint), what the copy produced (with the copy's runs for
 * the estimates, this one recorded), and for a MigratedIndex (or a group's member) the finish that followed it in the
 * freeze, without its connection (undefined: the finish had nothing to run again).
 */
export interface FinalResult {
  after: string;
  results: RunResults & { copyRuns?: CopyRun[] };
  finish?: Omit<MigrationFinishOutputs, "cluster">;
}

/** Per destination index. */
export type FinalResults = Record<string, FinalResult>;

/** The outputs that identify a run (a Reindex's, or a MigratedIndex's copyState). */
export type RunIdentity = {
  [K in "destIndex" | "status" | "cursorFrom" | "cursorTo" | "taskIds" | "durationSeconds"]?: unknown;
};

/** What identifies the state a run built on: the last run's cursors, tasks and timing. Pure. */
export function runFingerprint(o: RunIdentity): string {
  return stableJson([o.destIndex, o.status, o.cursorFrom, o.cursorTo, o.taskIds, o.durationSeconds]);
}

/**
 * What cutover() recorded for this copy, when this up is its recording up and the state is the one its final copy
 * started from; else undefined (the copy runs as usual).
 */
export function finalCopyEntry(
  olds: Partial<ReindexOutputs> | undefined,
  news: { destIndex: string },
  env: NodeJS.ProcessEnv = process.env,
): FinalResult | undefined {
  const file = env[FINAL_RESULTS_ENV];
  if (file === undefined || file === "" || olds === undefined || olds.destIndex !== news.destIndex) return undefined;
  let all: FinalResults;
  try {
    all = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  const entry = all[news.destIndex];
  return entry !== undefined && entry.after === runFingerprint(olds) ? entry : undefined;
}

/** The copy's results of finalCopyEntry. */
export function finalCopyResults(
  olds: Partial<ReindexOutputs> | undefined,
  news: { destIndex: string },
  env: NodeJS.ProcessEnv = process.env,
): FinalResult["results"] | undefined {
  return finalCopyEntry(olds, news, env)?.results;
}
