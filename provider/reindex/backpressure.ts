// Backpressure for remote reindex tasks. Under a storm of 429s (the destination's write queue full, its heap under
// pressure, or the source answering "too many requests" through a proxy between the clusters) a reindex task retries
// each rejected page with a backoff, and after its retries it fails. The engine counts those retries in the task's
// status (`retries.bulk` writing, `retries.search` reading); when they grow, the copy slows the task with
// `POST _reindex/<task>/_rethrottle` (half the rate it ran at, then half again while they keep growing, never below
// MIN_RATE), and says so in its progress lines, instead of letting the task fail on the next rejection. A task that
// went on without retries for a while is let faster again, by doubling, up to the rate it was started with.
// The second lever is the number of tasks: while the destination pushes back, fewer of this process's tasks run into
// it at once (TaskSlots); partitions whose task has not started yet wait for a running one to end.
import type { Cluster } from "../connection/types";
import { MIN_RATE, SETTLE_MS } from "../copy/throttle";
import type { TaskStatus } from "./tasks";

export { MIN_RATE, SETTLE_MS };

/** What one look at a task gives the decision. */
export interface PressureSample {
  /** Bulk and search retries the task counted so far. */
  retries: number;
  /** The task's rate now (documents a second); undefined or not finite: unthrottled. */
  rate?: number;
  /** Documents the task processed a second since it started (what an unthrottled task ran at). */
  measured: number;
  at: number;
}

/** Per task: what the last look saw and what the copy did about it. */
export interface PressureState {
  retries: number;
  changedAt: number;
  /** The rate the task was started with (undefined: unthrottled): never raised above it. */
  startRate?: number;
  /** The rate the task ran at before the first slow-down: past it, an unthrottled task is unthrottled again. */
  slowedFrom?: number;
}

/** A change of a task's rate: to `rate`, and why. */
export interface RateChange {
  rate: number;
  why: string;
}

/** A task's rate when it has one (the engine says -1, or Infinity, for unthrottled). Pure. */
const throttledAt = (rate: number | undefined) =>
  rate !== undefined && Number.isFinite(rate) && rate > 0 ? rate : undefined;

/** The rate to set after this look, or undefined to leave the task as it is. Pure. */
export function nextRate(s: PressureState, now: PressureSample): RateChange | undefined {
  if (now.at - s.changedAt < SETTLE_MS) return undefined;
  const current = throttledAt(now.rate);
  const grew = now.retries - s.retries;
  if (grew > 0) {
    const from = current ?? Math.max(now.measured, MIN_RATE * 2);
    const rate = Math.max(MIN_RATE, Math.floor(from / 2));
    if (current !== undefined && rate >= current) return undefined;
    return { rate, why: `${grew} page(s) rejected with 429 and retried since the last look` };
  }
  if (current === undefined || (s.startRate !== undefined && current >= s.startRate)) return undefined;
  const why = `no page rejected for ${Math.round((now.at - s.changedAt) / 1000)}s`;
  const ceiling = s.startRate ?? s.slowedFrom ?? Number.POSITIVE_INFINITY;
  // Back to where it started: the start rate, or unthrottled (Infinity) for a task started without one.
  if (current * 2 >= ceiling) return { rate: s.startRate ?? Number.POSITIVE_INFINITY, why };
  return { rate: current * 2, why };
}

/** Sets a running task's rate (`-1`: unthrottled). */
export async function rethrottle(dest: Cluster, taskId: string, rate: number): Promise<void> {
  await dest.request({
    method: "POST",
    path: `/_reindex/${encodeURIComponent(taskId)}/_rethrottle`,
    querystring: { requests_per_second: Number.isFinite(rate) ? rate : -1 },
    idempotent: true,
  });
}

/**
 * How many of this process's reindex tasks run into one destination at once (every copy into it shares one: the
 * indices of a migration run in parallel). No limit while the destination takes what it is sent. When a task's
 * retries grow, the limit drops to half the tasks running then (at least one), and again at most every SETTLE_MS
 * while rejections go on; once no task saw one for SETTLE_MS it doubles, and is lifted when it reaches the count it
 * started from. Running tasks are never stopped: the partitions not started yet wait until a task ends.
 */
export class TaskSlots {
  running = 0;
  /** Tasks at once at most; undefined: no limit. */
  limit: number | undefined;
  /** Tasks running when the limit was set: back there, the limit is lifted. */
  private from = 0;
  private changedAt = Number.NEGATIVE_INFINITY;
  private pushedAt = Number.NEGATIVE_INFINITY;

  /** Takes a slot for a task about to start; false while the limit is reached. */
  take(): boolean {
    if (this.limit !== undefined && this.running >= this.limit) return false;
    this.running++;
    return true;
  }

  /** A task ended (or did not start). */
  release(): void {
    this.running = Math.max(0, this.running - 1);
  }

  /** A task's retries grew: fewer tasks at once. Returns the line that says so when the limit changed. */
  pushedBack(now: number): string | undefined {
    this.pushedAt = now;
    if (now - this.changedAt < SETTLE_MS) return undefined;
    const next = Math.max(1, Math.floor((this.limit ?? this.running) / 2));
    if (this.limit !== undefined && next >= this.limit) return undefined;
    if (this.limit === undefined) this.from = Math.max(this.running, 2);
    this.limit = next;
    this.changedAt = now;
    return `at most ${next} task(s) at once into this destination while it pushes back (${this.running} running): partitions not started yet wait for a running task to end`;
  }

  /** A look at a task saw no new retries: after SETTLE_MS without any, more tasks at once again. */
  quiet(now: number): string | undefined {
    if (this.limit === undefined) return undefined;
    if (now - this.changedAt < SETTLE_MS || now - this.pushedAt < SETTLE_MS) return undefined;
    this.changedAt = now;
    const doubled = this.limit * 2;
    const idle = `no page rejected for ${Math.round((now - this.pushedAt) / 1000)}s`;
    if (doubled >= this.from) {
      this.limit = undefined;
      return `as many tasks at once into this destination as the copies ask again (${idle})`;
    }
    this.limit = doubled;
    return `up to ${doubled} task(s) at once into this destination again (${idle})`;
  }
}

const slotsByDestination = new Map<string, TaskSlots>();

/** The task slots of this process for the destination `dest` stands for (by its label: its address). */
export function taskSlots(dest: Cluster): TaskSlots {
  let slots = slotsByDestination.get(dest.label);
  if (slots === undefined) slotsByDestination.set(dest.label, (slots = new TaskSlots()));
  return slots;
}

/** One run's backpressure over its tasks: `observe` after every look at a task. */
export class Backpressure {
  private readonly tasks = new Map<string, PressureState>();

  constructor(
    private readonly dest: Cluster,
    private readonly say: (m: string) => void,
    private readonly what: string,
    /** The destination's task slots: told of every look, to start fewer tasks at once under pushback. */
    private readonly slots?: TaskSlots,
  ) {}

  async observe(taskId: string, sample: PressureSample & { startedAt: number }): Promise<void> {
    let s = this.tasks.get(taskId);
    if (s === undefined) {
      const startRate = throttledAt(sample.rate);
      // The first look is the baseline: retries before it are judged at the next (the task may be an attached one).
      this.tasks.set(taskId, { retries: sample.retries, changedAt: sample.startedAt, startRate });
      return;
    }
    const fewer = sample.retries > s.retries ? this.slots?.pushedBack(sample.at) : this.slots?.quiet(sample.at);
    if (fewer !== undefined) this.say(`${this.what}: ${fewer}`);
    const change = nextRate(s, sample);
    if (change === undefined) {
      s.retries = Math.max(s.retries, sample.retries);
      return;
    }
    try {
      await rethrottle(this.dest, taskId, change.rate);
    } catch {
      // The task ended meanwhile: nothing to slow.
      return;
    }
    const before = throttledAt(sample.rate);
    const slower = before === undefined || change.rate < before;
    const to = Number.isFinite(change.rate) ? `${change.rate} docs/s` : "its full rate (unthrottled)";
    this.say(
      `${this.what}: ${slower ? "slowed" : "let faster"} task ${taskId} to ${to} (${change.why})${slower ? ": the destination or the source is pushing back, the copy goes on slower instead of failing" : ""}`,
    );
    s = {
      ...s,
      retries: sample.retries,
      changedAt: sample.at,
      slowedFrom: s.slowedFrom ?? (slower ? (before ?? sample.measured) : undefined),
    };
    this.tasks.set(taskId, s);
  }
}

/** What one look at a task's status gives, for a task polled since `startedAt`. Pure. */
export function pressureSample(
  s: TaskStatus,
  startedAt: number,
  at: number = Date.now(),
): PressureSample & { startedAt: number } {
  const processed = s.created + s.updated + s.version_conflicts + s.noops;
  return {
    retries: (s.retries?.bulk ?? 0) + (s.retries?.search ?? 0),
    rate: s.requests_per_second,
    measured: processed / Math.max(1, (at - startedAt) / 1000),
    at,
    startedAt,
  };
}
