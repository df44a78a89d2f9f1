// What a preview says a copy will take. Per index: fixed seconds (starting the tasks, polling, refresh and counts,
// verification's own reads) plus the documents and their bytes over a rate, both fitted from the runs the index has
// had (kept in its state, `copyRuns`), or the documented defaults before any run. A small run's time is mostly the
// fixed part, so it teaches the fixed seconds and barely moves the rate: a big copy after it is not estimated from
// the small run's documents per second. Pure; tested in test/unit/copy-estimate.test.ts.
import { duration } from "../reindex/progress";

/**
 * Fixed seconds of a run before any was measured: planning reads, a task's start and the polls that see it finish,
 * the refresh and counts after it, and the fixed reads of verification. Incremental runs of 1,250-3,125 documents
 * took 0.5-0.65 s on an idle 2-core machine (the benchmarks, docs/benchmarks.md), 0.1-0.2 s of it for the documents.
 */
export const DEFAULT_FIXED_SECONDS = 0.45;
/**
 * Documents per second of the default rate, for documents of no size (the per-document cost). With the bytes below,
 * small documents (about 60 stored bytes) copy at about 15,500 per second: the demo's 200,000 documents in 16.5 s
 * of copy time over its 4 indices on engines that had been running a while, two copying at once as
 * ClusterMigration's default `concurrency` has it, each run verified by ids (idle 2-core machine, remote reindex
 * ES 7.10 -> OpenSearch 2.19). Engines started a moment before copy their first seconds at about half this rate.
 */
export const DEFAULT_DOCS_PER_SECOND = 20_000;
/** Source store bytes (primaries, compressed) per second of the default rate, on top of the per-document cost. */
export const DEFAULT_BYTES_PER_SECOND = 4 * 1024 * 1024;
/** Runs an index keeps for its estimates (the newest). */
export const RUNS_KEPT = 6;
/**
 * How far one run's time strays from the model, as a share of it: runs of the same work on a shared machine differ
 * by about this much. Every run counts by its relative error, so a small run and a big one weigh alike.
 */
const RUN_SPREAD = 0.3;
/**
 * How far the fixed seconds may lie from the expected ones before runs say so, as a share of them: weak enough that
 * one small run sets them, strong enough that one big run (which cannot tell them from the rate) leaves them.
 */
const FIXED_SPREAD = 2;
/**
 * How far the rate may lie from the default before runs say so: a factor of ten (as a natural logarithm). Weak on
 * purpose: one big run sets the rate; the default only decides what a run of a few documents cannot.
 */
const RATE_SPREAD = Math.log(10);
/** Speed factors a fit may reach (against the default rate): a run that looked infinitely fast says nothing. */
const SCALE_RANGE = [0.05, 50] as const;
/** Speed factors tried between the ends of SCALE_RANGE (evenly on a log scale: about 1% apart). */
const SCALE_STEPS = 700;

/** One run of a copy, as the estimates learn from it. */
export interface CopyRun {
  /** Documents the run wrote (created + updated). */
  documents: number;
  /** Source store bytes (primaries) of those documents when the run ended; absent when the size was not known. */
  bytes?: number;
  /** The run's time, start to verified (Reindex's durationSeconds). */
  seconds: number;
}

/** The rate an estimate used: the fitted model of the index, or the default. Kept in state as `copyRate`. */
export interface CopyRate {
  /** Documents per second at the index's average document size (the variable part of the model). */
  docsPerSecond: number;
  /** Source store bytes per second (primaries) at that size, 0 when the source's size was not known. */
  bytesPerSecond: number;
  /** True: fitted on this index's runs; false: the default model. */
  measured: boolean;
  /** Seconds every run takes whatever it copies. Absent in state written before the fixed part existed. */
  fixedSeconds?: number;
  /** Runs the model was fitted on (0: the default). Absent in state written before the fit existed. */
  runs?: number;
}

/** What the next run moves and how long it should take. */
export interface CopyEstimate {
  documents: number;
  /** Source store bytes (primaries) of those documents, from the index's average document size; 0 when unknown. */
  bytes: number;
  seconds: number;
  rate: CopyRate;
}

/** The size of a source index: top-level documents (`_count`, as users count them) and the primaries' store bytes. */
export interface IndexSize {
  docs: number;
  bytes: number;
}

/** A fitted model: fixed seconds and a speed factor over the default rate's seconds (2: twice as slow). */
export interface CopyModel {
  fixedSeconds: number;
  scale: number;
  runs: number;
}

export const DEFAULT_MODEL: CopyModel = { fixedSeconds: DEFAULT_FIXED_SECONDS, scale: 1, runs: 0 };

export function bytesPerDocument(size: IndexSize | undefined): number {
  return size === undefined || size.docs <= 0 ? 0 : size.bytes / size.docs;
}

/** Seconds the default rate gives `documents` of `bytes`: the variable part of a run before any fit. */
export function defaultWorkSeconds(documents: number, bytes: number): number {
  return documents / DEFAULT_DOCS_PER_SECOND + bytes / DEFAULT_BYTES_PER_SECOND;
}

/**
 * The run a copy's results describe, for the estimates; undefined when its time says nothing of what a copy takes:
 * no time, or a verification that read both whole indices after copying less than half of one (a repair or a
 * verify-only run: its time follows the index's size, not the documents it wrote).
 */
export function copyRunOf(
  results: {
    created?: number;
    updated?: number;
    durationSeconds?: number;
    verification?: { method?: string; sourceCount?: number };
  },
  size: IndexSize | undefined,
): CopyRun | undefined {
  const documents = (results.created ?? 0) + (results.updated ?? 0);
  const seconds = results.durationSeconds ?? 0;
  if (!(seconds > 0) || !(documents >= 0)) return undefined;
  const v = results.verification;
  if (v?.method === "full" && documents < 0.5 * (v.sourceCount ?? 0)) return undefined;
  const bytes = Math.round(documents * bytesPerDocument(size));
  return size === undefined || size.docs <= 0 ? { documents, seconds } : { documents, bytes, seconds };
}

/** The runs kept after `run`: the newest RUNS_KEPT. */
export function recordRun(runs: readonly CopyRun[] | undefined, run: CopyRun | undefined): CopyRun[] {
  const all = [...(runs ?? []), ...(run === undefined ? [] : [run])];
  return all.slice(-RUNS_KEPT);
}

/**
 * The runs a copy's state holds: `copyRuns`, or for state written before them, its last run when that wrote
 * documents (the only timing such state kept).
 */
export function runsInState(
  state: (Parameters<typeof copyRunOf>[0] & { copyRuns?: CopyRun[] }) | undefined,
): CopyRun[] {
  if (state === undefined) return [];
  if (Array.isArray(state.copyRuns)) return state.copyRuns;
  const last = copyRunOf(state, undefined);
  return last !== undefined && last.documents > 0 ? [last] : [];
}

/**
 * The fixed seconds expected before the runs tell them, for a copy `scale` times slower than the default rate: the
 * default's, grown with the square root of the slowdown. Part of the fixed time is requests that wait on a busy or
 * distant cluster like the documents do; part is the polls' fixed schedule and the client's own work, which do not.
 */
export function expectedFixedSeconds(scale: number): number {
  return DEFAULT_FIXED_SECONDS * Math.sqrt(Math.max(1, scale));
}

/**
 * Fits fixed seconds and a speed factor to the runs: the model (fixed + scale x default-rate seconds) closest to
 * every run's time, each run counted by its relative error (RUN_SPREAD), pulled toward what is expected before any
 * run: the fixed seconds toward expectedFixedSeconds (FIXED_SPREAD), the speed factor toward the
 * default (give or take a factor of ten, RATE_SPREAD). So one big run sets the rate and leaves the fixed part near
 * the expected one; one small run sets the fixed part and barely moves the rate; runs of different sizes set both.
 * The fixed part is at most the fastest run's time. Searched over speed factors (the fixed part that fits best at
 * each is a weighted mean), so it always answers, whatever the runs.
 */
export function fitModel(runs: readonly CopyRun[], bytesPerDoc: number): CopyModel {
  const points = runs
    .filter((r) => r.seconds > 0 && r.documents >= 0)
    .map((r) => ({ x: defaultWorkSeconds(r.documents, r.bytes ?? r.documents * bytesPerDoc), y: r.seconds }));
  if (points.length === 0) return DEFAULT_MODEL;
  const fastest = Math.min(...points.map((p) => p.y));
  const weights = points.map((p) => 1 / (RUN_SPREAD * p.y) ** 2);
  const weightSum = weights.reduce((s, w) => s + w, 0);
  let best = { cost: Infinity, fixedSeconds: 0, scale: 1 };
  const [lo, hi] = SCALE_RANGE.map(Math.log);
  for (let k = 0; k <= SCALE_STEPS; k++) {
    const scale = Math.exp(lo + ((hi - lo) * k) / SCALE_STEPS);
    const expected = expectedFixedSeconds(scale);
    const fixedWeight = 1 / (FIXED_SPREAD * expected) ** 2;
    const beyond = points.reduce((s, p, i) => s + weights[i] * (p.y - scale * p.x), 0);
    const fixedSeconds = Math.min(fastest, Math.max(0, (beyond + fixedWeight * expected) / (weightSum + fixedWeight)));
    const cost =
      points.reduce((s, p, i) => s + weights[i] * (p.y - fixedSeconds - scale * p.x) ** 2, 0) +
      fixedWeight * (fixedSeconds - expected) ** 2 +
      (Math.log(scale) / RATE_SPREAD) ** 2;
    if (cost < best.cost) best = { cost, fixedSeconds, scale };
  }
  return { fixedSeconds: round(best.fixedSeconds, 2), scale: best.scale, runs: points.length };
}

/** The parts of an estimate: the fixed seconds, the documents' and the bytes' (for the benchmark's reports). */
export function estimateParts(
  model: CopyModel,
  documents: number,
  bytes: number,
): { fixed: number; documents: number; bytes: number } {
  return {
    fixed: model.fixedSeconds,
    documents: (model.scale * documents) / DEFAULT_DOCS_PER_SECOND,
    bytes: (model.scale * bytes) / DEFAULT_BYTES_PER_SECOND,
  };
}

/** The rate a model gives documents of an index's size, as users read it. */
export function rateOf(model: CopyModel, size: IndexSize | undefined): CopyRate {
  const perDoc = model.scale * defaultWorkSeconds(1, bytesPerDocument(size));
  const docsPerSecond = 1 / perDoc;
  return {
    docsPerSecond: Math.round(docsPerSecond),
    bytesPerSecond: Math.round(docsPerSecond * bytesPerDocument(size)),
    measured: model.runs > 0,
    fixedSeconds: model.fixedSeconds,
    runs: model.runs,
  };
}

/** What copying `documents` of the index takes, from the runs it has had (none: the default model). */
export function estimateCopy(
  documents: number,
  size: IndexSize | undefined,
  runs: readonly CopyRun[] = [],
): CopyEstimate {
  const bpd = bytesPerDocument(size);
  const model = fitModel(runs, bpd);
  const bytes = Math.round(documents * bpd);
  const seconds = model.fixedSeconds + model.scale * defaultWorkSeconds(documents, bytes);
  return { documents, bytes, seconds: round(seconds, 2), rate: rateOf(model, size) };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const n = (x: number) => Math.round(x).toLocaleString("en-US");

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${seconds.toFixed(2)}s` : seconds < 10 ? `${seconds.toFixed(1)}s` : duration(seconds);
}

/**
 * "2,500 document(s) (1.2 MB) to copy, about 3.1s at 800 docs/s plus 1.0s fixed (fitted on this index's 2 runs)"
 */
export function describeEstimate(e: CopyEstimate): string {
  const size = e.bytes > 0 ? ` (${formatBytes(e.bytes)})` : "";
  const fixed = e.rate.fixedSeconds === undefined ? "" : ` plus ${formatSeconds(e.rate.fixedSeconds)} fixed`;
  const runs = e.rate.runs ?? (e.rate.measured ? 1 : 0);
  const basis = runs > 0 ? `fitted on this index's ${runs} run(s)` : "the default model: no run yet";
  return `${n(e.documents)} document(s)${size} to copy, about ${formatSeconds(e.seconds)} at ${n(e.rate.docsPerSecond)} docs/s${fixed} (${basis})`;
}

export interface EstimateTotal {
  indices: number;
  documents: number;
  bytes: number;
  seconds: number;
}

/** Adds one index's estimate to a running total (a new object). */
export function addEstimate(total: EstimateTotal | undefined, e: CopyEstimate): EstimateTotal {
  const t = total ?? { indices: 0, documents: 0, bytes: 0, seconds: 0 };
  return {
    indices: t.indices + 1,
    documents: t.documents + e.documents,
    bytes: t.bytes + e.bytes,
    seconds: round(t.seconds + e.seconds, 2),
  };
}

/** "3 indices, 7,500 documents (3.6 MB), about 9.3s one after another" */
export function describeTotal(t: EstimateTotal): string {
  const size = t.bytes > 0 ? ` (${formatBytes(t.bytes)})` : "";
  return `${t.indices} ${t.indices === 1 ? "index" : "indices"}, ${n(t.documents)} document(s)${size}, about ${formatSeconds(t.seconds)} one after another`;
}
