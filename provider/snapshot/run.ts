// One run of a SnapshotMigration: register the repository on both sides, take (or attach to) the snapshot, restore
// what the destination does not hold yet with load settings, then per index the catch-up (a Reindex run from the
// snapshot's start minus the look-back) and its verification, and the final settings. Every step finds what an
// interrupted run left (a running or finished snapshot, restored indices) and goes on from there.
import { connect } from "../connection/client";
import { redact } from "../connection/redact";
import type { Cluster } from "../connection/types";
import { countIndex, refreshIndex } from "../finish/ops";
import { fieldTypes, externalVersioningWorks } from "../reindex/rules";
import type { Cursor } from "../reindex/queries";
import { ReindexRunError, runReindex, type RunLog, type RunResults } from "../reindex/run";
import { pollUntil } from "../shared/poll";
import {
  type SnapshotInfo,
  deleteSnapshot,
  flatSettings,
  getSnapshot,
  indexSizes,
  putSettings,
  registerRepository,
  restoreProgress,
  snapshotProgress,
  startRestore,
  startSnapshot,
} from "./ops";
import { repositorySecrets } from "./repository";
import type {
  SnapshotIndexResult,
  SnapshotMigrationInputs,
  SnapshotMigrationOutputs,
  SnapshotMigrationResults,
} from "./types";
import { catchUpInputs, renamed } from "./validate";

/** Settings of the restored indices while the catch-up writes (the restore's index_settings). */
export const LOAD_SETTINGS = { "index.number_of_replicas": 0, "index.refresh_interval": "-1" };
/** The settings a restored index gets back from the source's once loaded (null: the engine's default). */
const FINAL_KEYS = ["index.number_of_replicas", "index.refresh_interval"];

export interface SnapshotRunOptions {
  log: RunLog;
  /** The state of the last run: a complete one only catches up, a failed one continues. */
  olds?: SnapshotMigrationOutputs;
  pollMs?: number;
  progressEveryMs?: number;
}

/** A run that stopped early: `results` is what the resource keeps so the next `pulumi up` continues. */
export class SnapshotRunError extends Error {
  constructor(
    message: string,
    readonly results: SnapshotMigrationResults,
  ) {
    super(message);
    this.name = "SnapshotRunError";
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

/** The text `t` with every credential of the inputs removed (connections, repository keys, the remote's password). */
export function scrubber(i: Partial<SnapshotMigrationInputs>): (t: string) => string {
  const secrets = [
    ...repositorySecrets(i.repository),
    i.sourceRemote?.password,
    ...Object.values(i.sourceRemote?.headers ?? {}),
  ];
  return (t) => redact(redact(t, i.source ?? {}, secrets), i.destination ?? {}, secrets);
}

/** The first value of the catch-up's window: the snapshot's start, as the field holds it (a date, or a number of epoch ms). */
async function startCursor(src: Cluster, index: string, field: string, startMs: number): Promise<Cursor> {
  const body = await src.request({
    method: "GET",
    path: `/${encodeURIComponent(index)}/_mapping/field/${encodeURIComponent(field)}`,
    ignore: [404],
  });
  const types = [...fieldTypes(body, field).values()];
  const date = types.length === 0 || types.every((t) => t === "date" || t === "date_nanos");
  return date ? { value: startMs, text: new Date(startMs).toISOString(), date: true } : { value: startMs, date: false };
}

interface Context {
  i: SnapshotMigrationInputs;
  src: Cluster;
  dest: Cluster;
  log: RunLog;
  opts: SnapshotRunOptions;
  deadline: number;
}

/** Takes the snapshot, or attaches to this resource's snapshot when one is running or done; returns its start and duration. */
async function snapshotPhase(c: Context): Promise<{ startMs: number; seconds: number }> {
  const { i, src, log } = c;
  const what = `snapshot ${i.snapshot} of ${i.indices.join(", ")}`;
  let info = await getSnapshot(src, i.repository.name, i.snapshot);
  const sameIndices = (s: string[]) => [...s].sort().join(",") === [...i.indices].sort().join(",");
  if (
    info !== undefined &&
    (info.state === "FAILED" || info.state === "PARTIAL" || (info.state === "SUCCESS" && !sameIndices(info.indices)))
  ) {
    log.info(
      `${what}: the repository holds a snapshot of that name (${info.state}, of ${info.indices.join(", ")}) this run cannot use: deleting it and taking it again`,
    );
    await deleteSnapshot(src, i.repository.name, i.snapshot);
    info = undefined;
  }
  const t0 = Date.now();
  if (info === undefined) {
    log.info(`${what}: starting in repository ${i.repository.name} (${i.repository.type})`);
    await startSnapshot(src, i.repository.name, i.snapshot, i.indices);
  } else if (info.state === "IN_PROGRESS")
    log.info(`${what}: attaching to the snapshot already running (an interrupted pulumi up started it)`);
  else log.info(`${what}: already taken (${info.state}): restoring from it`);
  info = await pollUntil({
    read: () => getSnapshot(src, i.repository.name, i.snapshot),
    done: (s): s is SnapshotInfo => s !== undefined && s.state !== "IN_PROGRESS",
    deadline: c.deadline,
    intervalMs: c.opts.pollMs ?? 1000,
    onTimeout: () =>
      new Error(`${what}: still running at the deadline (timeout ${i.timeout}s); the next pulumi up attaches to it`),
    progress: {
      everyMs: c.opts.progressEveryMs ?? 10_000,
      report: async () => {
        const p = await snapshotProgress(src, i.repository.name, i.snapshot).catch(() => undefined);
        if (p !== undefined)
          log.info(`${what}: ${p.shardsDone} / ${p.shards} shards, ${mb(p.bytesDone)} / ${mb(p.bytes)}`);
      },
    },
  });
  if (info.state !== "SUCCESS") {
    throw new Error(
      `${what} ended ${info.state}${info.failures.length > 0 ? `: ${info.failures.slice(0, 5).join("; ")}` : ""}; the next pulumi up deletes it and takes it again`,
    );
  }
  const startMs = info.startMs ?? t0;
  return { startMs, seconds: seconds((info.endMs ?? Date.now()) - startMs) };
}

/** Restores the indices the destination does not hold yet, with load settings, and waits for their shards. */
async function restorePhase(c: Context, destIndices: string[]): Promise<number> {
  const { i, dest, log } = c;
  const what = `restore of ${i.snapshot} into ${destIndices.join(", ")}`;
  const present = new Set(Object.keys(await flatSettings(dest, destIndices)));
  const todo = i.indices.filter((x) => !present.has(renamed(x, i.rename)));
  const t0 = Date.now();
  if (todo.length < i.indices.length)
    log.info(`${what}: ${[...present].join(", ")} already restored (an earlier run): waiting for their shards`);
  if (todo.length > 0) {
    log.info(`${what}: restoring ${todo.join(", ")} with ${JSON.stringify(LOAD_SETTINGS)} while loading`);
    await startRestore(dest, i.repository.name, i.snapshot, {
      indices: todo,
      rename: i.rename,
      indexSettings: LOAD_SETTINGS,
    });
  }
  await pollUntil({
    read: () => restoreProgress(dest, destIndices),
    done: (p) => p.shards > 0 && p.shardsDone === p.shards,
    deadline: c.deadline,
    intervalMs: c.opts.pollMs ?? 1000,
    onTimeout: () =>
      new Error(
        `${what}: shards still recovering at the deadline (timeout ${i.timeout}s); the next pulumi up waits for them`,
      ),
    progress: {
      everyMs: c.opts.progressEveryMs ?? 10_000,
      report: (p) => log.info(`${what}: ${p.shardsDone} / ${p.shards} shards, ${mb(p.bytesDone)} / ${mb(p.bytes)}`),
    },
  });
  return seconds(Date.now() - t0);
}

/** Runs the migration described by `i`; throws SnapshotRunError (with what it did) when it stops early. */
export async function runSnapshotMigration(
  i: SnapshotMigrationInputs,
  opts: SnapshotRunOptions,
): Promise<SnapshotMigrationResults> {
  const scrub = scrubber(i);
  const log: RunLog = { info: (m) => opts.log.info(scrub(m)), warn: (m) => opts.log.warn(scrub(m)) };
  const src = connect(i.source, "source");
  const dest = connect(i.destination, "destination");
  const c: Context = { i, src, dest, log, opts, deadline: Date.now() + i.timeout * 1000 };
  const olds = opts.olds;
  const restored = olds?.status === "complete" && olds.snapshotName === i.snapshot;
  const results: SnapshotMigrationResults = {
    status: "failed",
    snapshotName: i.snapshot,
    snapshotStartMs: olds?.snapshotStartMs,
    snapshotStartedAt: olds?.snapshotStartedAt,
    indexResults: olds?.indexResults ?? [],
    durations: olds?.durations ?? { snapshotSeconds: 0, restoreSeconds: 0, catchUpSeconds: 0 },
    verified: false,
    catchUpStates: { ...(olds?.catchUpStates ?? {}) },
    failures: [],
  };
  const destIndices = i.indices.map((x) => renamed(x, i.rename));
  try {
    const [srcInfo, destInfo] = await Promise.all([src.info(), dest.info()]);
    const before = restored ? undefined : await indexSizes(src, i.indices);
    if (!restored) {
      await registerRepository(src, i.repository, "source");
      await registerRepository(dest, i.repository, "destination");
      const snap = await snapshotPhase(c);
      Object.assign(results, {
        snapshotStartMs: snap.startMs,
        snapshotStartedAt: new Date(snap.startMs).toISOString(),
      });
      results.durations = { ...results.durations, snapshotSeconds: snap.seconds };
      results.durations.restoreSeconds = await restorePhase(c, destIndices);
      log.info(`snapshot ${i.snapshot}: taken in ${snap.seconds}s, restored in ${results.durations.restoreSeconds}s`);
    }
    const sourceSettings = await flatSettings(src, i.indices);
    const rows: SnapshotIndexResult[] = [];
    const t0 = Date.now();
    // The restored indices hold the source's documents with their versions: the catch-up writes with them.
    const versioning = externalVersioningWorks(srcInfo, destInfo, undefined) ? "external" : "internal";
    for (const index of i.indices) {
      const destIndex = renamed(index, i.rename);
      const old = olds?.indexResults.find((r) => r.index === index);
      await refreshIndex(dest, destIndex);
      const restoredCount = restored && old !== undefined ? old.restoredCount : await countIndex(dest, destIndex);
      const last = results.catchUpStates[destIndex];
      const inputs = catchUpInputs(i, index);
      let run: RunResults;
      try {
        if (last?.status === "failed")
          run = await runReindex(inputs, {
            log,
            resume: last,
            from: last.cursorFrom,
            versioning: last.versioning ?? versioning,
          });
        else if (i.catchUp !== undefined) {
          const from = last?.cursorTo ?? (await startCursor(src, index, i.catchUp.field, results.snapshotStartMs!));
          const lastRun =
            last?.verification !== undefined &&
            last.sourceMarks &&
            last.destMarks &&
            last.verification.level === i.verify &&
            i.verify !== "count"
              ? { sourceMarks: last.sourceMarks, destMarks: last.destMarks, extraKept: last.verification.extraKept }
              : undefined;
          run = await runReindex(inputs, { log, from, versioning: last?.versioning ?? versioning, lastRun });
        } else run = await runReindex(inputs, { log, verifyOnly: true, versioning: last?.versioning ?? versioning });
      } catch (e) {
        if (e instanceof ReindexRunError) results.catchUpStates[destIndex] = e.results;
        throw e;
      }
      results.catchUpStates[destIndex] = run;
      const settings = sourceSettings[index] ?? {};
      await putSettings(
        dest,
        destIndex,
        Object.fromEntries(FINAL_KEYS.map((k) => [k.slice("index.".length), settings[k] ?? null])),
      );
      const v = run.verification;
      rows.push({
        index,
        destIndex,
        sizeBytes: before?.[index]?.bytes ?? old?.sizeBytes ?? 0,
        restoredCount,
        sourceCount: v?.sourceCount ?? run.sourceCount ?? 0,
        destCount: v?.destCount ?? run.destCount ?? 0,
        caughtUp: (old?.caughtUp ?? 0) + run.created + run.updated,
        // runReindex returns only when its verification passed (what differed repaired); else it throws.
        verified: v !== undefined,
        ...(v !== undefined ? { verification: v } : {}),
      });
    }
    results.durations.catchUpSeconds = seconds(Date.now() - t0);
    Object.assign(results, { status: "complete", indexResults: rows, verified: rows.every((r) => r.verified) });
    return results;
  } catch (e) {
    const message = scrub(e instanceof Error ? e.message : String(e));
    results.failures = [message];
    throw new SnapshotRunError(
      `snapshot migration ${i.snapshot}: ${message}${/next pulumi up/.test(message) ? "" : "; the next pulumi up continues from where it stopped"}`,
      results,
    );
  } finally {
    await dest.close().catch(() => undefined);
    await src.close().catch(() => undefined);
  }
}
