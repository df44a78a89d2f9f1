// The Reindex dynamic provider: check validates (and asks the clusters what they allow), diff decides whether a
// run is needed, create/update run the copy (./run), delete cancels what still runs and never touches data.
import type * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { connect } from "../connection/client";
import { connectBatching } from "../connection/batching";
import { containsUnknown } from "../connection/unknown";
import { liveCheckFailures } from "./live-checks";
import { guardCopy, recordCopyCutover, type CopyGuard } from "./live-guard";
import { liveLine, recordLine, unknownRecord, type CutoverRecord } from "../shared/live-destination";
import { FINAL_COPY_RECORD_LINE, finalCopyResults } from "./final-result";
import { pendingWork, type PendingWork } from "./pending";
import { sourceConnection } from "./request";
import { untouchedSinceLastRun } from "./untouched";
import { cancelTask, runningReindexTasks } from "./tasks";
import { defineProvider } from "../shared/define-provider";
import { gate } from "../shared/gate";
import { providerLog as pulumiLog } from "../shared/log";
import type { Problem } from "../shared/problems";
import { FAILED_DOCUMENTS_INDEX } from "./refused";
import { initError, plain } from "../shared/results";
import { stableJson as stable } from "../shared/stable-json";
import { ReindexRunError, runReindex, type RunLog, type RunOptions } from "./run";
import type { ReindexInputs, ReindexOutputs, ReindexResults } from "./types";
import { DEFAULT_MAX_DELETE_PERCENT, REINDEX_FIELDS } from "./schema";
import { validateInputs } from "./validate";
import { DEFAULT_LOOKBACK } from "./window";
import { copyRunOf, recordRun, runsInState, type CopyRun } from "../migrated-index/estimate";
import { announceEstimate } from "../migrated-index/estimate-lines";
import { sourceIndexSizes } from "../migrated-index/facts";

type Outs = ReindexOutputs & { __provider?: string };

/** The inputs whose change means the data must be copied again from scratch (a replacement). */
export function dataIdentity(i: Partial<ReindexInputs>): Record<string, unknown> {
  return {
    destIndex: i.destIndex,
    destIndexUuid: i.destIndexUuid,
    source: { index: i.source?.index, query: i.source?.query, host: i.source?.remote?.host },
    // The look-back only widens later windows: changing it needs no full copy.
    mode: i.mode?.type === "incremental" ? { type: i.mode.type, field: i.mode.field } : i.mode,
  };
}

/** The top-level inputs whose change replaces the resource (full re-run), e.g. ["destIndexUuid"]. Pure. */
export function replacingProperties(olds: Partial<ReindexInputs>, news: Partial<ReindexInputs>): string[] {
  const a = dataIdentity(olds);
  const b = dataIdentity(news);
  const changed = Object.keys(a).filter((k) => stable(a[k]) !== stable(b[k]) || containsUnknown(b[k]));
  // A source's host, index or query live under the one input "source".
  return changed;
}

/** The inputs compared for an update; `phase` is not among them: diff decides on it first (a cut-over copy plans nothing). */
const INPUT_KEYS = REINDEX_FIELDS.filter((k) => k !== "phase");

/**
 * The inputs as comparable values: state written by earlier releases (verify true/false, no deletes policy, no
 * look-back) reads as the defaults this release would give it, so an upgrade alone plans no update.
 */
function inputsOf(o: Partial<Outs>): Partial<ReindexInputs> {
  const out: Record<string, unknown> = Object.fromEntries(
    INPUT_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]),
  );
  const verify = o.verify as unknown;
  out.verify = verify === undefined || verify === true ? "ids" : verify === false ? "count" : verify;
  out.deletes ??= "report";
  out.maxDeletePercent ??= DEFAULT_MAX_DELETE_PERCENT;
  if (o.mode?.type === "incremental") out.mode = { ...o.mode, lookback: o.mode.lookback ?? DEFAULT_LOOKBACK };
  return out as Partial<ReindexInputs>;
}

/**
 * Pending-work reads at once in this process (a group's members, or every diff under PULUMI_PARALLEL_DIFF; see
 * docs/migrations.md): their reads of one kind go as one request per cluster (../connection/read-batch), so the
 * cluster sees a few combined requests rather than this many diffs' searches.
 */
const pendingReads = gate(64);

/**
 * The work a preview or an update finds for a complete Reindex (see ./pending), or undefined when it cannot be told
 * (inputs not known yet, a cluster that does not answer: a warning says why).
 */
async function findPendingWork(news: ReindexInputs, olds: Outs, log: RunLog): Promise<PendingWork | undefined> {
  if (containsUnknown(news)) return undefined;
  return pendingReads.run(() => readPendingWork(news, olds, log));
}

async function readPendingWork(news: ReindexInputs, olds: Outs, log: RunLog): Promise<PendingWork | undefined> {
  // The process's shared clients, reads of many indices sent together: an up over hundreds of indices diffs them all
  // in one provider process (a group's members at once).
  const dest = connectBatching(news.cluster, "destination");
  const srcConn = sourceConnection(news);
  const src = srcConn === news.cluster ? dest : connectBatching(srcConn, "source");
  try {
    return await pendingWork(news, olds, src, dest);
  } catch (e) {
    log.warn(
      `reindex ${news.source.index} -> ${news.destIndex}: could not compare the source with the destination: ${e instanceof Error ? e.message : String(e)}`,
    );
    return undefined;
  } finally {
    await dest.close().catch(() => undefined);
    if (src !== dest) await src.close().catch(() => undefined);
  }
}

/** Whether both indices are as the last verified run left them (./untouched); false when it cannot be told. */
function untouched(news: ReindexInputs, olds: Outs): Promise<boolean> {
  return untouchedSinceLastRun(
    { conn: sourceConnection(news), index: news.source.index },
    { conn: news.cluster, index: news.destIndex },
    lastRunOf(olds, news),
  ).catch(() => false);
}

/**
 * What the next run's verification may build on: a complete run verified by ids or content at the level asked now,
 * with its marks (a level raised to "content" compares in full once).
 */
function lastRunOf(olds: Outs, news: ReindexInputs): RunOptions["lastRun"] {
  const v = olds.verification;
  if (
    olds.status !== "complete" ||
    v === undefined ||
    v.level === "count" ||
    v.level !== news.verify ||
    olds.sourceMarks === undefined ||
    olds.destMarks === undefined
  )
    return undefined;
  return { sourceMarks: olds.sourceMarks, destMarks: olds.destMarks, extraKept: v.extraKept };
}

function newId(destIndex: string): string {
  return `${destIndex}-${randomUUID().slice(0, 8)}`;
}

/**
 * check: validation, then (inputs known) the facts the clusters tell: versions, allow list, fields. A copy the program
 * marks "cutover-done" no longer runs and asks nothing: its source may be gone already.
 */
export async function checkReindex(
  news: Record<string, unknown>,
  open?: Parameters<typeof liveCheckFailures>[1],
): Promise<{ inputs: ReindexInputs; failures: Problem[] }> {
  const { inputs, failures } = validateInputs(news);
  if (failures.length === 0 && !containsUnknown(inputs) && inputs.phase !== "cutover-done")
    failures.push(...(await liveCheckFailures(inputs, open)));
  return { inputs, failures };
}

/** diff: a replacement (the data's identity changed), a failed run to continue, or the work pending (with its lines). */
export async function diffReindex(olds: Outs, news: ReindexInputs): Promise<pulumi.dynamic.DiffResult> {
  const found = await diffReindexWork(olds, news);
  const moving =
    (found.diff.replaces ?? []).length > 0 ? "all" : (found.pending?.waiting ?? 0) + (found.pending?.outside ?? 0);
  if (found.diff.changes && (moving === "all" || moving > 0)) await estimateRun(news, moving, runsInState(olds));
  return found.diff;
}

/** check of the resource itself (MigratedIndex checks its copy with checkReindex): a new copy's estimate too. */
export async function checkReindexResource(olds: Record<string, unknown> | undefined, news: Record<string, unknown>) {
  const checked = await checkReindex(news);
  if ((olds === undefined || Object.keys(olds).length === 0) && checked.failures.length === 0)
    await estimateRun(checked.inputs, "all", []);
  return checked;
}

/**
 * The preview's estimate line of a copy (../migrated-index/estimate-lines) when the source and its index are known;
 * the destination index may not be yet (a preview before the DestinationIndex exists). Never fails the preview.
 */
async function estimateRun(inputs: ReindexInputs, documents: number | "all", runs: CopyRun[]): Promise<void> {
  if (inputs.phase === "cutover-done" || containsUnknown(inputs.source?.index) || containsUnknown(inputs.cluster))
    return;
  const source = sourceConnection(inputs);
  if (containsUnknown(source)) return;
  const subject = {
    source,
    destination: inputs.cluster,
    sourceIndex: inputs.source.index,
    destIndex: containsUnknown(inputs.destIndex) ? undefined : inputs.destIndex,
    scoped: inputs.source.query !== undefined,
  };
  await announceEstimate(subject, documents, runs, (line) => pulumiLog().info(line)).catch(() => undefined);
}

/**
 * diffReindex, with the pending work it found (MigratedIndex estimates what that work takes). A cut-over copy plans
 * nothing; work planned while the source is frozen by a cutover done by hand stops here, at preview (./live-guard).
 */
export async function diffReindexWork(
  olds: Outs,
  news: ReindexInputs,
): Promise<{ diff: pulumi.dynamic.DiffResult; pending?: PendingWork }> {
  const log = pulumiLog();
  const what = `reindex ${news.source?.index} -> ${news.destIndex}`;
  if (finalCopyResults(olds, news) !== undefined) {
    log.info(`${what}: ${FINAL_COPY_RECORD_LINE}`);
    return { diff: { changes: true } };
  }
  if (olds.cutover !== undefined) {
    log.info(liveLine(what, olds.cutover));
    return { diff: { changes: false } };
  }
  if (news.phase === "cutover-done") {
    log.info(recordLine(what));
    return { diff: { changes: true } };
  }
  const found = await plannedWork(olds, news, log);
  if (found.diff.changes && !containsUnknown(news)) {
    const guard = await guardCopy(news, olds, found.pending?.destWrites).catch(unknownRecord(what, log.warn));
    if (guard?.action === "leave") {
      log.info(liveLine(what, guard.recorded!));
      return { diff: { changes: false } };
    }
  }
  for (const line of found.lines) log.info(line);
  return found;
}

/** What the copy would do (a full re-run, a failed run continued, the work pending), with the lines that say so. */
async function plannedWork(
  olds: Outs,
  news: ReindexInputs,
  log: RunLog,
): Promise<{ diff: pulumi.dynamic.DiffResult; pending?: PendingWork; lines: string[] }> {
  const what = `reindex ${news.source?.index} -> ${news.destIndex}`;
  const replaces = replacingProperties(olds, news);
  if (replaces.length > 0) {
    const topLevel = [...new Set(replaces)];
    return {
      diff: { changes: true, replaces: topLevel, deleteBeforeReplace: true },
      lines: [
        `reindex ${olds.source?.index} -> ${olds.destIndex}: ${topLevel.join(", ")} changed: the copy runs again in full`,
      ],
    };
  }
  if (olds.status === "failed") {
    const refused = olds.refusedDocuments
      ? ` (${olds.refusedDocuments} document(s) refused by the destination, recorded in ${FAILED_DOCUMENTS_INDEX} there: copied again)`
      : "";
    return {
      diff: { changes: true },
      lines: [`${what}: the last run did not finish${refused}; pulumi up continues it`],
    };
  }
  const inputsChanged = stable(inputsOf(olds)) !== stable(inputsOf(news as Partial<Outs>));
  // Nobody wrote to either index since the last verified run: nothing waits, and the reads that count it are skipped.
  if (!inputsChanged && !containsUnknown(news) && (await untouched(news, olds)))
    return {
      diff: { changes: false },
      pending: {
        reasons: [],
        notes: [],
        destWrites: 0,
        ...(news.mode.type === "incremental" ? { waiting: 0, lacking: 0 } : {}),
      },
      lines: [],
    };
  const pending = await findPendingWork(news, olds, log);
  const lines = [...(pending?.notes ?? []), ...(pending?.reasons ?? [])].map((l) => `${what}: ${l}`);
  return { diff: { changes: inputsChanged || (pending?.reasons.length ?? 0) > 0 }, pending, lines };
}

/** The state of a copy that does not run: the destination is live (`cutover`), nothing was copied by this resource. */
function liveOutputs(inputs: ReindexInputs & { __provider?: string }, cutover: CutoverRecord): Outs {
  const results: ReindexResults = {
    status: "complete",
    taskIds: [],
    created: 0,
    updated: 0,
    versionConflicts: 0,
    retries: { search: 0, bulk: 0 },
    failures: [],
    durationSeconds: 0,
    partitionStates: [],
    cutover,
  };
  return plain({ ...inputs, ...results });
}

/**
 * The runs the estimates learn from after this run (./../migrated-index/estimate): `runs` and this run, unless it
 * continued a failed one (its counts include the earlier run's work).
 */
export async function withRun(
  inputs: ReindexInputs,
  runs: readonly CopyRun[],
  results: ReindexResults,
  continued: boolean,
): Promise<CopyRun[]> {
  if (continued) return [...runs];
  const size = (await sourceIndexSizes(sourceConnection(inputs))).get(inputs.source.index);
  return recordRun(runs, copyRunOf(results, size));
}

/**
 * create: a first run under a new id; a run that stops early keeps what it did (initError). Into a live index:
 * nothing. `runs`: the runs of the copy this one replaces (MigratedIndex's copy run again in full), for the estimates.
 */
export async function createReindex(
  inputs: ReindexInputs & { __provider?: string },
  runs: readonly CopyRun[] = [],
): Promise<{ id: string; outs: Outs }> {
  const id = newId(inputs.destIndex);
  const guard = await guardCopy(inputs, undefined);
  if (guard.action !== "run") return { id, outs: liveOutputs(inputs, await settleRecord(inputs, guard)) };
  try {
    const results = await runReindex(inputs, { log: pulumiLog() });
    const copyRuns = await withRun(inputs, runs, results, false);
    return { id, outs: plain({ ...inputs, ...results, copyRuns }) };
  } catch (e) {
    if (e instanceof ReindexRunError) throw initError(e.message, id, { ...inputs, ...e.results });
    throw e;
  }
}

/** update: continue a failed run, copy the next window, or verify (and repair) a full copy when something waits. */
export async function updateReindex(
  id: string,
  olds: Outs,
  news: ReindexInputs & { __provider?: string },
): Promise<{ outs: Outs }> {
  const log = pulumiLog();
  const keep = { ...olds, ...news };
  const final = finalCopyResults(olds, news);
  if (final !== undefined) return { outs: plain({ ...keep, ...news, ...final }) };
  const guard = await guardCopy(news, olds);
  if (guard.action !== "run") return { outs: plain({ ...keep, cutover: await settleRecord(news, guard) }) };
  const run = await updateRun(olds, news, log);
  if (run === undefined) return { outs: plain(keep) };
  try {
    const results = await runReindex(news, run);
    const copyRuns = await withRun(news, runsInState(olds), results, olds.status === "failed");
    return { outs: plain({ ...keep, ...news, ...results, copyRuns }) };
  } catch (e) {
    if (e instanceof ReindexRunError) throw initError(e.message, id, { ...keep, ...news, ...e.results });
    throw e;
  }
}

/**
 * The run an update of a complete or failed copy makes (undefined: nothing to run). cutover() makes the same run
 * itself for its final copy (./final-delta).
 */
export async function updateRun(olds: Outs, news: ReindexInputs, log: RunLog): Promise<RunOptions | undefined> {
  // Upgraded state (earlier releases wrote internal versions and kept no versioning): internal.
  const versioning = olds.versioning ?? "internal";
  let run: RunOptions | undefined;
  if (olds.status === "failed") {
    run = { log, resume: olds, from: olds.cursorFrom, versioning };
  } else if (news.mode.type === "incremental") {
    // A window is cheap to copy again (external versions skip what is there): every update runs it and verifies,
    // checking only what changed since the last verified run where that run left what it takes.
    run = { log, from: olds.cursorTo, versioning, lastRun: lastRunOf(olds, news) };
  } else {
    const pending = await findPendingWork(news, olds, log);
    if (pending === undefined || pending.reasons.length > 0)
      run = { log, versioning, verifyOnly: true, lastRun: lastRunOf(olds, news) };
  }
  // What earlier runs learnt about page sizes: a page halved after "chunk too large", documents too large for any.
  return (
    run && { ...run, remoteBatch: olds.remoteBatch, oversizeIds: olds.oversizeIds, partitionCount: olds.partitionCount }
  );
}

/** The record of a copy that no longer runs: the one that stands, or the program's, written into the index's `_meta`. */
async function settleRecord(inputs: ReindexInputs, guard: CopyGuard): Promise<CutoverRecord> {
  const what = `reindex ${inputs.source.index} -> ${inputs.destIndex}`;
  const record = guard.action === "record" ? await recordCopyCutover(inputs, guard.recorded!) : guard.recorded!;
  pulumiLog().info(liveLine(what, record));
  return record;
}

/** delete: cancels the tasks of the last run that still run; the copied documents stay. */
export async function deleteReindex(props: Outs): Promise<void> {
  if (props.transport === "client" || (props.taskIds ?? []).length === 0) return;
  const dest = connect(props.cluster, "destination");
  try {
    const running = new Set(await runningReindexTasks(dest, props.destIndex));
    for (const taskId of props.taskIds.filter((t) => running.has(t))) {
      pulumiLog().info(`reindex into ${props.destIndex}: cancelling task ${taskId} (the copied documents stay)`);
      await cancelTask(dest, taskId);
    }
  } finally {
    await dest.close().catch(() => undefined);
  }
}

export const reindexProvider = defineProvider<ReindexInputs, Outs>({
  check: async (news, olds) => {
    const { inputs, failures } = await checkReindexResource(olds, news);
    return { inputs, problems: failures };
  },
  diff: (_id, olds, news) => diffReindex(olds, news),
  create: (inputs) => createReindex(inputs),
  update: (id, olds, news) => updateReindex(id, olds, news),
  delete: (_id, props) => deleteReindex(props),
}) as pulumi.dynamic.ResourceProvider;
