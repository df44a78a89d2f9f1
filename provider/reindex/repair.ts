// Verification after a copy, at the level the inputs ask: counts, id sets, or id sets and content. What the
// destination lacks or holds in another form is copied again (by id); what it holds beyond the source follows the
// deletes policy. The source is only read. With external versioning a document repaired over a newer destination
// version needs that version gone first: the index's `gc_deletes` is set to 0 for the repair (docs/reindex.md).
import type { Cluster } from "../connection/types";
import { countIndex, refreshIndex } from "../finish/ops";
import {
  compareIndices,
  differs,
  firstIds,
  lookupDocs,
  readWriteMarks,
  scanChangedDocs,
  SCAN_DEFAULTS,
  SourceFirstComparison,
  writesSince,
  type DocRef,
  type DocSetDiff,
  type Verification,
  type WriteMarks,
} from "../verify";
import { changeSettingsForAWhile, restoreChangedSettings } from "./changed-settings";
import { scopeQuery, type Query } from "./queries";
import type { PartitionState, ReindexInputs, Versioning } from "./types";

/** Stops a verification: the run fails with `found` kept, and the next `pulumi up` verifies again. */
export class VerifyStop extends Error {
  constructor(
    message: string,
    readonly found?: Verification,
  ) {
    super(message);
    this.name = "VerifyStop";
  }
}

export interface VerifyContext {
  inputs: ReindexInputs;
  src: Cluster;
  dest: Cluster;
  versioning: Versioning;
  log: { info(m: string): void; warn(m: string): void };
  what: string;
  /** Copies the documents `query` matches (a partition of its own); throws VerifyStop when that fails. */
  copyIds(label: string, query: Query): Promise<PartitionState>;
  /** What the last verified run left, when this run may check only what changed since (see verifyChanges). */
  since?: SinceLastRun;
  /** The full comparison, its source side read while the copy ran (../verify SourceFirstComparison). */
  early?: SourceFirstComparison;
}

/**
 * Starts the full comparison's source side when the copy starts, so that it reads while the copy writes the
 * destination: for ids and content, when no check of the changes since the last run comes first.
 */
export function startEarlyComparison(
  inputs: ReindexInputs,
  src: Cluster,
  since: SinceLastRun | undefined,
): SourceFirstComparison | undefined {
  if (inputs.verify === "count" || since !== undefined) return undefined;
  return new SourceFirstComparison(src, {
    sourceIndex: inputs.source.index,
    destIndex: inputs.destIndex,
    query: scopeQuery(inputs),
    level: inputs.verify,
    keepAlive: inputs.scroll,
  });
}

/** The last complete, verified run as the next one can build on it. */
export interface SinceLastRun {
  /** The source's write marks when that run started: everything written later has a higher sequence number. */
  sourceMarks: WriteMarks;
  /** The source's write marks when this run started. */
  sourceMarksNow: WriteMarks;
  /** The destination's write marks after that run, and when this run started: equal means nobody else wrote. */
  destMarks: WriteMarks;
  destMarksNow: WriteMarks;
  /** Extra documents that run left at the destination (deleted at the source, kept by the deletes policy). */
  extraKept: number;
}

/** Above this many documents to repair, the whole scope is copied again instead of id by id. */
export const REPAIR_BY_ID_LIMIT = 50_000;
const IDS_PER_TASK = 5_000;
/** Copies of a repair that the destination still refuses (a version it has not forgotten yet) are tried again. */
const REPAIR_ATTEMPTS = 3;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/**
 * Whether the deletes guard lets a run delete `extra` of the destination's `destCount` documents in scope, and the
 * refusal otherwise. Pure.
 */
export function deleteGuard(extra: number, destCount: number, maxDeletePercent: number): string | undefined {
  if (extra === 0) return undefined;
  const percent = destCount === 0 ? 100 : (100 * extra) / destCount;
  if (percent <= maxDeletePercent) return undefined;
  return `${plural(extra, "destination document")} (${percent.toFixed(2)}% of ${destCount.toLocaleString("en-US")}) no longer exist at the source, more than maxDeletePercent (${maxDeletePercent}%) allows one run to delete; nothing was deleted. If the source really lost them, raise maxDeletePercent; else look at the source first`;
}

/** The `verification` output of what a comparison found, before repairs. Pure. */
export function foundVerification(level: Verification["level"], diff: DocSetDiff, checkedAt: Date): Verification {
  return {
    level,
    sourceCount: diff.sourceCount,
    destCount: diff.destCount,
    missing: diff.missing.length,
    extra: diff.extra.length,
    differing: diff.differing.length,
    repaired: 0,
    extraKept: diff.extra.length,
    firstIds: { missing: firstIds(diff.missing), extra: firstIds(diff.extra), differing: firstIds(diff.differing) },
    checkedAt: checkedAt.toISOString(),
  };
}

/** Verifies the copy at `inputs.verify`'s level, repairing what it can; throws VerifyStop when it cannot. */
export async function verifyCopy(ctx: VerifyContext): Promise<Verification> {
  const { inputs, src, dest, what, log } = ctx;
  const scope = scopeQuery(inputs);
  // A verification of a large index reads both sides for minutes: the line says what the up is doing meanwhile.
  log.info(`${what}: verifying (${inputs.verify})`);
  await refreshIndex(dest, inputs.destIndex);
  if (inputs.verify === "count") return verifyCounts(ctx, scope);

  const level = inputs.verify;
  if (ctx.since !== undefined) {
    const changes = await verifyChanges(ctx, scope, level, ctx.since);
    if (changes !== undefined) return changes;
  }
  let diff = ctx.early
    ? await ctx.early.finish(dest)
    : await compareIndices(src, dest, {
        sourceIndex: inputs.source.index,
        destIndex: inputs.destIndex,
        query: scope,
        level,
        keepAlive: inputs.scroll,
      });
  diff.extra = await reallyExtra(ctx, diff.extra, scope);
  const found = foundVerification(level, diff, new Date());
  if (inputs.deletes === "reconcile") {
    const refusal = deleteGuard(diff.extra.length, diff.destCount, inputs.maxDeletePercent);
    if (refusal !== undefined) throw new VerifyStop(`${what}: ${refusal}`, found);
  }

  let repaired = 0;
  const toCopy = [...diff.missing, ...diff.differing];
  if (toCopy.length > REPAIR_BY_ID_LIMIT) {
    log.info(
      `${what}: ${plural(toCopy.length, "document")} missing or differing at the destination: copying the whole scope again`,
    );
    const versions = new VersionForgetting(dest, inputs.destIndex);
    try {
      if (ctx.versioning === "external") await versions.forget(diff.differing);
      await ctx.copyIds("verification: the whole scope again", scope);
    } finally {
      await versions.restore();
    }
    await refreshIndex(dest, inputs.destIndex);
    diff = await compareIndices(src, dest, {
      sourceIndex: inputs.source.index,
      destIndex: inputs.destIndex,
      query: scope,
      level,
      keepAlive: inputs.scroll,
    });
    if (diff.missing.length + diff.differing.length > 0) {
      throw new VerifyStop(
        `${what}: ${plural(diff.missing.length, "document")} still missing and ${plural(diff.differing.length, "document")} still differing after copying the scope again (first: ${[...firstIds(diff.missing), ...firstIds(diff.differing)].join(", ")})`,
        found,
      );
    }
    repaired += toCopy.length;
  } else if (toCopy.length > 0) {
    log.info(
      `${what}: verification (${level}) found ${plural(diff.missing.length, "document")} missing and ${plural(diff.differing.length, "document")} differing at the destination; copying them again`,
    );
    repaired += await repairByIds(ctx, diff, level);
  }

  let extraKept = diff.extra.length;
  if (diff.extra.length > 0) {
    const ids = firstIds(diff.extra).join(", ");
    if (inputs.deletes === "reconcile") {
      log.info(
        `${what}: deleting ${plural(diff.extra.length, "destination document")} that no longer exist at the source (deletes: "reconcile"; first: ${ids})`,
      );
      await deleteDocs(dest, inputs.destIndex, diff.extra);
      repaired += diff.extra.length;
      extraKept = 0;
    } else if (inputs.deletes === "report") {
      log.warn(
        `${what}: the destination holds ${plural(diff.extra.length, "document")} that no longer exist at the source (first: ${ids}); deletes: "reconcile" removes them`,
      );
    }
  }
  const sourceCount = diff.sourceCount;
  const destCount = diff.destCount + diff.missing.length - (extraKept === 0 ? diff.extra.length : 0);
  log.info(
    `${what}: verified (${level}): ${sourceCount.toLocaleString("en-US")} document(s) at the source, ${destCount.toLocaleString("en-US")} at the destination${repaired > 0 ? `, ${plural(repaired, "document")} repaired` : ""}${extraKept > 0 ? `, ${plural(extraKept, "extra document")} kept` : ""}`,
  );
  return { ...found, sourceCount, destCount, repaired, extraKept, method: "full" };
}

/** Above this many changed documents, a full comparison is as cheap as checking them one by one. */
const CHANGES_LIMIT = 100_000;

/**
 * Verification of what changed since the last verified run, without reading either side in full. That run left the
 * destination holding every source document (plus `extraKept`). Since then: the source's changed documents are
 * exactly those whose sequence number passed its marks (read per shard and checked one by one at the destination,
 * repaired where missing or older); nobody else wrote to the destination (its marks did not move between the runs);
 * so the destination holds every source document, and the counts tell how many the source deleted. Returns undefined
 * when a condition does not hold (marks that do not compare, an index recreated, writes by someone else, too many
 * changes, deletes to reconcile by id): the caller compares in full.
 */
async function verifyChanges(
  ctx: VerifyContext,
  scope: Query,
  level: "ids" | "content",
  since: SinceLastRun,
): Promise<Verification | undefined> {
  const { inputs, src, dest, what, log } = ctx;
  if (writesSince(since.destMarks, since.destMarksNow) !== 0) return undefined;
  if (writesSince(since.sourceMarks, since.sourceMarksNow) === undefined) return undefined;
  // Changed documents are few: compared by version (external) or content, whatever the level, so an update that no
  // window held is found too.
  const by = ctx.versioning === "external" ? "versions" : "content";
  const opts = {
    versions: by === "versions",
    content: by === "content",
    size: SCAN_DEFAULTS.contentPageSize,
    keepAlive: inputs.scroll ?? SCAN_DEFAULTS.keepAlive,
  };
  // Everything written to the source since the last run started, up to now (later writes belong to the next run).
  const changed: DocRef[] = [];
  const read = await scanChangedDocs(src, since.sourceMarks, await currentMarks(ctx), scope, opts, (docs) => {
    if (changed.length <= CHANGES_LIMIT) changed.push(...docs);
  });
  if (read > CHANGES_LIMIT) return undefined;
  await refreshIndex(dest, inputs.destIndex);
  const atDest = await lookupDocs(
    dest,
    inputs.destIndex,
    changed.map((d) => d.id),
    { versions: by === "versions", content: by === "content" },
  );
  const diff: DocSetDiff = { sourceCount: 0, destCount: 0, missing: [], extra: [], differing: [] };
  for (const doc of changed) {
    const there = atDest.get(doc.id);
    if (there === undefined) diff.missing.push(doc);
    else if (differs(by, doc, there)) diff.differing.push(doc);
  }
  let repaired = 0;
  if (diff.missing.length + diff.differing.length > 0) {
    log.info(
      `${what}: verification (${level}, changes since the last run) found ${plural(diff.missing.length, "document")} missing and ${plural(diff.differing.length, "document")} differing at the destination; copying them again`,
    );
    repaired = await repairByIds(ctx, diff, level);
  }
  const [sourceCount, destCount] = await Promise.all([
    countIndex(src, inputs.source.index, scope),
    countIndex(dest, inputs.destIndex, scope),
  ]);
  const extra = destCount - sourceCount;
  // Fewer than before: the accounting does not hold (a count taken while the source is written, say). More: new
  // deletes at the source, which "reconcile" must name by id. Both: a full comparison.
  if (extra < since.extraKept || (extra > since.extraKept && inputs.deletes === "reconcile")) return undefined;
  if (extra > since.extraKept && inputs.deletes === "report") {
    log.warn(
      `${what}: the destination holds ${plural(extra, "document")} that no longer exist at the source (${extra - since.extraKept} new since the last run); deletes: "reconcile" removes them`,
    );
  }
  log.info(
    `${what}: verified (${level}, ${plural(read, "changed document")} checked): ${sourceCount.toLocaleString("en-US")} document(s) at the source, ${destCount.toLocaleString("en-US")} at the destination${repaired > 0 ? `, ${plural(repaired, "document")} repaired` : ""}`,
  );
  return {
    level,
    sourceCount,
    destCount,
    missing: diff.missing.length,
    extra,
    differing: diff.differing.length,
    repaired,
    extraKept: extra,
    firstIds: { missing: firstIds(diff.missing), extra: [], differing: firstIds(diff.differing) },
    checkedAt: new Date().toISOString(),
    method: "changes",
  };
}

/** The source's marks now: the upper end of what this verification checks (later writes are the next run's). */
function currentMarks(ctx: VerifyContext): Promise<WriteMarks> {
  return readWriteMarks(ctx.src, ctx.inputs.source.index);
}

/**
 * Of destination documents the source's scan did not show, those the source really no longer has (asked by id):
 * nothing is reported or deleted because a source write raced the scan.
 */
async function reallyExtra(ctx: VerifyContext, extra: DocRef[], scope: Query): Promise<DocRef[]> {
  if (extra.length === 0) return extra;
  const atSource = await lookupDocs(
    ctx.src,
    ctx.inputs.source.index,
    extra.map((d) => d.id),
    { versions: false, content: false, within: scope },
  );
  return extra.filter((d) => !atSource.has(d.id));
}

async function verifyCounts(ctx: VerifyContext, scope: Query): Promise<Verification> {
  const { inputs, src, dest, what, log } = ctx;
  const [sourceCount, destCount] = await Promise.all([
    countIndex(src, inputs.source.index, scope),
    countIndex(dest, inputs.destIndex, scope),
  ]);
  const extra = Math.max(0, destCount - sourceCount);
  const found: Verification = {
    level: "count",
    sourceCount,
    destCount,
    missing: Math.max(0, sourceCount - destCount),
    extra,
    differing: 0,
    repaired: 0,
    extraKept: extra,
    firstIds: { missing: [], extra: [], differing: [] },
    checkedAt: new Date().toISOString(),
  };
  if (destCount < sourceCount) {
    throw new VerifyStop(
      `${what}: the destination has ${destCount} document(s) where the source has ${sourceCount} after the copy (documents written at the source during the copy, or lost bulk writes); verify: "ids" finds and copies the missing ones`,
      found,
    );
  }
  if (extra > 0)
    log.warn(
      `${what}: the destination holds ${extra} document(s) more than the source matches (${destCount} vs ${sourceCount}): documents deleted at the source (verify: "ids" names them; deletes: "reconcile" removes them)`,
    );
  log.info(`${what}: done, ${sourceCount} document(s) at the source and ${destCount} at the destination`);
  return found;
}

/**
 * Copies the missing and differing documents by id, then checks each against the source again. With external
 * versioning a destination version the copy cannot pass (a document changed by hand, or the tombstone of one
 * deleted by hand) is deleted and forgotten first, and the copy tried again.
 */
async function repairByIds(ctx: VerifyContext, diff: DocSetDiff, level: "ids" | "content"): Promise<number> {
  const { inputs, src, dest, what } = ctx;
  let pending = [...diff.missing, ...diff.differing];
  const total = pending.length;
  const versions = new VersionForgetting(dest, inputs.destIndex);
  try {
    if (ctx.versioning === "external") await versions.forget(diff.differing);
    for (let attempt = 1; ; attempt++) {
      for (let i = 0; i < pending.length; i += IDS_PER_TASK) {
        const chunk = pending.slice(i, i + IDS_PER_TASK).map((r) => r.id);
        await ctx.copyIds(`verification repair: ${plural(chunk.length, "document")} by id`, { ids: { values: chunk } });
      }
      await refreshIndex(dest, inputs.destIndex);
      pending = await stillDiffering(src, dest, inputs, pending, level);
      if (pending.length === 0) return total;
      if (attempt >= REPAIR_ATTEMPTS) {
        throw new VerifyStop(
          `${what}: ${plural(pending.length, "document")} still differ from the source after ${attempt} repair attempts (first: ${firstIds(pending).join(", ")})`,
        );
      }
      if (ctx.versioning === "external") await versions.forget(pending);
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  } finally {
    await versions.restore();
  }
}

/** Of `refs`, those whose destination copy is still missing or (content) differs from what the source holds now. */
async function stillDiffering(
  src: Cluster,
  dest: Cluster,
  inputs: ReindexInputs,
  refs: DocRef[],
  level: "ids" | "content",
): Promise<DocRef[]> {
  const ids = refs.map((r) => r.id);
  const content = level === "content";
  const [atSource, atDest] = await Promise.all([
    lookupDocs(src, inputs.source.index, ids, { versions: false, content }),
    lookupDocs(dest, inputs.destIndex, ids, { versions: false, content }),
  ]);
  // A document gone from the source since the comparison is no longer the copy's to repair.
  return refs.filter((r) => {
    const s = atSource.get(r.id);
    const d = atDest.get(r.id);
    return s !== undefined && (d === undefined || (content && s.hash !== d.hash));
  });
}

/**
 * Makes the destination forget documents' versions, so that an external-versioned copy writes the source's version
 * even when it is lower: the index's `gc_deletes` goes to 0 for the time of the repair (then back to what it was),
 * the documents are deleted, and a flush and a refresh let the engine drop their tombstones (tried on OpenSearch
 * 2.19 and Elasticsearch 7.10, which needs the flush; see docs/reindex.md). The value to put back is recorded in the
 * index's `_meta` first (./changed-settings): a process killed during the repair leaves it for the next run.
 */
class VersionForgetting {
  private changed = false;

  constructor(
    private readonly dest: Cluster,
    private readonly index: string,
  ) {}

  async forget(refs: DocRef[]): Promise<void> {
    if (refs.length === 0) return;
    if (!this.changed) {
      this.changed = true;
      await changeSettingsForAWhile(this.dest, this.index, { "index.gc_deletes": "0s" });
    }
    await deleteDocs(this.dest, this.index, refs);
    await this.dest.request({
      method: "POST",
      path: `/${encodeURIComponent(this.index)}/_flush`,
      querystring: { force: true },
      idempotent: true,
    });
    await refreshIndex(this.dest, this.index);
  }

  async restore(): Promise<void> {
    if (!this.changed) return;
    await restoreChangedSettings(this.dest, this.index);
    this.changed = false;
  }
}

/** Deletes documents from the destination by id (with their routing; a 6.x index with their type). */
export async function deleteDocs(dest: Cluster, index: string, refs: DocRef[]): Promise<void> {
  const info = await dest.info();
  const typed = info.flavor === "elasticsearch" && info.major < 7;
  for (let i = 0; i < refs.length; i += IDS_PER_TASK) {
    const lines = refs.slice(i, i + IDS_PER_TASK).map((r) => {
      const meta: Record<string, string> = { _id: r.id };
      if (r.routing !== undefined) meta.routing = r.routing;
      if (typed) meta._type = r.type ?? "_doc";
      return `${JSON.stringify({ delete: meta })}\n`;
    });
    // Each item is `{ delete: { status, error? } }`.
    type BulkItem = Record<string, { status?: number; error?: unknown } | undefined>;
    const res = await dest.request<{ items?: BulkItem[] } | undefined>({
      method: "POST",
      path: `/${encodeURIComponent(index)}/_bulk`,
      body: lines.join(""),
      querystring: { filter_path: "errors,items.*.status,items.*.error" },
      idempotent: true,
    });
    const failed = (res?.items ?? []).filter((it) => {
      const item = Object.values(it)[0];
      return item?.error !== undefined && item?.status !== 404;
    });
    if (failed.length > 0)
      throw new VerifyStop(
        `deleting from ${index}: the destination refused ${failed.length} delete(s): ${JSON.stringify(Object.values(failed[0])[0]?.error).slice(0, 300)}`,
      );
  }
}
