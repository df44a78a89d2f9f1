// Verification of a copy: both sides read in full (ids, or content hashes), compared by `_id`. What differs is
// returned for the caller to repair; summaries keep the first ids of each kind for people.
import type { Cluster } from "../connection/types";
import { DocSetComparison, type DocRef, type DocSetDiff } from "./compare";
import { SCAN_DEFAULTS, lookupDocs, scanDocs, type ScanOptions } from "./scan";

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
  return new SourceFirstComparison(src, req).finish(dest);
}

/**
 * Source documents a comparison started early keeps before it waits for the destination's side: a bound on its
 * memory (a reference is an id and, for content, a hash: about 150 bytes), so 500,000 hold some 75 MB.
 */
export const SOURCE_AHEAD = 500_000;

/**
 * A comparison whose source side is read first, e.g. while the copy still writes the destination: the source is
 * read from the start, the destination once `finish` is called, and both compared by `_id`. The source read holds
 * back after SOURCE_AHEAD unmatched documents until then. What the source changes after its read started is found
 * as with any comparison that races writes: the caller asks the source again about extra documents, differing
 * ones are read again from both sides, and missing ones are copied (so a read started before the copy's own
 * snapshot costs repairs, never a document). A source read that failed early (say its scroll expired while held
 * back) is done again in `finish`.
 */
export class SourceFirstComparison {
  private readonly comparison: DocSetComparison;
  private readonly stop = new AbortController();
  private readonly destStarted: Promise<void>;
  private release: () => void = () => undefined;
  private readonly sourceRead: Promise<number>;
  private readonly opts: ScanOptions;

  constructor(
    private readonly src: Cluster,
    private readonly req: CompareRequest,
    private readonly ahead = SOURCE_AHEAD,
  ) {
    const content = req.level === "content";
    this.comparison = new DocSetComparison(content ? "content" : "ids");
    this.opts = {
      versions: false,
      content,
      slices: req.slices ?? SCAN_DEFAULTS.slices,
      size: content ? SCAN_DEFAULTS.contentPageSize : SCAN_DEFAULTS.idsPageSize,
      keepAlive: req.keepAlive ?? SCAN_DEFAULTS.keepAlive,
      signal: req.signal === undefined ? this.stop.signal : AbortSignal.any([req.signal, this.stop.signal]),
    };
    this.destStarted = new Promise((r) => (this.release = r));
    this.sourceRead = scanDocs(src, req.sourceIndex, req.query, this.opts, async (docs) => {
      this.comparison.addSource(docs);
      if (this.comparison.unmatchedSourceCount > this.ahead) await this.destStarted;
    });
    // Awaited in finish or cancel; until then a failure must not count as unhandled.
    this.sourceRead.catch(() => undefined);
  }

  /** Reads the destination, waits for the source's side, and returns what differs. */
  async finish(dest: Cluster, again = true): Promise<DocSetDiff> {
    this.release();
    const destStop = new AbortController();
    const destRead = scanDocs(
      dest,
      this.req.destIndex,
      this.req.query,
      { ...this.opts, signal: AbortSignal.any([this.opts.signal!, destStop.signal]) },
      (docs) => this.comparison.addDest(docs),
    );
    destRead.catch(() => undefined);
    const sourceFailure = await this.sourceRead.then(
      () => undefined,
      (e: unknown) => e ?? new Error("the source read failed"),
    );
    if (sourceFailure !== undefined) {
      destStop.abort(sourceFailure);
      await destRead.catch(() => undefined);
      if (!again || this.stop.signal.aborted || this.req.signal?.aborted) throw sourceFailure;
      return new SourceFirstComparison(this.src, this.req, this.ahead).finish(dest, false);
    }
    await destRead;
    const diff = this.comparison.result();
    if (diff.differing.length > 0) diff.differing = await reallyDiffering(this.src, dest, this.req, diff.differing);
    return diff;
  }

  /** Stops the source read (clearing its scroll) when no comparison follows. */
  async cancel(): Promise<void> {
    this.stop.abort(new Error("the comparison was not needed"));
    this.release();
    await this.sourceRead.catch(() => undefined);
  }
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
