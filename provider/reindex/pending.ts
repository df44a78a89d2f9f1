// What a preview tells about a complete Reindex: the documents waiting in the incremental window (exactly: those
// the destination lacks or holds in an older version or other content), destination documents the source no
// longer has, documents outside any window, and writes to the destination by someone else since the last run.
// Each reason it returns is one line of the preview; any reason means `pulumi up` has work to do.
import type { Cluster } from "../connection/types";
import { countIndex, refreshIndex } from "../finish/ops";
import {
  differs,
  lookupDocs,
  readOnePage,
  scanDocs,
  tryReadWriteMarks,
  writesSince,
  type CompareBy,
  type DocRef,
} from "../verify";
import { andQuery, scopeQuery } from "./queries";
import type { ReindexInputs, ReindexOutputs } from "./types";
import { lookbackUnits, windowQuery, windowStart } from "./window";

export interface PendingWork {
  /** Incremental: documents in the window the destination lacks or holds in an older version (other content). */
  waiting?: number;
  /** Of those, documents the destination lacks. */
  lacking?: number;
  /** Destination documents the source no longer has, beyond those the last run left (deletes "report"/"reconcile"). */
  deleted?: number;
  /** Incremental: source documents the destination lacks that no window holds (no field, or older than the look-back). */
  outside?: number;
  /** Writes to the destination since the last run's marks; undefined when not compared. */
  destWrites?: number;
  /** Why `pulumi up` has work to do, one line each; empty when it has none. */
  reasons: string[];
  /** Lines for people that plan no work (deletes reported only). */
  notes: string[];
}

const n = (x: number) => x.toLocaleString("en-US");

/** The window's documents at the source compared with the destination (ids look-ups once `destReady`: refreshed). */
async function windowWaiting(
  inputs: ReindexInputs,
  olds: Partial<ReindexOutputs>,
  src: Cluster,
  dest: Cluster,
  destReady: Promise<void>,
): Promise<{ waiting: number; lacking: number }> {
  if (inputs.mode.type !== "incremental") return { waiting: 0, lacking: 0 };
  const start = windowStart(olds.cursorTo, lookbackUnits(inputs.mode.lookback ?? 0));
  const query = windowQuery(inputs.mode.field, inputs.source.query, start);
  const by: CompareBy = olds.versioning === "external" ? "versions" : "content";
  // The source's window is compared with the destination's look-ups, which hash with keys sorted: so does the window.
  const opts = { versions: by === "versions", content: by === "content", canonical: true };
  let waiting = 0;
  let lacking = 0;
  // A window that fits one page (the usual one between runs) is read without a scroll.
  const pages: DocRef[][] = [];
  const small = await readOnePage(src, inputs.source.index, query, { ...opts, size: 1000 });
  if (small !== undefined) pages.push(small);
  else
    await scanDocs(src, inputs.source.index, query, { ...opts, slices: 1, size: 1000, keepAlive: "1m" }, (docs) =>
      pages.push(docs),
    );
  await destReady;
  for (const page of pages) {
    const atDest = await lookupDocs(
      dest,
      inputs.destIndex,
      page.map((d) => d.id),
      opts,
    );
    for (const doc of page) {
      const there = atDest.get(doc.id);
      if (there === undefined) lacking++;
      if (there === undefined || differs(by, doc, there)) waiting++;
    }
  }
  return { waiting, lacking };
}

/**
 * The work waiting for a complete Reindex whose inputs did not change. Reads the source (the window, counts) and
 * the destination (ids look-ups, counts, write marks); writes nothing.
 */
export async function pendingWork(
  inputs: ReindexInputs,
  olds: Partial<ReindexOutputs>,
  src: Cluster,
  dest: Cluster,
): Promise<PendingWork> {
  const out: PendingWork = { reasons: [], notes: [] };
  // The reads are independent but for the destination's, which wait for its refresh (write marks do not): asked at
  // once, a diff costs its longest chain (the source's window, then the ids look-up) instead of the sum of its
  // reads; the engine diffs one resource after another, so this is what an up over many indices waits for each.
  const compareMarks = olds.destMarks !== undefined && inputs.verify !== "count";
  const countsNeeded = inputs.deletes !== "ignore" || inputs.mode.type === "incremental";
  const refreshed = refreshIndex(dest, inputs.destIndex);
  const scope = scopeQuery(inputs);
  const [window, destMarks, counts] = await Promise.all([
    windowWaiting(inputs, olds, src, dest, refreshed),
    compareMarks ? tryReadWriteMarks(dest, inputs.destIndex) : undefined,
    countsNeeded
      ? Promise.all([
          countIndex(src, inputs.source.index, andQuery(scope)),
          refreshed.then(() => countIndex(dest, inputs.destIndex, andQuery(scope))),
        ])
      : undefined,
    refreshed,
  ]);
  if (inputs.mode.type === "incremental") {
    const { waiting, lacking } = window;
    Object.assign(out, { waiting, lacking });
    const since =
      olds.watermark !== undefined
        ? ` in the window from ${olds.watermark} minus ${inputs.mode.lookback}`
        : " (no watermark yet: every document)";
    if (waiting > 0)
      out.reasons.push(
        `${n(waiting)} document(s) waiting at the source${since}: ${n(lacking)} new, ${n(waiting - lacking)} changed`,
      );
  }

  if (olds.destMarks !== undefined && destMarks !== undefined) {
    const writes = writesSince(olds.destMarks, destMarks);
    out.destWrites = writes;
    if (writes === undefined || writes > 0) {
      out.reasons.push(
        `the destination index changed since the last run (${writes === undefined ? "its shards differ" : `${n(writes)} write(s) not made by this copy`}): up verifies (${inputs.verify}) and repairs`,
      );
    }
  }

  // Counts give deletes and documents outside any window without reading either side in full: after the last run
  // the destination held the source's documents plus `kept` extras; since then the source gained `lacking` new ones
  // in the window. What the counts say beyond that is deleted at the source, or new outside the window.
  if (counts !== undefined) {
    const [s, d] = counts;
    const kept = olds.verification?.extraKept ?? olds.extraInDestination ?? 0;
    const extras = d - (s - (out.lacking ?? 0));
    if (extras > kept && inputs.deletes !== "ignore") {
      out.deleted = extras - kept;
      const line = `${n(out.deleted)} destination document(s) no longer exist at the source`;
      if (inputs.deletes === "reconcile")
        out.reasons.push(`${line}: up deletes them (deletes: "reconcile", at most ${inputs.maxDeletePercent}%)`);
      else out.notes.push(`${line} (deletes: "report" leaves them; "reconcile" deletes them)`);
    } else if (extras < kept && inputs.mode.type === "incremental") {
      out.outside = kept - extras;
      out.reasons.push(
        `${n(out.outside)} source document(s) outside any window wait (written without ${inputs.mode.field}, or older than the look-back): up copies them`,
      );
    }
  }
  return out;
}
