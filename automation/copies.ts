// The copies cutover() finds in the stack's state (`stack.exportStack()`): a Reindex, a MigratedIndex's copy part or a
// MigratedIndexGroup's member, with the state its final copy runs from; and the verification the copy already made.
// When the final copy verified an index at the requested level (or a stricter one) and neither side has been
// written to since (write marks equal: the source is frozen, and nobody touched the destination), reading both
// sides again would only repeat it; the cutover uses it and saves a full scan inside the freeze.
import type { Cluster } from "../provider/connection/types";
import type { RunIdentity } from "../provider/reindex/final-result";
import type { ReindexOutputs } from "../provider/reindex/types";
import { readWriteMarks, writesSince, type Verification, type VerifyLevel, type WriteMarks } from "../provider/verify";
import { loadMember, memberOutputs } from "../provider/migrated-index/group-members";
import { canRunFinalCopy } from "../provider/migrated-index/final-copy";
import { copyOlds } from "../provider/migrated-index/parts";
import type { MigratedIndexConnections, MigratedIndexOutputs } from "../provider/migrated-index/types";
import type { CutoverIndex } from "./types";

/** The parts of a copy's outputs this needs (ReindexOutputs, or a MigratedIndex's copyState). */
export interface CopyOutputs extends RunIdentity {
  status?: string;
  /** Documents the last run created and updated at the destination (what waited when it started). */
  created?: number;
  updated?: number;
  verification?: Verification;
  sourceMarks?: WriteMarks;
  destMarks?: WriteMarks;
}

const RANK: Record<VerifyLevel, number> = { count: 0, ids: 1, content: 2 };

/**
 * An exported deployment (`stack.exportStack()`), as far as the cutover reads it. Outputs are `any` on purpose: they
 * are any resource type's, read by shape after the type is matched, from a state the user's stack wrote.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Deployment = { resources?: { type: string; outputs?: any }[] };

/** One copy into an index found in the state: its outputs, and what holds them (its state revealed on demand). */
interface FoundCopy {
  outputs: CopyOutputs;
  /** The state the final copy runs from (secrets revealed); see FinalCopy. */
  final: () => FinalCopy | undefined;
}

/**
 * What cutover()'s final copy runs from, for one index: the copy's state as the Reindex functions take it, and for a
 * MigratedIndex or a group's member the whole migration's state (its finish follows the copy).
 */
export interface FinalCopy {
  copy: ReindexOutputs;
  migration?: MigratedIndexOutputs;
}

function fromMigration(o: Partial<MigratedIndexOutputs>): FinalCopy | undefined {
  return canRunFinalCopy(o) ? { copy: copyOlds(o), migration: o } : undefined;
}

/** Every copy into `entry.destIndex` the deployment holds: Reindex, MigratedIndex, or a MigratedIndexGroup's member. */
function copiesInto(deployment: Deployment, entry: CutoverIndex): FoundCopy[] {
  const found: FoundCopy[] = [];
  for (const r of deployment.resources ?? []) {
    const o = r.outputs;
    if (o === undefined || o.destIndex !== entry.destIndex) continue;
    if (
      r.type.endsWith("/es-migrate:Reindex") &&
      (typeof o.source?.index !== "string" || o.source.index === entry.sourceIndex)
    )
      found.push({ outputs: o, final: () => ({ copy: revealSecrets(o) as ReindexOutputs }) });
    if (
      r.type.endsWith("/es-migrate:MigratedIndex") &&
      o.sourceIndex === entry.sourceIndex &&
      o.copyState !== undefined
    )
      found.push({ outputs: o.copyState, final: () => fromMigration(revealSecrets(o) as MigratedIndexOutputs) });
  }
  // A ClusterMigration with `groups`: the index is a member of one MigratedIndexGroup.
  for (const r of deployment.resources ?? []) {
    const stored = r.type.endsWith("/es-migrate:MigratedIndexGroup")
      ? r.outputs?.members?.[entry.sourceIndex]
      : undefined;
    const m = stored === undefined ? undefined : loadMember(stored);
    if (m?.destIndex === entry.destIndex && m.copyState !== undefined)
      found.push({
        outputs: m.copyState,
        final: () => fromMigration(memberOutputs(revealSecrets(r.outputs.connections) as MigratedIndexConnections, m)),
      });
  }
  return found;
}

/**
 * The outputs of the copy into `entry.destIndex` in an exported deployment (`stack.exportStack()`): exactly one
 * copy must write into that index name, else undefined. (A Reindex's `source` and `cluster` are secret in the
 * state, so the destination index is what identifies it; a readable source index must match too.)
 */
export function copyOutputsOf(deployment: Deployment, entry: CutoverIndex): CopyOutputs | undefined {
  const found = copiesInto(deployment, entry);
  return found.length === 1 ? found[0].outputs : undefined;
}

/**
 * The state the final copy into `entry.destIndex` runs from (secrets revealed: it runs with the copy's connections):
 * the one Reindex, MigratedIndex or group member writing into it, with its copy made at least once. Undefined when
 * there is none, several, or the copy never ran (the final copy is then a pulumi up).
 */
export function finalCopyOf(deployment: Deployment, entry: CutoverIndex): FinalCopy | undefined {
  const found = copiesInto(deployment, entry);
  return found.length === 1 ? found[0].final() : undefined;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A value of an exported deployment with its secrets as values (`stack.exportStack()` shows them in `plaintext`). */
export function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (o[SECRET_SIG] !== undefined) {
    if (typeof o.plaintext !== "string")
      throw new Error("the stack's export holds a secret without its plaintext (export it with secrets shown)");
    return revealSecrets(JSON.parse(o.plaintext));
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, revealSecrets(v)]));
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
