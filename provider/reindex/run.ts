// One run of a Reindex: plan the partitions, attach to or start the tasks, poll with progress, verify counts.
// Used by create and update; the provider (./provider) only decides what kind of run is needed.
import { connect } from "../connection/client";
import { redact } from "../connection/redact";
// The client transport; a static import because a lazy require("../copy") cannot load TypeScript sources under
// vitest, and the module is small (no dependencies beyond the connection types).
import { copyIndex } from "../copy";
import type { Cluster, ClusterConnection } from "../connection/types";
import { progressLine } from "./progress";
import { andQuery, cursorFromAgg, partitionQueries, rangeQuery, runQuery, type Cursor, type Query } from "./queries";
import { reindexRequest, sourceConnection } from "./request";
import { cancelTask, getTask, runningReindexTasks, startReindex, type TaskState } from "./tasks";
import type { PartitionState, ReindexInputs, ReindexResults } from "./types";

export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface RunOptions {
  /** Incremental: where the last complete run stopped (undefined: a full copy). */
  from?: Cursor;
  /** A failed run to continue: its partitions that did not finish run again, with the same window. */
  resume?: ReindexResults & { cursorFrom?: Cursor; cursorTo?: Cursor };
  log: RunLog;
  /** Opens a connection; tests swap it to count requests. Default: the connection layer's `connect`. */
  connect?: (conn: ClusterConnection, role: string) => Cluster;
  /** Poll interval in milliseconds (default 1000) and how often progress is logged (default 10 000). */
  pollMs?: number;
  progressEveryMs?: number;
}

/** A run that stopped early: `results` is what the resource keeps so the next `pulumi up` continues. */
export class ReindexRunError extends Error {
  constructor(message: string, readonly results: ReindexResults & { cursorFrom?: Cursor; cursorTo?: Cursor }) {
    super(message);
    this.name = "ReindexRunError";
  }
}

const MAX_FAILURES = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function count(c: Cluster, index: string, query: Query): Promise<number> {
  const res = await c.request<{ count: number }>({ method: "POST", path: `/${encodeURIComponent(index)}/_count`, body: { query }, idempotent: true });
  return res.count;
}

async function minMax(c: Cluster, index: string, field: string, query: Query): Promise<{ min?: Cursor; max?: Cursor }> {
  const res = await c.request<any>({
    method: "POST",
    path: `/${encodeURIComponent(index)}/_search`,
    body: { size: 0, query, aggs: { min: { min: { field } }, max: { max: { field } } } },
    idempotent: true,
  });
  return { min: cursorFromAgg(res?.aggregations?.min), max: cursorFromAgg(res?.aggregations?.max) };
}

/**
 * The documents a complete run accounts for, on either side: what verification counts. Incremental: the documents
 * with the field up to the watermark (documents without it are copied by the first run only, so they are not
 * counted: a missingField Reindex is the way to follow them).
 */
export function scopeQuery(inputs: ReindexInputs, to: Cursor | undefined): Query {
  if (inputs.mode.type === "incremental") {
    return to === undefined ? andQuery(inputs.source.query) : andQuery(inputs.source.query, rangeQuery(inputs.mode.field, { lte: to.value }, to.date));
  }
  return runQuery(inputs.mode, inputs.source.query);
}

interface Tracked {
  part: PartitionState;
  state?: TaskState;
}

/** Runs the copy described by `inputs` and returns the results; throws ReindexRunError when it stops early. */
export async function runReindex(inputs: ReindexInputs, opts: RunOptions): Promise<ReindexResults & { cursorFrom?: Cursor; cursorTo?: Cursor }> {
  const started = Date.now();
  const deadline = started + inputs.timeout * 1000;
  const open = opts.connect ?? ((conn: ClusterConnection, role: string) => connect(conn, role));
  const srcConn = sourceConnection(inputs);
  const dest = open(inputs.cluster, "destination");
  const src = srcConn === inputs.cluster ? dest : open(srcConn, "source");
  const scrub = (t: string) => redact(redact(t, inputs.cluster), srcConn, [inputs.source.remote?.password, ...Object.values(inputs.source.remote?.headers ?? {})]);
  const what = `reindex ${inputs.source.index} -> ${inputs.destIndex}`;
  const log = { info: (m: string) => opts.log.info(scrub(m)), warn: (m: string) => opts.log.warn(scrub(m)) };

  let cursorFrom: Cursor | undefined;
  let cursorTo: Cursor | undefined;
  let parts: PartitionState[];
  try {
    if (opts.resume !== undefined && opts.resume.partitionStates.some((p) => !p.done)) {
      ({ cursorFrom, cursorTo } = opts.resume);
      parts = opts.resume.partitionStates.map((p) => ({ ...p }));
      log.info(`${what}: continuing the last run (${parts.filter((p) => !p.done).length} of ${parts.length} partition(s) left)`);
    } else {
      cursorFrom = inputs.mode.type === "incremental" ? opts.from : undefined;
      if (inputs.mode.type === "incremental") {
        cursorTo = (await minMax(src, inputs.source.index, inputs.mode.field, andQuery(inputs.source.query))).max ?? cursorFrom;
      }
      const base = runQuery(inputs.mode, inputs.source.query, { from: cursorFrom, to: cursorTo });
      const show = (c: Cursor | undefined) => (c === undefined ? undefined : (c.text ?? String(c.value)));
      const window = inputs.mode.type === "incremental" ? `${inputs.mode.field} ${cursorFrom ? `from ${show(cursorFrom)} ` : ""}up to ${show(cursorTo) ?? "any"}` : inputs.mode.type === "missingField" ? `without ${inputs.mode.field}` : "all documents";
      let plans = [{ query: base, label: window }];
      const p = inputs.partitions;
      if (p !== undefined && p.count > 1 && inputs.transport === "remote") {
        const mm = await minMax(src, inputs.source.index, p.field, base);
        plans = partitionQueries(base, p.field, p.count, mm.min && mm.max ? { min: mm.min.value, max: mm.max.value, date: mm.min.date } : undefined);
      }
      parts = plans.map((pl) => ({ query: pl.query, label: pl.label, done: false, created: 0, updated: 0, versionConflicts: 0, total: 0 }));
    }
  } catch (e) {
    await closeAll(dest, src);
    throw e;
  }

  const results = (status: ReindexResults["status"], failures: string[], extra: Partial<ReindexResults> = {}) => ({
    status,
    taskIds: parts.map((p) => p.taskId).filter((t): t is string => t !== undefined),
    created: parts.reduce((s, p) => s + p.created, 0),
    updated: parts.reduce((s, p) => s + p.updated, 0),
    versionConflicts: parts.reduce((s, p) => s + p.versionConflicts, 0),
    retries: { search: parts.reduce((s, p) => s + (p.retries?.search ?? 0), 0), bulk: parts.reduce((s, p) => s + (p.retries?.bulk ?? 0), 0) },
    failures: failures.slice(0, MAX_FAILURES).map(scrub),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    partitionStates: parts,
    watermark: (status === "complete" ? cursorTo : cursorFrom)?.text ?? (status === "complete" ? cursorTo : cursorFrom)?.value,
    cursorFrom,
    cursorTo,
    ...extra,
  });

  try {
    const failures: string[] = [];
    if (inputs.transport === "client") {
      await clientCopy(inputs, src, dest, parts, deadline, log, what);
    } else {
      // A task still running into this index (an interrupted `pulumi up`) is awaited instead of started again.
      const running = await runningReindexTasks(dest, inputs.destIndex);
      let tracked: Tracked[];
      if (running.length > 0) {
        log.info(`${what}: attaching to the reindex task(s) already running into ${inputs.destIndex}: ${running.join(", ")}`);
        const attached: Tracked[] = running.map((taskId) => ({ part: { query: base0(parts), label: "attached", taskId, done: false, created: 0, updated: 0, versionConflicts: 0, total: 0 } }));
        await poll(dest, attached, deadline, log, what, opts);
        failures.push(...attached.flatMap((t) => t.state?.failures ?? []));
        // What the attached tasks did may cover the plan: if the counts agree, nothing more is started.
        const scope = base0(parts);
        const [s, d] = await Promise.all([count(src, inputs.source.index, scope), refreshAndCount(dest, inputs.destIndex, scope)]);
        if (failures.length === 0 && d >= s) {
          parts = attached.map((t) => t.part);
          tracked = [];
        } else {
          log.info(`${what}: the attached task(s) left ${s - d} document(s) to copy; running the plan`);
          failures.length = 0;
          tracked = await startParts(inputs, dest, parts);
        }
      } else {
        tracked = await startParts(inputs, dest, parts);
        log.info(`${what}: started ${tracked.length} task(s): ${tracked.map((t) => `${t.part.taskId} (${t.part.label})`).join(", ")}`);
      }
      await poll(dest, tracked, deadline, log, what, opts);
      failures.push(...tracked.flatMap((t) => t.state?.failures ?? []));
      const cancelled = tracked.filter((t) => t.state?.canceled !== undefined);
      if (cancelled.length > 0) failures.push(...cancelled.map((t) => `task ${t.part.taskId} was cancelled: ${t.state!.canceled}`));
      if (failures.length > 0) {
        throw new ReindexRunError(`${what} failed; the next pulumi up continues what did not finish. The engine reported ${failures.length} failure(s)${failures.length > MAX_FAILURES ? `, the first ${MAX_FAILURES}` : ""}:\n${failures.slice(0, MAX_FAILURES).map(scrub).join("\n")}`, results("failed", failures));
      }
    }
    if (!inputs.verify) return results("complete", []);
    const scope = scopeQuery(inputs, cursorTo);
    const [sourceCount, destCount] = await Promise.all([count(src, inputs.source.index, scope), refreshAndCount(dest, inputs.destIndex, scope)]);
    const extra: Partial<ReindexResults> = { sourceCount, destCount };
    if (destCount > sourceCount) {
      extra.extraInDestination = destCount - sourceCount;
      log.warn(`${what}: the destination holds ${destCount - sourceCount} document(s) more than the source matches (${destCount} vs ${sourceCount}): documents deleted at the source are never deleted by a reindex`);
    }
    if (destCount < sourceCount) {
      throw new ReindexRunError(
        `${what}: the destination has ${destCount} document(s) where the source has ${sourceCount} after the copy (documents written at the source during the copy, or lost bulk writes); the next pulumi up copies again`,
        results("failed", [`count mismatch: source ${sourceCount}, destination ${destCount}`], extra),
      );
    }
    log.info(`${what}: done, ${sourceCount} document(s) at the source and ${destCount} at the destination`);
    return results("complete", [], extra);
  } catch (e) {
    if (e instanceof ReindexRunError) throw e;
    const message = scrub(e instanceof Error ? e.message : String(e));
    throw new ReindexRunError(`${what} stopped: ${message}; the next pulumi up continues what did not finish`, results("failed", [message]));
  } finally {
    await closeAll(dest, src);
  }
}

function base0(parts: PartitionState[]): Query {
  // The union of the partitions is the run's base query: with one partition it is that query itself.
  return parts.length === 1 ? parts[0].query : { bool: { should: parts.map((p) => p.query), minimum_should_match: 1 } };
}

async function closeAll(dest: Cluster, src: Cluster): Promise<void> {
  await dest.close().catch(() => undefined);
  if (src !== dest) await src.close().catch(() => undefined);
}

async function refreshAndCount(dest: Cluster, index: string, query: Query): Promise<number> {
  await dest.request({ method: "POST", path: `/${encodeURIComponent(index)}/_refresh`, idempotent: true });
  return count(dest, index, query);
}

async function startParts(inputs: ReindexInputs, dest: Cluster, parts: PartitionState[]): Promise<Tracked[]> {
  const todo = parts.filter((p) => !p.done);
  for (const p of todo) {
    const req = reindexRequest(inputs, p.query);
    p.taskId = await startReindex(dest, req.body, req.querystring);
  }
  return todo.map((part) => ({ part }));
}

async function poll(dest: Cluster, tracked: Tracked[], deadline: number, log: RunLog, what: string, opts: RunOptions): Promise<void> {
  const pollMs = opts.pollMs ?? 1000;
  const every = opts.progressEveryMs ?? 10_000;
  const started = Date.now();
  let lastLog = started;
  let rounds = 0;
  while (tracked.some((t) => t.state?.completed !== true)) {
    for (const t of tracked.filter((x) => x.state?.completed !== true)) {
      const s = await getTask(dest, t.part.taskId!);
      t.state = s;
      Object.assign(t.part, { created: s.status.created, updated: s.status.updated, versionConflicts: s.status.version_conflicts, total: s.status.total, retries: { search: s.status.retries?.search ?? 0, bulk: s.status.retries?.bulk ?? 0 } });
      t.part.done = s.completed && s.failures.length === 0 && s.canceled === undefined;
    }
    if (tracked.every((t) => t.state?.completed === true)) break;
    if (Date.now() - lastLog >= every) {
      lastLog = Date.now();
      const done = tracked.reduce((s, t) => s + (t.state ? t.state.status.created + t.state.status.updated + t.state.status.deleted + t.state.status.version_conflicts + t.state.status.noops : 0), 0);
      const total = tracked.reduce((s, t) => s + (t.state?.status.total ?? 0), 0);
      log.info(progressLine(what, { done, total, elapsedSeconds: (Date.now() - started) / 1000 }));
    }
    if (Date.now() > deadline) {
      throw new Error(`the resource's timeout passed with task(s) ${tracked.filter((t) => !t.part.done).map((t) => t.part.taskId).join(", ")} still running; they go on, and the next pulumi up attaches to them (raise timeout for a longer copy)`);
    }
    // Short waits first (a small copy ends in a second or two), then every pollMs.
    await sleep(Math.min(pollMs, 100 * 2 ** Math.min(rounds++, 10)));
  }
}

async function clientCopy(inputs: ReindexInputs, src: Cluster, dest: Cluster, parts: PartitionState[], deadline: number, log: RunLog, what: string): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("the resource's timeout passed during the client copy")), Math.max(0, deadline - Date.now()));
  const started = Date.now();
  let lastLog = started;
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
        batchSize: inputs.source.size,
        opType: inputs.opType,
        conflicts: inputs.conflicts,
        requestsPerSecond: inputs.requestsPerSecond,
        keepFailures: MAX_FAILURES,
        signal: controller.signal,
        onProgress: (p) => {
          if (Date.now() - lastLog < 10_000) return;
          lastLog = Date.now();
          log.info(progressLine(`${what} (client)`, { done: p.docs, total: p.total ?? 0, elapsedSeconds: (Date.now() - started) / 1000 }));
        },
      });
      Object.assign(part, { created: res.created, updated: res.updated, versionConflicts: res.versionConflicts, total: res.docs, retries: { search: 0, bulk: res.retries } });
      if (res.failed > 0) {
        throw new ReindexRunError(`${what} (client) failed for ${res.failed} document(s); the next pulumi up copies again. The first ${res.failures.length}:\n${res.failures.join("\n")}`, {
          status: "failed",
          taskIds: [],
          created: res.created,
          updated: res.updated,
          versionConflicts: res.versionConflicts,
          retries: { search: 0, bulk: res.retries },
          failures: res.failures,
          durationSeconds: (Date.now() - started) / 1000,
          partitionStates: parts,
        });
      }
      part.done = true;
    }
  } finally {
    clearTimeout(timer);
  }
}

export { cancelTask };
