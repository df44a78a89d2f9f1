// The preview's estimate lines, one per index with something to copy, each with the running total of the pair of
// clusters it moves between (one provider process serves every resource of a command, so the last line of a pair
// holds the whole migration's total). The estimates are kept by resource for the create or update of the same
// command, which records the one it ran under (`estimate`). Used by MigratedIndex and by a bare Reindex.
import type { ClusterConnection } from "../connection/types";
import { stableJson as stable } from "../shared/stable-json";
import {
  addEstimate,
  describeEstimate,
  describeTotal,
  estimateCopy,
  type CopyEstimate,
  type CopyRun,
  type EstimateTotal,
} from "./estimate";
import { sourceIndexSizes } from "./facts";

/** What one estimate line is about. */
export interface EstimateSubject {
  source: ClusterConnection;
  destination: ClusterConnection;
  sourceIndex: string;
  /** The destination index's name; undefined while not known (a preview before the index exists). */
  destIndex?: string;
  /** True when the copy has a query: a whole-index estimate then counts more documents than move. */
  scoped?: boolean;
}

const estimates = new Map<string, Map<string, CopyEstimate>>();
const pairKey = (s: EstimateSubject) => stable({ destination: s.destination, source: s.source });
const indexKey = (s: EstimateSubject) => stable({ sourceIndex: s.sourceIndex, destIndex: s.destIndex ?? null });

/** The estimate this process made for the subject (at its check or diff), if any. */
export function plannedEstimate(s: EstimateSubject): CopyEstimate | undefined {
  return estimates.get(pairKey(s))?.get(indexKey(s));
}

/**
 * Says what the next run moves (`documents`, or "all": the whole source index's top-level documents) and takes, from
 * the runs the copy has had, as a preview line; keeps it for the create or update that follows. Nothing when the
 * source's size is unknown.
 */
export async function announceEstimate(
  s: EstimateSubject,
  documents: number | "all",
  runs: readonly CopyRun[],
  say: (line: string) => void,
): Promise<CopyEstimate | undefined> {
  const size = (await sourceIndexSizes(s.source)).get(s.sourceIndex);
  const count = documents === "all" ? size?.docs : documents;
  if (count === undefined) return undefined;
  const e = estimateCopy(count, size, runs);
  const pair = estimates.get(pairKey(s)) ?? new Map<string, CopyEstimate>();
  estimates.set(pairKey(s), pair.set(indexKey(s), e));
  let total: EstimateTotal | undefined;
  for (const one of pair.values()) total = addEstimate(total, one);
  const scoped = documents === "all" && s.scoped ? " (the whole source index: the copy's query moves fewer)" : "";
  say(
    `estimate ${s.sourceIndex} -> ${s.destIndex ?? "(new index)"}: ${describeEstimate(e)}${scoped}; running total for these clusters: ${describeTotal(total!)}`,
  );
  return e;
}
