// A scripted cutover: catch up with the stack's `up` until the delta is small, block writes at the source, copy the
// final delta with the package's own copy (the run the Reindex provider makes, no Pulumi engine inside the freeze),
// verify the destination against the frozen source, restore a MigratedIndex's final settings (its finish), move the
// aliases in one `_aliases` call, record the destination as live, then record the final copy in the stack with one
// `up`. Any failure inside the freeze lifts the blocks it put and leaves the aliases where they were. See
// docs/automation.md.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { connect } from "../provider/connection/client";
import type { Cluster } from "../provider/connection/types";
import { aliasHolders, countIndex, isConcreteIndex, refreshIndex } from "../provider/finish/ops";
import { aliasMoveActions } from "../provider/finish/plan";
import { compareIndices, firstIds } from "../provider/verify";
import { finishAfterCopy, runFinalFinish } from "../provider/migrated-index/final-copy";
import type { MigrationFinishInputs } from "../provider/finish/types";
import { runFinalDelta, runsWithFinal } from "../provider/reindex/final-delta";
import {
  FINAL_RESULTS_ENV,
  runFingerprint,
  type FinalResult,
  type FinalResults,
} from "../provider/reindex/final-result";
import type { RunResults } from "../provider/reindex/run";
import { FINAL_COPY_ENV, readRecord, writeRecord } from "../provider/shared/live-destination";
import { isWriteBlocked, liftWriteBlock, putWriteBlock } from "./blocks";
import { anotherCatchUp, documentsCopied, finalDeltaRefusal } from "./catch-up";
import { copyOutputsOf, finalCopyOf, standingVerification, type Deployment, type FinalCopy } from "./copies";
import { copyKey, findingsByCopy, plannedChanges } from "./preview";
import type {
  CutoverIndex,
  CutoverIndexReport,
  CutoverOptions,
  CutoverPhase,
  CutoverPlan,
  CutoverReport,
  PlannedIndex,
} from "./types";
import { validateCutover, type ValidCutover } from "./validate";

/** A cutover that failed after its options were valid; the message says what state everything is in. */
export class CutoverError extends Error {
  constructor(
    message: string,
    /** The phase that failed. */
    readonly phase: CutoverPhase,
    /** What was done until then (blocks, timings, what verification found). */
    readonly report: CutoverReport,
    /** Write blocks the cutover put and could not lift (lift them by hand: the message says how). */
    readonly stillBlocked: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CutoverError";
  }
}

/** A failure the cutover found itself (not a thrown request error): its message is the whole story. */
class CutoverCheckFailed extends Error {}

interface Clusters {
  src: Cluster;
  dest: Cluster;
}

function connectBoth(valid: ValidCutover): Clusters {
  return { src: connect(valid.source, "source"), dest: connect(valid.destination, "destination") };
}

async function closeBoth(c: Clusters): Promise<void> {
  await Promise.allSettled([c.src.close(), c.dest.close()]);
}

/** Every index exists where it should and no alias name is taken by an index; returns the source's current blocks. */
async function preflight(c: Clusters, indices: CutoverIndex[]): Promise<Map<string, boolean>> {
  const blocked = new Map<string, boolean>();
  const problems: string[] = [];
  for (const entry of indices) {
    if (!(await isConcreteIndex(c.src, entry.sourceIndex)))
      problems.push(`source index "${entry.sourceIndex}" does not exist at ${c.src.label}`);
    else blocked.set(entry.sourceIndex, await isWriteBlocked(c.src, entry.sourceIndex));
    if (!(await isConcreteIndex(c.dest, entry.destIndex)))
      problems.push(
        `destination index "${entry.destIndex}" does not exist at ${c.dest.label}: run the stack's up first (it creates it), or fix the name`,
      );
    const live = await readRecord(c.dest, entry.destIndex);
    if (live !== undefined)
      problems.push(
        `destination index "${entry.destIndex}" was cut over already (at ${live.at}): it is live, and no cutover copies into it again`,
      );
    if (entry.alias !== undefined && (await isConcreteIndex(c.dest, entry.alias))) {
      problems.push(
        `alias "${entry.alias}" is the name of an index at ${c.dest.label}: an alias cannot take an index's name; choose another alias or reindex that index away first`,
      );
    }
  }
  if (problems.length > 0)
    throw new CutoverCheckFailed(
      `preflight found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  return blocked;
}

/** The alias moves of every index that names one: the `_aliases` actions and where each alias is now. */
async function aliasMoves(
  dest: Cluster,
  indices: CutoverIndex[],
): Promise<Map<string, { from: string[]; actions: object[] }>> {
  const out = new Map<string, { from: string[]; actions: object[] }>();
  for (const entry of indices) {
    if (entry.alias === undefined) continue;
    const { actions, movedFrom } = aliasMoveActions(
      entry.alias,
      entry.destIndex,
      await aliasHolders(dest, entry.alias),
    );
    out.set(entry.destIndex, { from: movedFrom, actions });
  }
  return out;
}

/**
 * A dry run: what `cutover` would do, with nothing blocked, copied or moved. Runs the stack's `preview` and reads,
 * from its engine events, the documents waiting per index; reads each alias's current holders.
 */
export async function planCutover(opts: CutoverOptions): Promise<CutoverPlan> {
  const valid = validateCutover(opts);
  const c = connectBoth(valid);
  try {
    const blocked = await preflight(c, valid.indices);
    const { events, findings } = await previewFindings(opts.stack, opts.onOutput);
    const moves = await aliasMoves(c.dest, valid.indices);
    const indices: PlannedIndex[] = valid.indices.map((entry) => {
      const found = findings.get(copyKey(entry.sourceIndex, entry.destIndex));
      const move = moves.get(entry.destIndex);
      return {
        sourceIndex: entry.sourceIndex,
        destIndex: entry.destIndex,
        documentsWaiting: found?.documentsWaiting,
        previewLines: found?.lines ?? [],
        alreadyBlocked: blocked.get(entry.sourceIndex) === true,
        ...(entry.alias !== undefined
          ? { alias: { name: entry.alias, from: move!.from, actions: move!.actions } }
          : {}),
      };
    });
    return { indices, changes: plannedChanges(events), steps: planSteps(valid, indices) };
  } finally {
    await closeBoth(c);
  }
}

/** A preview of the stack: its engine events and, per copy, what its providers reported. */
async function previewFindings(stack: Stack, onOutput?: (text: string) => void) {
  const events: EngineEvent[] = [];
  await stack.preview({ onEvent: (e) => events.push(e), onOutput });
  return { events, findings: findingsByCopy(events) };
}

/** With maxFinalDelta, a preview counts what the final copy would move; above the bound, nothing may be blocked. */
async function finalDeltaCheck(
  stack: Stack,
  valid: ValidCutover,
  catchUps: (number | undefined)[],
  onOutput: ((text: string) => void) | undefined,
  progress: (line: string) => void,
): Promise<void> {
  if (valid.maxFinalDelta === undefined) return;
  const { findings } = await previewFindings(stack, onOutput);
  const waiting = valid.indices.map((i) => {
    const copy = copyKey(i.sourceIndex, i.destIndex);
    return { copy, documents: findings.get(copy)?.documentsWaiting ?? 0 };
  });
  const refusal = finalDeltaRefusal(waiting, valid, catchUps);
  if (refusal !== undefined) throw new CutoverCheckFailed(refusal);
  const total = waiting.reduce((sum, w) => sum + w.documents, 0);
  progress(
    `final copy: ${total.toLocaleString("en-US")} document(s) wait, within maxFinalDelta ${valid.maxFinalDelta.toLocaleString("en-US")}`,
  );
}

function planSteps(valid: ValidCutover, indices: PlannedIndex[]): string[] {
  const steps: string[] = [];
  const waiting = indices.reduce((sum, i) => sum + (i.documentsWaiting ?? 0), 0);
  if (valid.catchUp)
    steps.push(
      `catch-up up: copy the ${waiting.toLocaleString("en-US")} document(s) the preview counts as waiting, writes still open; then more catch-up ups (at most ${valid.maxCatchUps} in all) while what each copies keeps shrinking and is above ${valid.smallDelta.toLocaleString("en-US")}`,
    );
  if (valid.maxFinalDelta !== undefined)
    steps.push(
      `a preview counts what the final copy would move: above maxFinalDelta ${valid.maxFinalDelta.toLocaleString("en-US")} document(s) the cutover stops there, nothing blocked`,
    );
  const toBlock = indices.filter((i) => !i.alreadyBlocked).map((i) => i.sourceIndex);
  if (toBlock.length > 0) steps.push(`block writes (index.blocks.write: true) on source ${toBlock.join(", ")}`);
  steps.push(
    "final copy: what arrived since the last catch-up, with the source frozen, by each copy's own run in this process (a pulumi up when some copy's state cannot be run that way: docs/automation.md)",
  );
  steps.push(`verify (${valid.verify}) each destination index against its frozen source`);
  steps.push("finish (a MigratedIndex's or a group member's copy): its final settings restored, as its next up would");
  for (const i of indices) {
    if (i.alias === undefined) continue;
    if (i.alias.actions.length === 0)
      steps.push(`alias ${i.alias.name}: already on ${i.destIndex} only, nothing to move`);
    else
      steps.push(
        `move alias ${i.alias.name} to ${i.destIndex}${i.alias.from.length > 0 ? ` (from ${i.alias.from.join(", ")})` : " (no index holds it now)"}`,
      );
  }
  steps.push("record each destination index as live (its mapping _meta)");
  if (!valid.keepSourceBlocked) steps.push("lift the write blocks it put");
  steps.push("record up: a pulumi up that writes the final copy's results into the stack's state, copying nothing");
  return steps;
}

/** Verifies one destination index against its frozen source; throws CutoverCheckFailed on a difference. */
async function verifyIndex(
  c: Clusters,
  entry: CutoverIndex,
  level: ValidCutover["verify"],
  out: CutoverIndexReport,
): Promise<void> {
  const query = entry.query ?? { match_all: {} };
  const what = `${entry.sourceIndex} -> ${entry.destIndex}`;
  if (level === "count") {
    const [s, d] = await Promise.all([
      countIndex(c.src, entry.sourceIndex, query),
      countIndex(c.dest, entry.destIndex, query),
    ]);
    Object.assign(out, { sourceCount: s, destCount: d });
    if (d < s)
      throw new CutoverCheckFailed(
        `verification (count) of ${what} failed: the destination holds ${d} document(s), the frozen source ${s}`,
      );
    return;
  }
  const diff = await compareIndices(c.src, c.dest, {
    sourceIndex: entry.sourceIndex,
    destIndex: entry.destIndex,
    query,
    level,
  });
  Object.assign(out, {
    sourceCount: diff.sourceCount,
    destCount: diff.destCount,
    missing: diff.missing.length,
    differing: diff.differing.length,
    extra: diff.extra.length,
  });
  const found: string[] = [];
  if (diff.missing.length > 0)
    found.push(
      `${diff.missing.length} source document(s) missing at the destination (first: ${firstIds(diff.missing).join(", ")})`,
    );
  if (diff.differing.length > 0)
    found.push(`${diff.differing.length} with other content (first: ${firstIds(diff.differing).join(", ")})`);
  if (found.length > 0) throw new CutoverCheckFailed(`verification (${level}) of ${what} failed: ${found.join("; ")}`);
}

const now = () => Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

/** What the final copy uses per index: the state after the last catch-up. */
interface StackCopies {
  /** The exported deployment after the last catch-up. */
  deployment: Deployment;
  /** Per destination index, the state the final copy runs from; undefined when some copy cannot run in this process. */
  finals?: Map<string, FinalCopy>;
}

async function exportDeployment(stack: Stack): Promise<Deployment> {
  return ((await stack.exportStack()).deployment ?? {}) as Deployment;
}

/** Every index's final copy, or undefined when some index's copy cannot run in this process (see finalCopyOf). */
function finalCopiesOf(deployment: Deployment, indices: CutoverIndex[]): Map<string, FinalCopy> | undefined {
  const out = new Map<string, FinalCopy>();
  for (const entry of indices) {
    const final = finalCopyOf(deployment, entry);
    if (final === undefined) return undefined;
    out.set(entry.destIndex, final);
  }
  return out;
}

/**
 * Cuts the indices over from the source to the destination (see CutoverOptions). Resolves to a report with the
 * measured write-freeze window; rejects with CutoverConfigError (bad options, nothing touched) or CutoverError
 * (its message says which blocks were lifted and where each alias is).
 */
export async function cutover(opts: CutoverOptions): Promise<CutoverReport> {
  const valid = validateCutover(opts);
  const stack: Stack = opts.stack;
  const progress = opts.onProgress ?? (() => {});
  const report: CutoverReport = {
    verify: valid.verify,
    indices: valid.indices.map((i) => ({
      sourceIndex: i.sourceIndex,
      destIndex: i.destIndex,
      blockedByCutover: false,
    })),
    phases: {},
    freezeMs: 0,
    sourceBlocked: false,
    catchUps: [],
    finalCopyBy: "library",
  };
  const byDest = new Map(report.indices.map((r) => [r.destIndex, r]));
  const blockedAtMs = new Map<string, number>();
  const putBlocks: string[] = [];
  const c = connectBoth(valid);
  let phase: CutoverPhase = "preflight";
  const step = async (name: CutoverPhase, work: () => Promise<void>) => {
    phase = name;
    const start = now();
    await work();
    report.phases[name] = (report.phases[name] ?? 0) + now() - start;
    await opts.onPhase?.(name);
  };
  const up = async (what: string, env: Record<string, string>) => {
    const vars = stack.workspace.envVars;
    Object.assign(vars, env);
    const result = await stack.up({ onOutput: opts.onOutput }).finally(() => {
      for (const key of Object.keys(env)) delete vars[key];
    });
    const changes = (result.summary.resourceChanges ?? {}) as Record<string, number>;
    progress(
      `${what}: ${
        Object.entries(changes)
          .map(([op, n]) => `${n} ${op}`)
          .join(", ") || "no changes"
      }`,
    );
    return changes;
  };
  // The providers of a final copy by `up` copy while this cutover holds the source's block (or found it blocked):
  // without the flag they stop for a frozen source, taking it for a cutover done by hand.
  const finalCopyEnv = { [FINAL_COPY_ENV]: JSON.stringify(valid.indices.map((i) => i.destIndex)) };
  const copiesIn = (d: Deployment) => valid.indices.map((entry) => copyOutputsOf(d, entry));

  try {
    let alreadyBlocked = new Map<string, boolean>();
    let copies: StackCopies = { deployment: {} };
    const checkFinalDelta = () => finalDeltaCheck(stack, valid, report.catchUps, opts.onOutput, progress);
    await step("preflight", async () => {
      alreadyBlocked = await preflight(c, valid.indices);
      if (!valid.catchUp) {
        copies = { deployment: await exportDeployment(stack) };
        await checkFinalDelta();
      }
    });
    if (valid.catchUp) {
      await step("catch-up", async () => {
        let before = await exportDeployment(stack);
        while (anotherCatchUp(report.catchUps, valid)) {
          const pass = report.catchUps.length + 1;
          progress(`catch-up up ${pass}: copying what waits while writes are still open`);
          await up(`catch-up up ${pass}`, finalCopyEnv);
          const after = await exportDeployment(stack);
          const [was, is] = [copiesIn(before), copiesIn(after)];
          const copied = documentsCopied(is.map((a, i) => ({ before: was[i], after: a })));
          report.catchUps.push(copied);
          progress(
            `catch-up up ${pass} copied ${copied === undefined ? "an unknown number of" : copied.toLocaleString("en-US")} document(s)`,
          );
          before = after;
        }
        copies = { deployment: before };
        await checkFinalDelta();
      });
    }
    copies.finals = finalCopiesOf(copies.deployment, valid.indices);
    if (copies.finals === undefined) {
      report.finalCopyBy = "up";
      progress(
        "some index's copy is not one Reindex, MigratedIndex or group member whose copy ran before (e.g. a SnapshotMigration's index): the final copy runs as a pulumi up inside the freeze",
      );
    }
    await step("block", async () => {
      for (const entry of valid.indices) {
        if (alreadyBlocked.get(entry.sourceIndex) === true) {
          progress(`source ${entry.sourceIndex} is write-blocked already: left as it is`);
        } else {
          await putWriteBlock(c.src, entry.sourceIndex);
          putBlocks.push(entry.sourceIndex);
          byDest.get(entry.destIndex)!.blockedByCutover = true;
        }
        blockedAtMs.set(entry.destIndex, now());
        byDest.get(entry.destIndex)!.blockedAt = iso(blockedAtMs.get(entry.destIndex)!);
        // Writes acknowledged before the block become visible to the final copy's scroll.
        await refreshIndex(c.src, entry.sourceIndex);
      }
      progress(`writes blocked on source ${valid.indices.map((i) => i.sourceIndex).join(", ")}`);
    });
    // Per destination index, the final copy's results (library) to verify against and record in the stack.
    const finalResults = new Map<string, RunResults>();
    // Per destination index, the finish a MigratedIndex's copy was followed by (its state, to record).
    const finishes = new Map<string, NonNullable<FinalResult["finish"]>>();
    await step("final-copy", async () => {
      const finals = copies.finals;
      if (finals === undefined) {
        report.stackChanges = await up("final up", finalCopyEnv);
        copies.deployment = await exportDeployment(stack);
        return;
      }
      const log = { info: progress, warn: (m: string) => progress(`warning: ${m}`) };
      await Promise.all(
        valid.indices.map(async (entry) => {
          const results = await runFinalDelta(finals.get(entry.destIndex)!.copy, log);
          if (results === undefined) return;
          finalResults.set(entry.destIndex, results);
          byDest.get(entry.destIndex)!.finalCopied = results.created + results.updated;
        }),
      );
      progress(
        `final copy: ${valid.indices.map((i) => `${i.destIndex} +${byDest.get(i.destIndex)!.finalCopied ?? 0}`).join(", ")}`,
      );
    });
    await step("verify", async () => {
      for (const entry of valid.indices) {
        const out = byDest.get(entry.destIndex)!;
        const final = copies.finals?.get(entry.destIndex);
        const copy =
          final === undefined
            ? copyOutputsOf(copies.deployment, entry)
            : { ...final.copy, ...finalResults.get(entry.destIndex) };
        const standing = await standingVerification(c.src, c.dest, entry, valid.verify, copy);
        if (standing !== undefined) {
          // Repaired differences are at the destination now: what stands is the copy's verified state.
          Object.assign(out, {
            verifiedBy: "final-copy",
            sourceCount: standing.sourceCount,
            destCount: standing.destCount,
            missing: 0,
            differing: 0,
            extra: standing.extraKept,
          });
          continue;
        }
        out.verifiedBy = "cutover";
        await refreshIndex(c.dest, entry.destIndex);
        await verifyIndex(c, entry, valid.verify, out);
      }
      progress(`verified (${valid.verify}): ${valid.indices.map((i) => i.destIndex).join(", ")}`);
    });
    // A MigratedIndex's update finishes after its copy: the final settings (ingest pipelines held off during the
    // load, refresh interval, replicas) are back before the alias lets the application write. A few requests.
    const toFinish = finishesDue(copies.finals, finalResults);
    if (toFinish.size > 0)
      await step("finish", async () => {
        await Promise.all(
          [...toFinish].map(async ([destIndex, inputs]) => finishes.set(destIndex, await runFinalFinish(inputs))),
        );
        progress(`finished (final settings restored): ${[...toFinish.keys()].join(", ")}`);
      });
    await step("alias", async () => {
      const moves = await aliasMoves(c.dest, valid.indices);
      const actions = [...moves.values()].flatMap((m) => m.actions);
      if (actions.length > 0) await c.dest.request({ method: "POST", path: "/_aliases", body: { actions } });
      const movedAt = now();
      for (const entry of valid.indices) {
        const out = byDest.get(entry.destIndex)!;
        const endMs =
          entry.alias !== undefined
            ? movedAt
            : blockedAtMs.get(entry.destIndex)! +
              (report.phases["final-copy"] ?? 0) +
              (report.phases.verify ?? 0) +
              (report.phases.finish ?? 0);
        if (entry.alias !== undefined) {
          out.aliasMovedAt = iso(movedAt);
          out.alias = { name: entry.alias, from: moves.get(entry.destIndex)!.from };
        }
        out.freezeMs = endMs - blockedAtMs.get(entry.destIndex)!;
      }
      const moved = valid.indices.filter((i) => i.alias !== undefined).map((i) => `${i.alias} -> ${i.destIndex}`);
      if (moved.length > 0) progress(`aliases moved: ${moved.join(", ")}`);
    });
    const recorded = await recordCutovers(c.dest, valid.indices, byDest, progress);
    report.freezeMs = Math.max(...report.indices.map((i) => i.freezeMs ?? 0));
    report.sourceBlocked = true;
    if (!valid.keepSourceBlocked && recorded) {
      if (putBlocks.length > 0)
        await step("unblock", async () => {
          for (const index of putBlocks) await liftWriteBlock(c.src, index);
          progress(`write block lifted on source ${putBlocks.join(", ")}`);
        });
      // Blocks someone else put stay.
      report.sourceBlocked = [...alreadyBlocked.values()].some((b) => b);
    }
    if (report.finalCopyBy === "library" && finalResults.size > 0)
      await step("record-up", () => recordInStack(copies.finals!, finalResults, finishes, up, report, progress));
    return report;
  } catch (err) {
    throw await failed(err, phase, report, putBlocks, c, valid);
  } finally {
    await closeBoth(c);
  }
}

/** Per destination index, the finish its MigratedIndex (or group member) runs after the final copy's results. */
function finishesDue(
  finals: Map<string, FinalCopy> | undefined,
  results: Map<string, RunResults>,
): Map<string, MigrationFinishInputs> {
  const due = new Map<string, MigrationFinishInputs>();
  for (const [destIndex, r] of results) {
    const migration = finals?.get(destIndex)?.migration;
    const inputs = migration === undefined ? undefined : finishAfterCopy(migration, r);
    if (inputs !== undefined) due.set(destIndex, inputs);
  }
  return due;
}

/**
 * The `up` that records the final copy in the stack, as if it had run in that `up`: each Reindex's (or MigratedIndex's)
 * provider reads its results (and the finish that followed) from the file FINAL_RESULTS_ENV names and writes them
 * into the state, changing nothing at the destination (live by now). A failure here does not undo the cutover: it is
 * reported (stackRecorded false).
 */
async function recordInStack(
  finals: Map<string, FinalCopy>,
  finalResults: Map<string, RunResults>,
  finishes: Map<string, NonNullable<FinalResult["finish"]>>,
  up: (what: string, env: Record<string, string>) => Promise<Record<string, number>>,
  report: CutoverReport,
  progress: (line: string) => void,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "es-migrate-cutover-"));
  const file = path.join(dir, "final-results.json");
  try {
    const results: FinalResults = {};
    for (const [destIndex, r] of finalResults) {
      const { copy } = finals.get(destIndex)!;
      // The estimates' runs with this one recorded, as the update would (a read of the source's sizes).
      const copyRuns = await runsWithFinal(copy, r);
      results[destIndex] = {
        after: runFingerprint(copy),
        results: { ...r, copyRuns },
        finish: finishes.get(destIndex),
      };
    }
    fs.writeFileSync(file, JSON.stringify(results), { mode: 0o600 });
    report.stackChanges = await up("record up (the final copy into the stack's state)", { [FINAL_RESULTS_ENV]: file });
    report.stackRecorded = true;
  } catch (e) {
    report.stackRecorded = false;
    progress(
      `could not record the final copy in the stack (${(e as Error).message}); the cutover stands: the destination is recorded as live, so the next up plans nothing for its copy`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Records in each destination index's mapping `_meta` that it is live, so no later up, refresh or destroy of the
 * stack writes to it on the copy's behalf (docs/automation.md, "Lifecycle"). After the aliases moved, a failure here
 * does not undo the cutover: it is reported, the source blocks stay, and the fix is named. True when all were written.
 */
async function recordCutovers(
  dest: Cluster,
  indices: CutoverIndex[],
  byDest: Map<string, CutoverIndexReport>,
  progress: (line: string) => void,
): Promise<boolean> {
  let all = true;
  for (const entry of indices) {
    const out = byDest.get(entry.destIndex)!;
    const at = out.aliasMovedAt ?? iso(now());
    try {
      out.recordedAt = (await writeRecord(dest, entry.destIndex, { at, by: "cutover" }))?.at;
    } catch (e) {
      all = false;
      progress(
        `could not record the cutover of ${entry.destIndex} (${(e as Error).message}); the source stays write-blocked. Record it in the program: phase: "cutover-done" on its resources, then run up`,
      );
    }
  }
  if (all)
    progress(
      `recorded as cut over (mapping _meta): ${indices.map((i) => i.destIndex).join(", ")}; later ups no longer copy into them`,
    );
  return all;
}

/** Undoes the blocks the cutover put and builds the error that says where everything is. */
async function failed(
  err: unknown,
  phase: CutoverPhase,
  report: CutoverReport,
  putBlocks: string[],
  c: Clusters,
  valid: ValidCutover,
): Promise<CutoverError> {
  const cause = err instanceof Error ? err.message : String(err);
  const lines = [`cutover failed during ${phase}: ${cause}`, "State now:"];
  const stillBlocked: string[] = [];
  const lifted: string[] = [];
  for (const index of putBlocks) {
    try {
      await liftWriteBlock(c.src, index);
      lifted.push(index);
    } catch (e) {
      stillBlocked.push(index);
      lines.push(
        `  - source ${index} is STILL write-blocked (lifting failed: ${(e as Error).message}); lift it with PUT /${index}/_settings {"index.blocks.write": null}`,
      );
    }
  }
  if (lifted.length > 0) lines.push(`  - write block lifted on source ${lifted.join(", ")}: writes are accepted again`);
  if (putBlocks.length === 0) lines.push("  - no write block was put: the source accepted writes throughout");
  report.sourceBlocked = stillBlocked.length > 0;
  for (const entry of valid.indices) {
    if (entry.alias === undefined) continue;
    const holders = await aliasHolders(c.dest, entry.alias).then(
      (h) => Object.keys(h),
      () => undefined,
    );
    const where =
      holders === undefined
        ? "could not be read"
        : holders.length === 0
          ? "is on no index"
          : `is on ${holders.join(", ")}`;
    lines.push(
      `  - alias ${entry.alias} ${where}${phase === "alias" ? " (as read after the failed _aliases call, which is all-or-nothing)" : phase === "unblock" ? " (moved)" : " (not moved)"}`,
    );
  }
  if (phase === "unblock") lines.push("  - the cutover itself stands: the destination is recorded as live");
  else if (phase !== "preflight" && phase !== "block") {
    lines.push(
      "  - the destination keeps what the cutover copied (the stack's next up copies its window again, skipping what is there); run the cutover again once the cause is fixed",
    );
  }
  return new CutoverError(lines.join("\n"), phase, report, stillBlocked, { cause: err });
}
