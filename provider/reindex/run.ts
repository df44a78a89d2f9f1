// One run of a Reindex: plan the window and partitions, attach to or start the tasks, poll with progress, then
// verify (counts, id sets or content), repair what differs and apply the deletes policy. Used by create and update;
// the provider (./provider) only decides what kind of run is needed. Each phase has its module: ./plan, ./remote-copy
// (with ./oversize-recovery), ./client-copy, over the context of ./copier.
import { connect } from "../connection/client";
import { redact } from "../connection/redact";
import type { Cluster, ClusterConnection } from "../connection/types";
import { tryReadWriteMarks, type Verification, type WriteMarks } from "../verify";
import { restoreChangedSettings } from "./changed-settings";
import { clientCopy } from "./client-copy";
import { MAX_FAILURES, type Copier, type RunLog, type RunOptions } from "./copier";
import { failureGroups, type FailureItem } from "./failures";
import { rememberIds } from "./oversize";
import { chooseBatch, chooseVersioning, planRun, type Plan } from "./plan";
import { MAX_REFUSED, recordRefused, refusedMessage } from "./refused";
import { remoteCopy } from "./remote-copy";
import { startEarlyComparison, verifyCopy, VerifyStop, type SinceLastRun } from "./repair";
import { sourceConnection } from "./request";
import type { Cursors, PartitionState, ReindexInputs, ReindexResults } from "./types";
export type { RunLog, RunOptions } from "./copier";

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
      now,
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

/** Copies the plan's partitions that are not done (remote tasks or the client transport); returns the failures. */
function copyParts(c: Copier, plan: { parts: PartitionState[] }): Promise<string[]> {
  return c.inputs.transport === "client" ? clientCopy(c, plan.parts) : remoteCopy(c, plan);
}

async function closeAll(dest: Cluster, src: Cluster): Promise<void> {
  await dest.close().catch(() => undefined);
  if (src !== dest) await src.close().catch(() => undefined);
}

const refusedIn = (c: Copier, part: PartitionState) => [...c.refused.values()].some((r) => r.part === part);
