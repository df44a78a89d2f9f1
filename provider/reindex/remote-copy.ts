// The remote transport within a run: one reindex task per partition run by the destination, attached to when one
// is already running, started as the destination's task slots allow, polled with progress until each ended, and
// started again after pages too large (./oversize-recovery) or documents the destination refuses (./refused).
import { countIndex, refreshIndex } from "../finish/ops";
import { sleep } from "../shared/poll";
import { Backpressure, pressureSample, taskSlots, type TaskSlots } from "./backpressure";
import { isChunkTooLarge } from "./batch-size";
import { taskQuery, type Copier, type Tracked } from "./copier";
import { isRefusedDocument } from "./failures";
import { copyKnownOversize, recoverChunkTooLarge, skipCopied } from "./oversize-recovery";
import { progressLine } from "./progress";
import type { Query } from "./queries";
import { MAX_REFUSED } from "./refused";
import { reindexRequest } from "./request";
import { getTask, runningReindexTasks, startReindex } from "./tasks";
import type { PartitionState } from "./types";

/** Copies the plan's partitions that are not done through remote tasks; returns the failures. */
export async function remoteCopy(c: Copier, plan: { parts: PartitionState[] }): Promise<string[]> {
  const { inputs, dest, log, what } = c;
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
    await poll(c, attached);
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
    const eased = waiting.length > 0 ? slots.quiet(c.now()) : undefined;
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
    await poll(c, tracked, {
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
      const startedAt = c.now();
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

/** What poll does beside looking at the tasks: partitions that wait for a task slot (see runParts). */
interface Queue {
  waiting(): number;
  /** A task of `tracked` ended. */
  ended(t: Tracked): void;
  /** Starts the waiting partitions the slots allow now (pushed onto `tracked`). */
  startMore(): Promise<void>;
}

async function poll(c: Copier, tracked: Tracked[], queue?: Queue): Promise<void> {
  const { dest, deadline, log, what, opts } = c;
  const pollMs = opts.pollMs ?? 1000;
  const every = opts.progressEveryMs ?? 10_000;
  const started = c.now();
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
      else await pressure.observe(t.part.taskId!, pressureSample(s.status, t.startedAt ?? started, c.now()));
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
    if (c.now() - lastLog >= every) {
      lastLog = c.now();
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
      const line = progressLine(what, { done, total, elapsedSeconds: (c.now() - started) / 1000 });
      log.info(waiting() > 0 ? `${line}; ${waitingLine(waiting(), taskSlots(dest))}` : line);
    }
    if (c.now() > deadline) {
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
