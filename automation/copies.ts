// The verification the stack's own copy already made: the Reindex (or MigratedIndex, or group member) outputs in the
// stack's state.
// When the final `up` verified an index at the requested level (or a stricter one) and neither side has been
// written to since (write marks equal: the source is frozen, and nobody touched the destination), reading both
// sides again would only repeat it; the cutover uses it and saves a full scan inside the freeze.
import type { Cluster } from "../provider/connection/types";
import { readWriteMarks, writesSince, type Verification, type VerifyLevel, type WriteMarks } from "../provider/verify";
import { loadMember } from "../provider/migrated-index/group-members";
import type { CutoverIndex } from "./types";

/** The parts of a copy's outputs this needs (ReindexOutputs, or a MigratedIndex's copyState). */
export interface CopyOutputs {
  status?: string;
  verification?: Verification;
  sourceMarks?: WriteMarks;
  destMarks?: WriteMarks;
}

const RANK: Record<VerifyLevel, number> = { count: 0, ids: 1, content: 2 };

/**
 * The outputs of the copy into `entry.destIndex` in an exported deployment (`stack.exportStack()`): exactly one
 * copy must write into that index name, else undefined. (A Reindex's `source` and `cluster` are secret in the
 * state, so the destination index is what identifies it; a readable source index must match too.)
 */
export function copyOutputsOf(
  deployment: { resources?: { type: string; outputs?: any }[] },
  entry: CutoverIndex,
): CopyOutputs | undefined {
  const found: CopyOutputs[] = [];
  for (const r of deployment.resources ?? []) {
    const o = r.outputs;
    if (o === undefined || o.destIndex !== entry.destIndex) continue;
    if (
      r.type.endsWith("/es-migrate:Reindex") &&
      (typeof o.source?.index !== "string" || o.source.index === entry.sourceIndex)
    )
      found.push(o);
    if (
      r.type.endsWith("/es-migrate:MigratedIndex") &&
      o.sourceIndex === entry.sourceIndex &&
      o.copyState !== undefined
    )
      found.push(o.copyState);
  }
  // A ClusterMigration with `groups`: the index is a member of one MigratedIndexGroup.
  for (const r of deployment.resources ?? []) {
    const stored = r.type.endsWith("/es-migrate:MigratedIndexGroup")
      ? r.outputs?.members?.[entry.sourceIndex]
      : undefined;
    const m = stored === undefined ? undefined : loadMember(stored);
    if (m?.destIndex === entry.destIndex && m.copyState !== undefined) found.push(m.copyState);
  }
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The copy's verification when it still holds: the copy completed and found nothing it did not repair, at `level`
 * or stricter, with the source's and the destination's write marks unchanged since. Undefined otherwise.
 */
export async function standingVerification(
  src: Cluster,
  dest: Cluster,
  entry: CutoverIndex,
  level: VerifyLevel,
  copy: CopyOutputs | undefined,
): Promise<Verification | undefined> {
  const v = copy?.verification;
  if (copy?.status !== "complete" || v === undefined || copy.sourceMarks === undefined || copy.destMarks === undefined)
    return undefined;
  if (RANK[v.level] < RANK[level] || entry.query !== undefined) return undefined;
  const [srcNow, destNow] = await Promise.all([
    readWriteMarks(src, entry.sourceIndex),
    readWriteMarks(dest, entry.destIndex),
  ]).catch(() => [undefined, undefined]);
  if (srcNow === undefined || destNow === undefined) return undefined;
  if (writesSince(copy.sourceMarks, srcNow) !== 0 || writesSince(copy.destMarks, destNow) !== 0) return undefined;
  return v;
}
