// Verification of a copy: both sides read in full (ids, or content hashes), compared by `_id`. What differs is
// returned for the caller to repair; summaries keep the first ids of each kind for people.
import type { Cluster } from "../connection/types";
import { DocSetComparison, type CompareBy, type DocRef, type DocSetDiff } from "./compare";
import { SCAN_DEFAULTS, lookupDocs, scanDocs } from "./scan";

export { DocSetComparison, differs, type CompareBy, type DocRef, type DocSetDiff } from "./compare";
export { canonicalHash, canonicalJson, sourceHash } from "./hash";
export { markShard, readWriteMarks, tryReadWriteMarks, writesSince, marksFromStats, type WriteMarks } from "./marks";
export {
  LOOKUP_CHUNK,
  SCAN_DEFAULTS,
  lookupDocs,
  readOnePage,
  scanChangedDocs,
  scanDocs,
  type ScanOptions,
} from "./scan";

/** How closely a run checks the destination against the source. */
export type VerifyLevel = "count" | "ids" | "content";
export const VERIFY_LEVELS: VerifyLevel[] = ["count", "ids", "content"];

/** What a verification found and repaired: the `verification` output of a Reindex. */
export interface Verification {
  level: VerifyLevel;
  /** Documents the source matches (the copy's query and mode). */
  sourceCount: number;
  /** Documents the destination holds for the same query. */
  destCount: number;
  /** Source documents the destination lacked when checked. */
  missing: number;
  /** Destination documents the source no longer has (deleted at the source), when checked. */
  extra: number;
  /** Documents whose content differed (content level) when checked. */
  differing: number;
  /** Documents copied again or deleted to repair what was found. */
  repaired: number;
  /** Extra documents left at the destination (deletes "report" or "ignore"). */
  extraKept: number;
  /** The first ids of each kind found. */
  firstIds: { missing: string[]; extra: string[]; differing: string[] };
  /** When the check ran (ISO 8601). */
  checkedAt: string;
  /**
   * "full": both sides read in full. "changes": the source's documents written since the last verified run were
   * checked one by one and the counts accounted for the rest (nobody else wrote to the destination in between).
   */
  method?: "full" | "changes";
}

export const FIRST_IDS = 5;

export interface CompareRequest {
  sourceIndex: string;
  destIndex: string;
  /** What the copy covers, as a query on either side. */
  query: Record<string, unknown>;
  level: Exclude<VerifyLevel, "count">;
  keepAlive?: string;
  slices?: number;
  signal?: AbortSignal;
}

/** Reads both sides at once and compares them by `_id` (and content hash at the content level). */
export async function compareIndices(src: Cluster, dest: Cluster, req: CompareRequest): Promise<DocSetDiff> {
  const by: CompareBy = req.level === "content" ? "content" : "ids";
  const comparison = new DocSetComparison(by);
  const content = req.level === "content";
  const opts = {
    versions: false,
    content,
    slices: req.slices ?? SCAN_DEFAULTS.slices,
    size: content ? SCAN_DEFAULTS.contentPageSize : SCAN_DEFAULTS.idsPageSize,
    keepAlive: req.keepAlive ?? SCAN_DEFAULTS.keepAlive,
    signal: req.signal,
  };
  await Promise.all([
    scanDocs(src, req.sourceIndex, req.query, opts, (docs) => comparison.addSource(docs)),
    scanDocs(dest, req.destIndex, req.query, opts, (docs) => comparison.addDest(docs)),
  ]);
  const diff = comparison.result();
  if (content && diff.differing.length > 0) diff.differing = await reallyDiffering(src, dest, req, diff.differing);
  return diff;
}

/** Of documents whose scanned hashes differ, those that still differ with keys sorted (read again from both sides). */
async function reallyDiffering(
  src: Cluster,
  dest: Cluster,
  req: CompareRequest,
  candidates: DocRef[],
): Promise<DocRef[]> {
  const ids = candidates.map((d) => d.id);
  const [atSource, atDest] = await Promise.all([
    lookupDocs(src, req.sourceIndex, ids, { versions: false, content: true }),
    lookupDocs(dest, req.destIndex, ids, { versions: false, content: true }),
  ]);
  return candidates.filter((d) => {
    const s = atSource.get(d.id);
    const t = atDest.get(d.id);
    // Gone from one side since the scan: the next comparison sees it as missing or extra.
    return s !== undefined && t !== undefined && s.hash !== t.hash;
  });
}

export const firstIds = (refs: DocRef[]) => refs.slice(0, FIRST_IDS).map((r) => r.id);
