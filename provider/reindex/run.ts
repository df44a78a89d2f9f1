// One run of a Reindex: plan the window and partitions, attach to or start the tasks, poll with progress, then
// verify (counts, id sets or content), repair what differs and apply the deletes policy. Used by create and update;
// the provider (./provider) only decides what kind of run is needed.
import { connect } from "../connection/client";
import { redact } from "../connection/redact";
// The client transport; a static import because a lazy require("../copy") cannot load TypeScript sources under
// vitest, and the module is small (no dependencies beyond the connection types).
import { copyIndex, type CopyResult } from "../copy";
import type { Cluster, ClusterConnection } from "../connection/types";
import { countIndex, refreshIndex } from "../finish/ops";
import { sleep } from "../shared/poll";
import { tryReadWriteMarks, type Verification, type WriteMarks } from "../verify";
import {
  afterChunkTooLarge,
  DEFAULT_REMOTE_SIZE,
  isChunkTooLarge,
  startingBatch,
  type IndexBytes,
  type RemoteBatch,
} from "./batch-size";
import { failureGroups, isRefusedDocument, type FailureItem } from "./failures";
import { MAX_REFUSED, recordRefused, refusedMessage } from "./refused";
import { Backpressure, pressureSample, taskSlots, type TaskSlots } from "./backpressure";
import { progressLine } from "./progress";
import { alreadyCopied, MAX_SKIPPED_IDS } from "./copied";
import { findFailingDocument, onlyIds, rememberIds, withoutIds } from "./oversize";
import { choosePartitionCount, readPartitionRange } from "./partitions";
import { andQuery, cursorFromAgg, partitionQueries, runQuery, type Cursor, type Query } from "./queries";
export { scopeQuery } from "./queries";
import { restoreChangedSettings } from "./changed-settings";
import { startEarlyComparison, verifyCopy, VerifyStop, type SinceLastRun } from "./repair";
import { reindexRequest, scrollKeepAlive, sourceConnection } from "./request";
import { externalVersioningWorks } from "./rules";
import { cancelTask, getTask, runningReindexTasks, startReindex, type TaskState } from "./tasks";
import type { Cursors, PartitionCount, PartitionState, ReindexInputs, ReindexResults, Versioning } from "./types";
import { lookbackUnits, nextWatermark, windowLabel, windowQuery, windowStart } from "./window";

export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface RunOptions {
  /** Incremental: the watermark of the last complete run (undefined: no complete run yet, the window is everything). */
  from?: Cursor;
  /** A failed run to continue: its partitions that did not finish run again, with the same window. */
  resume?: ReindexResults & Cursors;
  /** Copy nothing: verify (and repair, and reconcile deletes) only. For full and missingField copies. */
  verifyOnly?: boolean;
  /** How earlier runs wrote into this index; undefined on the first run, which decides. */
  versioning?: Versioning;
  /**
   * The last complete run's records, so that verification may check only what changed since (repair.ts
   * verifyChanges). Undefined: a full comparison.
   */
  lastRun?: { sourceMarks: WriteMarks; destMarks: WriteMarks; extraKept: number };
  /** Partitions without a count: what an earlier run chose (kept, so a stack's layout does not move under it). */
  partitionCount?: PartitionCount;
  /** The page size the last run ended with (./batch-size startingBatch decides whether it still applies). */
  remoteBatch?: RemoteBatch;
  /** Documents earlier runs found larger than the remote buffer: copied through the client, never remotely. */
  oversizeIds?: string[];
  log: RunLog;
  /** Opens a connection; tests swap it to count requests. Default: the connection layer's `connect`. */
  connect?: (conn: ClusterConnection, role: string) => Cluster;
  /** Poll interval in milliseconds (default 1000) and how often progress is logged (default 10 000). */
  pollMs?: number;
  progressEveryMs?: number;
  /** The clock (tests move it): epoch milliseconds. */
  now?: () => number;
}

export type RunResults = ReindexResults & Cursors;

/** A run that stopped early: `results` is what the resource keeps so the next `pulumi up` continues. */
export class ReindexRunError extends Error {
  constructor(
    message: string,
    readonly results: RunResults,
  ) {
    super(message);
    this.name = "ReindexRunError";
  }
}

const MAX_FAILURES = 5;

export async function minMax(
  c: Cluster,
  index: string,
  field: string,
  query: Query,
): Promise<{ min?: Cursor; max?: Cursor }> {
  type Agg = Parameters<typeof cursorFromAgg>[0];
  const res = await c.request<{ aggregations?: { min?: Agg; max?: Agg } } | undefined>({
    method: "POST",
    path: `/${encodeURIComponent(index)}/_search`,
    body: { size: 0, query, aggs: { min: { min: { field } }, max: { max: { field } } } },
    idempotent: true,
  });
  return { min: cursorFromAgg(res?.aggregations?.min), max: cursorFromAgg(res?.aggregations?.max) };
}

/** How a first run writes: with the source's versions where the engines allow it and the index starts empty. */
export async function chooseVersioning(inputs: ReindexInputs, src: Cluster, dest: Cluster): Promise<Versioning> {
  const [s, d] = await Promise.all([src.info(), dest.info()]);
  if (!externalVersioningWorks(s, d, inputs.opType)) return "internal";
  // Documents written before (an adopted index) carry versions of their own, which external writes would trust.
  const res = await dest.request<{ count: number } | undefined>({
    method: "POST",
    path: `/${encodeURIComponent(inputs.destIndex)}/_count`,
    ignore: [404],
    idempotent: true,
  });
  return (res?.count ?? 0) === 0 ? "external" : "internal";
}

interface Tracked {
  part: PartitionState;
  state?: TaskState;
  /** What earlier tasks of the same partition counted (a partition restarted after "chunk too large"). */
  base?: Pick<PartitionState, "created" | "updated" | "versionConflicts">;
  /** When this process started the task (epoch ms); undefined for an attached one. */
  startedAt?: number;
}

/** What the run is about to copy: its partitions and its window. */
interface Plan {
  parts: PartitionState[];
  cursorFrom?: Cursor;
  cursorTo?: Cursor;
  /** Partitions without a count: the count chosen (or kept from an earlier run). */
  partitionCount?: PartitionCount;
}

async function planRun(
  inputs: ReindexInputs,
  src: Cluster,
  dest: Cluster,
  opts: RunOptions,
  startedAt: number,
  log: RunLog,
  what: string,
): Promise<Plan> {
  if (opts.verifyOnly === true) return { parts: [] };
  if (opts.resume !== undefined && opts.resume.partitionStates.length > 0) {
    // The same window and partitions: what finished is not copied again (a run that failed verifying only verifies).
    const parts = opts.resume.partitionStates.map((p) => ({ ...p }));
    const left = parts.filter((p) => !p.done).length;
    log.info(
      left > 0
        ? `${what}: continuing the last run (${left} of ${parts.length} partition(s) left)`
        : `${what}: the last run copied everything but did not verify; verifying`,
    );
    const kept = opts.resume.partitionCount;
    return {
      parts,
      cursorFrom: opts.resume.cursorFrom,
      cursorTo: opts.resume.cursorTo,
      ...(kept !== undefined ? { partitionCount: kept } : {}),
    };
  }
  let cursorFrom: Cursor | undefined;
  let cursorTo: Cursor | undefined;
  let base: Query;
  let window: string;
  if (inputs.mode.type === "incremental") {
    const { field, lookback = 0 } = inputs.mode;
    cursorFrom = opts.from;
    const seen = await minMax(src, inputs.source.index, field, andQuery(inputs.source.query));
    cursorTo = nextWatermark(cursorFrom, seen.max, startedAt);
    const start = windowStart(cursorFrom, lookbackUnits(lookback));
    base = windowQuery(field, inputs.source.query, start);
    window = windowLabel(field, start, lookback);
  } else {
    base = runQuery(inputs.mode, inputs.source.query);
    window = inputs.mode.type === "missingField" ? `without ${inputs.mode.field}` : "all documents";
  }
  let plans = [{ query: base, label: window }];
  const p = inputs.partitions;
  let partitionCount: PartitionCount | undefined;
  if (p !== undefined && inputs.transport === "remote") {
    if (p.count === undefined) {
      partitionCount = opts.partitionCount ?? opts.resume?.partitionCount ?? (await choosePartitionCount(dest));
      log.info(`${what}: ${partitionCount.count} partitions (${partitionCount.reason})`);
    }
    const count = p.count ?? partitionCount!.count;
    if (count > 1) {
      const range = await readPartitionRange(src, inputs.source.index, p.field, base, count);
      plans = partitionQueries(base, p.field, count, range);
    }
  }
  const parts = plans.map((pl) => ({
    query: pl.query,
    label: pl.label,
    done: false,
    created: 0,
    updated: 0,
    versionConflicts: 0,
    total: 0,
  }));
  return { parts, cursorFrom, cursorTo, ...(partitionCount !== undefined ? { partitionCount } : {}) };
}

/** Settings a killed run's repair changed for a while and left (./changed-settings): put back, and said. */
async function restoreLeftSettings(dest: Cluster, index: string, log: RunLog, what: string): Promise<void> {
  const restored = await restoreChangedSettings(dest, index).catch((e) => {
    // Not the copy's to fail on: the record stays, and the next run tries again.
    log.warn(
      `${what}: could not check ${index}'s mapping _meta for settings an interrupted repair left changed: ${e instanceof Error ? e.message : String(e)}`,
    );
    return undefined;
  });
  if (restored === undefined) return;
  const listed = Object.entries(restored)
    .map(([k, v]) => `${k} to ${v === null ? "its default" : JSON.stringify(v)}`)
    .join(", ");
  log.info(`${what}: put ${listed} back on ${index} (an interrupted run's repair had changed it for a while)`);
}

/** Whether the verification's source read starts with the copy (see runReindex). */
const EARLY_COMPARISON = false;

/** Runs the copy described by `inputs` and returns the results; throws ReindexRunError when it stops early. */
export async function runReindex(inputs: ReindexInputs, opts: RunOptions): Promise<RunResults> {
  const now = opts.now ?? Date.now;
  const started = now();
  const deadline = started + inputs.timeout * 1000;
  const open = opts.connect ?? ((conn: ClusterConnection, role: string) => connect(conn, role));
  const srcConn = sourceConnection(inputs);
  const dest = open(inputs.cluster, "destination");
  const src = srcConn === inputs.cluster ? dest : open(srcConn, "source");
  const scrub = (t: string) =>
    redact(redact(t, inputs.cluster), srcConn, [
      inputs.source.remote?.password,
      ...Object.values(inputs.source.remote?.headers ?? {}),
    ]);
  const what = `reindex ${inputs.source.index} -> ${inputs.destIndex}`;
  const log = { info: (m: string) => opts.log.info(scrub(m)), warn: (m: string) => opts.log.warn(scrub(m)) };

  // What a failure before the plan keeps: the watermark of the last complete run, so nothing is skipped later.
  let plan: Plan = { parts: [], cursorFrom: opts.resume?.cursorFrom ?? opts.from, cursorTo: opts.resume?.cursorTo };
  let versioning = opts.versioning ?? opts.resume?.versioning;
  let sourceMarksAtStart: WriteMarks | undefined;
  const failureItems: FailureItem[] = [];
  let copier: Copier | undefined;
  let early: ReturnType<typeof startEarlyComparison>;
  // How many refused documents this run recorded at the destination (undefined: it did not write the records).
  let recorded: number | undefined;
  const recordAllRefused = async () => {
    const all = [...(copier?.refused.values() ?? [])];
    await recordRefused(dest, inputs.destIndex, inputs.source.index, all);
    recorded = all.length;
  };
  const remoteBatch = () => copier?.batch ?? opts.remoteBatch ?? opts.resume?.remoteBatch;
  const results = (
    status: ReindexResults["status"],
    failures: string[],
    extra: Partial<ReindexResults> = {},
  ): RunResults => {
    const parts = plan.parts;
    const watermark = status === "complete" ? plan.cursorTo : plan.cursorFrom;
    return {
      status,
      taskIds: parts.map((p) => p.taskId).filter((t): t is string => t !== undefined),
      created: parts.reduce((s, p) => s + p.created, 0),
      updated: parts.reduce((s, p) => s + p.updated, 0),
      versionConflicts: parts.reduce((s, p) => s + p.versionConflicts, 0),
      retries: {
        search: parts.reduce((s, p) => s + (p.retries?.search ?? 0), 0),
        bulk: parts.reduce((s, p) => s + (p.retries?.bulk ?? 0), 0),
      },
      failures: failures.slice(0, MAX_FAILURES).map(scrub),
      failureGroups: failureGroups(failureItems),
      durationSeconds: Math.round((now() - started) / 100) / 10,
      partitionStates: parts,
      watermark: watermark?.text ?? watermark?.value,
      cursorFrom: plan.cursorFrom,
      cursorTo: plan.cursorTo,
      ...(versioning !== undefined ? { versioning } : {}),
      ...(sourceMarksAtStart !== undefined ? { sourceMarks: sourceMarksAtStart } : {}),
      ...(remoteBatch() !== undefined ? { remoteBatch: remoteBatch() } : {}),
      ...(plan.partitionCount !== undefined ? { partitionCount: plan.partitionCount } : {}),
      // The records at the destination (./refused): this run's, else the last run's while this one did not replace
      // them; cleared otherwise (an update merges the results over the last state).
      refusedDocuments: recorded !== undefined ? recorded || undefined : opts.resume?.refusedDocuments,
      ...((copier?.oversizeIds ?? opts.oversizeIds ?? []).length > 0
        ? { oversizeIds: rememberIds([], copier?.oversizeIds ?? opts.oversizeIds ?? []) }
        : {}),
      ...extra,
    };
  };

  try {
    // The reads before the copy go at once (each is a round trip to a cluster): how to write, the marks, the plan
    // and the page size. Marks before anything is copied: every later write at the source is the next run's to check.
    const batchRead = opts.verifyOnly === true ? undefined : chooseBatch(inputs, src, opts, log);
    batchRead?.catch(() => undefined);
    const [chosen, [sourceMarks, destMarksAtStart], planned] = await Promise.all([
      versioning ?? chooseVersioning(inputs, src, dest),
      Promise.all([
        tryReadWriteMarks(src, inputs.source.index),
        opts.lastRun === undefined ? undefined : tryReadWriteMarks(dest, inputs.destIndex),
      ]),
      planRun(inputs, src, dest, opts, started, log, what),
      restoreLeftSettings(dest, inputs.destIndex, log, what),
    ]);
    versioning = chosen;
    sourceMarksAtStart = sourceMarks;
    plan = planned;
    copier = {
      inputs,
      src,
      dest,
      versioning,
      deadline,
      log,
      what,
      opts,
      failureItems,
      oversizeIds: opts.oversizeIds ?? opts.resume?.oversizeIds ?? [],
      copiedBefore: new Map(),
      refused: new Map(),
    };
    if (plan.parts.some((p) => !p.done)) {
      copier.batch = copier.firstBatch = await (batchRead ?? chooseBatch(inputs, src, opts, log));
      log.info(
        `${what}: ${copier.batch.size} document(s) a ${inputs.transport === "remote" ? "remote" : "scroll"} page (${copier.batch.reason})`,
      );
    }
    const since: SinceLastRun | undefined =
      opts.lastRun === undefined || destMarksAtStart === undefined || sourceMarks === undefined
        ? undefined
        : { ...opts.lastRun, sourceMarksNow: sourceMarks, destMarksNow: destMarksAtStart };
    // The verification's read of the source could start here, while the copy writes the destination
    // (startEarlyComparison). It stays off until it is measured on an idle machine: it reads the source through the
    // link the destination's tasks use, so a fault on that link now hits whichever read comes first.
    if (EARLY_COMPARISON && plan.parts.some((p) => !p.done)) early = startEarlyComparison(inputs, src, since);
    const failures = await copyParts(copier, plan);
    // Refused documents: recorded at the destination (the last run's records replaced, also when none is left).
    const refused = [...copier.refused.values()];
    if (refused.length > 0 || (opts.resume?.refusedDocuments ?? 0) > 0) await recordAllRefused();
    failureItems.push(...refused.map(({ part: _part, ...item }) => item));
    if (failures.length === 0 && refused.length > 0) {
      for (const part of plan.parts) if (refusedIn(copier, part)) part.done = false;
      failures.push(refusedMessage(what, inputs.destIndex, refused, refused.length >= MAX_REFUSED));
    }
    if (failures.length > 0) {
      throw new ReindexRunError(
        `${what} failed; the next pulumi up continues what did not finish. The engine reported ${failures.length} failure(s)${failures.length > MAX_FAILURES ? `, the first ${MAX_FAILURES}` : ""}:\n${failures.slice(0, MAX_FAILURES).map(scrub).join("\n")}`,
        results("failed", failures),
      );
    }
    // The copy's partitions are done: what follows (verification, repairs) re-runs as a whole if it fails.
    const verification: Verification = await verifyCopy({
      inputs,
      src,
      dest,
      versioning,
      log,
      what,
      since,
      early,
      copyIds: async (label, query) => {
        const part: PartitionState = {
          query,
          label,
          done: false,
          created: 0,
          updated: 0,
          versionConflicts: 0,
          total: 0,
        };
        plan.parts.push(part);
        copier!.batch ??= copier!.firstBatch = await chooseBatch(inputs, src, opts, log);
        const fails = await copyParts(copier!, { parts: [part] });
        if (fails.length > 0)
          throw new VerifyStop(`${what}: repairing (${label}) failed: ${fails.slice(0, MAX_FAILURES).join("; ")}`);
        if (refusedIn(copier!, part)) {
          // A repair the destination refuses is no repair: recorded, and the copy is not verified.
          part.done = false;
          await recordAllRefused();
          const all = [...copier!.refused.values()];
          throw new VerifyStop(refusedMessage(what, inputs.destIndex, all, all.length >= MAX_REFUSED));
        }
        return part;
      },
    });
    const destMarks = await tryReadWriteMarks(dest, inputs.destIndex);
    return results("complete", [], {
      verification,
      sourceCount: verification.sourceCount,
      destCount: verification.destCount,
      extraInDestination: verification.extraKept,
      destMarks,
      sourceMarks,
    });
  } catch (e) {
    if (e instanceof ReindexRunError) throw e;
    const message = scrub(e instanceof Error ? e.message : String(e));
    if (e instanceof VerifyStop)
      throw new ReindexRunError(
        `${message}; the next pulumi up verifies again`,
        results("failed", [message], e.found ? { verification: e.found } : {}),
      );
    throw new ReindexRunError(
      `${what} stopped: ${message}; the next pulumi up continues what did not finish`,
      results("failed", [message]),
    );
  } finally {
    await early?.cancel();
    await closeAll(dest, src);
  }
}

interface Copier {
  /** Documents per page now (halved after "chunk too large"); undefined until something is to be copied. */
  batch?: RemoteBatch;
  /** The page size the run started with: after an oversize document is taken out, pages go back to it. */
  firstBatch?: RemoteBatch;
  /** Documents larger than the remote buffer (known before or found in this run): copied through the client. */
  oversizeIds: string[];
  /** Per partition restarted after "chunk too large": documents its failed tasks copied, left out of the next. */
  copiedBefore: Map<PartitionState, string[]>;
  /** Documents the destination refused in this run (./refused), by id, with the partition that holds them. */
  refused: Map<string, FailureItem & { part?: PartitionState }>;
  inputs: ReindexInputs;
  src: Cluster;
  dest: Cluster;
  versioning: Versioning;
  deadline: number;
  log: RunLog;
  what: string;
  opts: RunOptions;
  failureItems: FailureItem[];
}

/** Copies the plan's partitions that are not done (remote tasks or the client transport); returns the failures. */
async function copyParts(c: Copier, plan: { parts: PartitionState[] }): Promise<string[]> {
  const { inputs, dest, log, what, opts } = c;
  if (inputs.transport === "client") return clientCopy(c, plan.parts);
  const failures: string[] = [];
  // A task still running into this index (an interrupted `pulumi up`) is awaited instead of started again.
  const running = await runningReindexTasks(dest, inputs.destIndex);
  if (running.length > 0) {
    log.info(
      `${what}: attaching to the reindex task(s) already running into ${inputs.destIndex}: ${running.join(", ")}`,
    );
    const attached: Tracked[] = running.map((taskId) => ({
      part: {
        query: unionQuery(plan.parts),
        label: "attached",
        taskId,
        done: false,
        created: 0,
        updated: 0,
        versionConflicts: 0,
        total: 0,
      },
    }));
    await poll(dest, attached, c.deadline, log, what, opts);
    failures.push(...attached.flatMap((t) => t.state?.failures ?? []));
    c.failureItems.push(...attached.flatMap((t) => t.state?.failureItems ?? []));
    // What the attached tasks did may cover the plan: if the counts agree, nothing more is started (verification
    // then compares the documents themselves).
    const scope = unionQuery(plan.parts);
    await refreshIndex(dest, inputs.destIndex);
    const [s, d] = await Promise.all([
      countIndex(c.src, inputs.source.index, scope),
      countIndex(dest, inputs.destIndex, scope),
    ]);
    if (failures.length === 0 && d >= s) {
      plan.parts.splice(0, plan.parts.length, ...attached.map((t) => t.part));
      return [];
    }
    log.info(`${what}: the attached task(s) left ${Math.max(0, s - d)} document(s) to copy; running the plan`);
    failures.length = 0;
  }
  await copyKnownOversize(c, plan.parts);
  // Partitions whose page did not fit the destination's buffer run again with smaller pages (or without the one
  // document too large for any page) until every task ended otherwise.
  const ended: Tracked[] = [];
  let toStart = plan.parts.filter((p) => !p.done);
  let again = false;
  while (toStart.length > 0) {
    const tracked = await runParts(c, toStart, again);
    const tooLarge = tracked.filter(
      (t) => !t.part.done && t.state?.canceled === undefined && isChunkTooLarge(t.state?.failures ?? []),
    );
    // Tasks stopped by documents the destination refuses: those are set aside, the partition goes on without them.
    const refusing = tracked.filter((t) => !tooLarge.includes(t) && setAsideRefused(c, t));
    ended.push(...tracked.filter((t) => !tooLarge.includes(t) && !refusing.includes(t)));
    if (tooLarge.length > 0) await recoverChunkTooLarge(c, tooLarge);
    if (refusing.length > 0) {
      await refreshIndex(c.dest, inputs.destIndex);
      for (const t of refusing) await skipCopied(c, t);
      log.info(
        `${what}: ${c.refused.size} document(s) refused by the destination so far (e.g. ${[...c.refused.values()][0].type}); set aside, the copy goes on without them`,
      );
    }
    toStart = [...tooLarge, ...refusing].map((t) => t.part);
    again = true;
  }
  failures.push(...ended.flatMap((t) => t.state?.failures ?? []));
  c.failureItems.push(...ended.flatMap((t) => t.state?.failureItems ?? []));
  const cancelled = ended.filter((t) => t.state?.canceled !== undefined);
  if (cancelled.length > 0)
    failures.push(...cancelled.map((t) => `task ${t.part.taskId} was cancelled: ${t.state!.canceled}`));
  return failures;
}

function unionQuery(parts: PartitionState[]): Query {
  // The union of the partitions is the run's base query: with one partition it is that query itself.
  return parts.length === 1 ? parts[0].query : { bool: { should: parts.map((p) => p.query), minimum_should_match: 1 } };
}

async function closeAll(dest: Cluster, src: Cluster): Promise<void> {
  await dest.close().catch(() => undefined);
  if (src !== dest) await src.close().catch(() => undefined);
}

/**
 * Runs one remote task per partition until each ended, as many at once as the destination's task slots allow (all
 * of them unless it pushes back: ./backpressure TaskSlots); the others start as running ones end.
 */
async function runParts(c: Copier, parts: PartitionState[], again: boolean): Promise<Tracked[]> {
  const slots = taskSlots(c.dest);
  const waiting = [...parts];
  const tracked: Tracked[] = [];
  const holding = new Set<Tracked>();
  let saidWaiting = false;
  const startWhatFits = async () => {
    // The limit also eases while no task is looked at (none of this process runs into the destination).
    const eased = waiting.length > 0 ? slots.quiet(Date.now()) : undefined;
    if (eased !== undefined) c.log.info(`${c.what}: ${eased}`);
    const next: PartitionState[] = [];
    while (waiting.length > 0 && slots.take()) next.push(waiting.shift()!);
    if (next.length === 0) {
      if (!saidWaiting && waiting.length > 0 && tracked.every((t) => t.state?.completed === true))
        c.log.info(`${c.what}: ${waitingLine(waiting.length, slots)}`);
      saidWaiting = waiting.length > 0;
      return;
    }
    saidWaiting = false;
    const started = await startParts(c, next, again).catch((e) => {
      for (const _ of next) slots.release();
      throw e;
    });
    for (const t of started) holding.add(t);
    tracked.push(...started);
    c.log.info(
      `${c.what}: started ${started.length} task(s): ${started.map((t) => `${t.part.taskId} (${t.part.label})`).join(", ")}${waiting.length > 0 ? `; ${waitingLine(waiting.length, slots)}` : ""}`,
    );
  };
  try {
    await startWhatFits();
    await poll(c.dest, tracked, c.deadline, c.log, c.what, c.opts, {
      waiting: () => waiting.length,
      ended: (t) => {
        if (holding.delete(t)) slots.release();
      },
      startMore: startWhatFits,
    });
  } finally {
    for (const _ of holding) slots.release();
  }
  return tracked;
}

const waitingLine = (n: number, slots: TaskSlots) =>
  `${n} partition(s) wait to start: at most ${slots.limit ?? slots.running} task(s) run into this destination at once while it pushes back`;

/**
 * Starts one remote task per partition, with the run's page size and without the documents too large for any page.
 * `again`: the partitions ran before in this run, and their tasks' counts add to what they counted then.
 */
async function startParts(c: Copier, parts: PartitionState[], again: boolean): Promise<Tracked[]> {
  // Started at once: the tasks' first pages are read in parallel too.
  return Promise.all(
    parts.map(async (part): Promise<Tracked> => {
      const req = reindexRequest(c.inputs, taskQuery(c, part), c.versioning, c.batch?.size ?? c.inputs.source.size);
      part.taskId = await startReindex(c.dest, req.body, req.querystring);
      const startedAt = Date.now();
      return again
        ? {
            part,
            startedAt,
            base: { created: part.created, updated: part.updated, versionConflicts: part.versionConflicts },
          }
        : { part, startedAt };
    }),
  );
}

/**
 * What a remote task of `part` copies: the partition without the oversize documents, what it copied before and
 * the documents the destination refused.
 */
function taskQuery(c: Copier, part: PartitionState): Query {
  const refused = [...c.refused.values()].filter((r) => r.part === part).map((r) => r.id!);
  return withoutIds(part.query, [...c.oversizeIds, ...(c.copiedBefore.get(part) ?? []), ...refused]);
}

/**
 * True when the task of `t` stopped on documents the destination refuses (every failure such a document, one of
 * them new), which are then set aside: its partition runs again without them. A task whose failures are anything
 * else, or a run that set aside MAX_REFUSED already, ends as it is.
 */
function setAsideRefused(c: Copier, t: Tracked): boolean {
  const items = t.state?.failureItems ?? [];
  if (t.part.done || t.state?.canceled !== undefined || items.length === 0 || !items.every(isRefusedDocument))
    return false;
  const fresh = items.filter((i) => !c.refused.has(i.id!));
  if (fresh.length === 0 || c.refused.size >= MAX_REFUSED) return false;
  for (const i of fresh.slice(0, MAX_REFUSED - c.refused.size)) c.refused.set(i.id!, { ...i, part: t.part });
  return true;
}

const refusedIn = (c: Copier, part: PartitionState) => [...c.refused.values()].some((r) => r.part === part);

/**
 * After "chunk that was too large": halve the page; at one document a page, that document is larger than the
 * buffer: find it, copy it through the client transport, leave it out of the partitions' tasks and go back to the
 * run's first page size. The partitions then run again; with external versions, what the failed tasks copied is
 * left out of the new ones (./copied), else it is read and written again.
 */
async function recoverChunkTooLarge(c: Copier, tooLarge: Tracked[]): Promise<void> {
  const { inputs, log, what } = c;
  const size = c.batch?.size ?? inputs.source.size ?? DEFAULT_REMOTE_SIZE;
  const labels = tooLarge.map((t) => t.part.label).join(", ");
  const step = afterChunkTooLarge(size);
  await refreshIndex(c.dest, inputs.destIndex);
  for (const t of tooLarge) await skipCopied(c, t);
  if ("halve" in step) {
    c.batch = {
      size: step.halve,
      reason: `halved from ${size}: a page did not fit the destination's 100 MiB remote buffer`,
      requested: inputs.source.size,
    };
    log.info(
      `${what}: ${labels}: a remote page of ${size} document(s) did not fit the destination's 100 MiB buffer ("chunk that was too large"); continuing with ${step.halve} a page`,
    );
    return;
  }
  for (const t of tooLarge) {
    const id = await findFailingDocument(c.src, c.dest, inputs.source.index, inputs.destIndex, taskQuery(c, t.part));
    if (id === undefined) {
      throw new Error(
        `${t.part.label}: a single document is larger than the destination's 100 MiB remote buffer, yet every document of the partition is at the destination; copy the partition with transport "client"`,
      );
    }
    log.info(
      `${what}: ${t.part.label}: document ${id} alone is larger than the destination's 100 MiB remote buffer; copying it through the client transport and leaving it out of remote pages`,
    );
    c.oversizeIds = [...new Set([...c.oversizeIds, id])];
    addCounts(t.part, await copyThroughClient(c, onlyIds(t.part.query, [id])));
  }
  if (c.firstBatch !== undefined && c.firstBatch.size > 1) {
    c.batch = c.firstBatch;
    log.info(`${what}: back to ${c.batch.size} document(s) a remote page`);
  }
}

/** Leaves what the failed task of `t` copied out of the partition's next task (external versions only). */
async function skipCopied(c: Copier, t: Tracked): Promise<void> {
  if (c.versioning !== "external") return;
  const before = c.copiedBefore.get(t.part) ?? [];
  const s = t.state!.status;
  const processed = Math.min(s.created + s.updated + s.version_conflicts + s.noops, MAX_SKIPPED_IDS - before.length);
  const ids = await alreadyCopied(
    c.src,
    c.dest,
    c.inputs.source.index,
    c.inputs.destIndex,
    taskQuery(c, t.part),
    processed,
  );
  if (ids.length === 0) return;
  c.copiedBefore.set(t.part, [...before, ...ids]);
  c.log.info(
    `${c.what}: ${t.part.label}: the next task leaves out the ${ids.length} document(s) the failed one copied`,
  );
}

/** Documents found too large for a remote page in earlier runs: copied through the client before the tasks start. */
async function copyKnownOversize(c: Copier, parts: PartitionState[]): Promise<void> {
  if (c.oversizeIds.length === 0) return;
  for (const part of parts.filter((p) => !p.done)) {
    const res = await copyThroughClient(c, onlyIds(part.query, c.oversizeIds));
    if (res.docs > 0)
      c.log.info(
        `${c.what}: ${part.label}: ${res.docs} document(s) larger than the remote buffer copied through the client transport`,
      );
    addCounts(part, res);
  }
}

function addCounts(part: PartitionState, res: Pick<CopyResult, "created" | "updated" | "versionConflicts">): void {
  part.created += res.created;
  part.updated += res.updated;
  part.versionConflicts += res.versionConflicts;
}

/** Copies the documents of `query` through this process, one a page and one a `_bulk` (each may be very large). */
async function copyThroughClient(c: Copier, query: Query): Promise<CopyResult> {
  const { inputs } = c;
  const res = await copyIndex({
    source: c.src,
    dest: c.dest,
    sourceIndex: inputs.source.index,
    destIndex: inputs.destIndex,
    query,
    slices: 1,
    batchSize: 1,
    maxBulkDocs: 1,
    concurrency: 1,
    opType: inputs.opType,
    conflicts: inputs.conflicts,
    versioning: c.versioning,
    scrollKeepAlive: scrollKeepAlive(inputs),
    keepFailures: MAX_FAILURES,
  });
  if (res.failed > 0) {
    c.failureItems.push(...res.failures.map(clientFailureItem));
    throw new Error(
      `copying document(s) larger than the remote buffer through the client transport failed (the destination's http.max_content_length must admit each of them in one _bulk request): ${res.failures.join("; ")}`,
    );
  }
  return res;
}

/** The page size a run starts with (./batch-size startingBatch), from the source's size on disk when it decides. */
async function chooseBatch(inputs: ReindexInputs, src: Cluster, opts: RunOptions, log: RunLog): Promise<RemoteBatch> {
  const remembered = opts.remoteBatch ?? opts.resume?.remoteBatch;
  if (inputs.source.size !== undefined) return startingBatch(inputs.source.size, remembered, undefined);
  const stats = await indexBytes(src, inputs.source.index).catch((e) => {
    log.warn(
      `reindex ${inputs.source.index} -> ${inputs.destIndex}: could not read the source's size on disk (${e instanceof Error ? e.message : String(e)}); pages of up to ${DEFAULT_REMOTE_SIZE} documents, halved when too large`,
    );
    return undefined;
  });
  return startingBatch(undefined, remembered, stats);
}

/** The source's primaries on disk (`_stats/store`) and its top-level documents (`_count`: nested ones left out). */
async function indexBytes(src: Cluster, index: string): Promise<IndexBytes> {
  const [stats, docs] = await Promise.all([
    src.request<{ _all?: { primaries?: { store?: { size_in_bytes?: number } } } } | undefined>({
      method: "GET",
      path: `/${encodeURIComponent(index)}/_stats/store`,
      idempotent: true,
    }),
    countIndex(src, index),
  ]);
  return { storeBytes: Number(stats?._all?.primaries?.store?.size_in_bytes ?? 0), docs };
}

/** What poll does beside looking at the tasks: partitions that wait for a task slot (see runParts). */
interface Queue {
  waiting(): number;
  /** A task of `tracked` ended. */
  ended(t: Tracked): void;
  /** Starts the waiting partitions the slots allow now (pushed onto `tracked`). */
  startMore(): Promise<void>;
}

async function poll(
  dest: Cluster,
  tracked: Tracked[],
  deadline: number,
  log: RunLog,
  what: string,
  opts: RunOptions,
  queue?: Queue,
): Promise<void> {
  const pollMs = opts.pollMs ?? 1000;
  const every = opts.progressEveryMs ?? 10_000;
  const started = Date.now();
  let lastLog = started;
  let rounds = 0;
  const waiting = () => queue?.waiting() ?? 0;
  // Under 429s the tasks are slowed rather than left to fail, and fewer start at once (./backpressure), said in the
  // progress lines.
  const pressure = new Backpressure(dest, (m) => log.info(m), what, taskSlots(dest));
  while (tracked.some((t) => t.state?.completed !== true) || waiting() > 0) {
    for (const t of tracked.filter((x) => x.state?.completed !== true)) {
      const s = await getTask(dest, t.part.taskId!);
      t.state = s;
      if (s.completed) queue?.ended(t);
      else await pressure.observe(t.part.taskId!, pressureSample(s.status, t.startedAt ?? started));
      const base = t.base ?? { created: 0, updated: 0, versionConflicts: 0 };
      Object.assign(t.part, {
        created: base.created + s.status.created,
        updated: base.updated + s.status.updated,
        versionConflicts: base.versionConflicts + s.status.version_conflicts,
        total: s.status.total,
        retries: { search: s.status.retries?.search ?? 0, bulk: s.status.retries?.bulk ?? 0 },
      });
      t.part.done = s.completed && s.failures.length === 0 && s.canceled === undefined;
    }
    await queue?.startMore();
    if (tracked.every((t) => t.state?.completed === true) && waiting() === 0) break;
    if (Date.now() - lastLog >= every) {
      lastLog = Date.now();
      const done = tracked.reduce(
        (s, t) =>
          s +
          (t.state
            ? t.state.status.created +
              t.state.status.updated +
              t.state.status.deleted +
              t.state.status.version_conflicts +
              t.state.status.noops
            : 0),
        0,
      );
      const total = tracked.reduce((s, t) => s + (t.state?.status.total ?? 0), 0);
      const line = progressLine(what, { done, total, elapsedSeconds: (Date.now() - started) / 1000 });
      log.info(waiting() > 0 ? `${line}; ${waitingLine(waiting(), taskSlots(dest))}` : line);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the resource's timeout passed with task(s) ${tracked
          .filter((t) => !t.part.done)
          .map((t) => t.part.taskId)
          .join(
            ", ",
          )} still running; they go on, and the next pulumi up attaches to them (raise timeout for a longer copy)`,
      );
    }
    // Short waits first (a small copy ends in a second or two), then every pollMs.
    await sleep(Math.min(pollMs, 100 * 2 ** Math.min(rounds++, 10)));
  }
}

/**
 * Copies the partitions through this process (transport "client"); returns the failures. Documents the destination
 * refuses themselves are set aside as with remote tasks (the copy goes on without them, their partition is not done,
 * the run records them: ./refused); any other failure is the run's.
 */
async function clientCopy(c: Copier, parts: PartitionState[]): Promise<string[]> {
  const { inputs, src, dest, log, what } = c;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error("the resource's timeout passed during the client copy")),
    Math.max(0, c.deadline - Date.now()),
  );
  const started = Date.now();
  let lastLog = started;
  const failures: string[] = [];
  try {
    for (const part of parts.filter((p) => !p.done)) {
      const res = await copyIndex({
        source: src,
        dest,
        sourceIndex: inputs.source.index,
        destIndex: inputs.destIndex,
        query: part.query,
        // partitions.count is the number of parallel slices with the client transport
        slices: inputs.partitions?.count,
        // A page is held in memory (and in one JS string): the run's choice from the average document size.
        batchSize: inputs.source.size ?? c.batch?.size,
        opType: inputs.opType,
        conflicts: inputs.conflicts,
        versioning: c.versioning,
        requestsPerSecond: inputs.requestsPerSecond,
        scrollKeepAlive: scrollKeepAlive(inputs),
        keepFailures: MAX_FAILURES,
        keepRefused: Math.max(0, MAX_REFUSED - c.refused.size),
        signal: controller.signal,
        onPressure: (m) => log.info(`${what} (client): ${m}`),
        onProgress: (p) => {
          if (Date.now() - lastLog < 10_000) return;
          lastLog = Date.now();
          log.info(
            progressLine(`${what} (client)`, {
              done: p.docs,
              total: p.total ?? 0,
              elapsedSeconds: (Date.now() - started) / 1000,
            }),
          );
        },
      });
      Object.assign(part, {
        created: res.created,
        updated: res.updated,
        versionConflicts: res.versionConflicts,
        total: res.docs,
        retries: { search: 0, bulk: res.retries },
      });
      for (const r of res.refused) c.refused.set(r.id, { ...r, part });
      if (res.refusedCount > 0)
        log.info(
          `${what} (client): ${res.refusedCount.toLocaleString("en-US")} document(s) refused by the destination (e.g. ${res.refused[0]?.type ?? "refused"}); the copy went on without them`,
        );
      const others = res.failed - res.refusedCount;
      if (others > 0) {
        const refusedIds = new Set(res.refused.map((r) => r.id));
        c.failureItems.push(
          ...res.failures.map(clientFailureItem).filter((i) => i.id === undefined || !refusedIds.has(i.id)),
        );
        failures.push(
          `the client copy failed for ${others} document(s); the first ${res.failures.length} failure(s):\n${res.failures.join("\n")}`,
        );
      }
      part.done = res.failed === 0;
    }
  } finally {
    clearTimeout(timer);
  }
  return failures;
}

/** "document <id>: <type>: <reason>" (the client transport's failure text) as a failure item. Pure. */
export function clientFailureItem(text: string): FailureItem {
  const m = /^document (.+?): ([a-z_]+(?:_exception|_error)?): /.exec(text);
  return m === null ? { type: "copy failure" } : { type: m[2], id: m[1] };
}

export { cancelTask };
