// What a run copies, decided before anything is copied: how it writes (versioning), its window and partitions (or
// those of the failed run it continues), and the page size its remote tasks start with.
import type { Cluster } from "../connection/types";
import { countIndex } from "../finish/ops";
import { DEFAULT_REMOTE_SIZE, startingBatch, type IndexBytes, type RemoteBatch } from "./batch-size";
import type { RunLog, RunOptions } from "./copier";
import { choosePartitionCount, readPartitionRange } from "./partitions";
import { andQuery, cursorFromAgg, partitionQueries, runQuery, type Cursor, type Query } from "./queries";
import { externalVersioningWorks } from "./rules";
import type { PartitionCount, PartitionState, ReindexInputs, Versioning } from "./types";
import { lookbackUnits, nextWatermark, windowLabel, windowQuery, windowStart } from "./window";

async function minMax(c: Cluster, index: string, field: string, query: Query): Promise<{ min?: Cursor; max?: Cursor }> {
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

/** What the run is about to copy: its partitions and its window. */
export interface Plan {
  parts: PartitionState[];
  cursorFrom?: Cursor;
  cursorTo?: Cursor;
  /** Partitions without a count: the count chosen (or kept from an earlier run). */
  partitionCount?: PartitionCount;
}

export async function planRun(
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

/** The page size a run starts with (./batch-size startingBatch), from the source's size on disk when it decides. */
export async function chooseBatch(
  inputs: ReindexInputs,
  src: Cluster,
  opts: RunOptions,
  log: RunLog,
): Promise<RemoteBatch> {
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
