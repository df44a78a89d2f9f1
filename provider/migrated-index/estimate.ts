// What a preview says a copy will take. Per index: fixed seconds (starting the tasks, polling, refresh and counts,
// verification's own reads) plus the documents and their bytes over a rate, both fitted from the runs the index has
// had (kept in its state, `copyRuns`), or the documented defaults before any run. A small run's time is mostly the
// fixed part, so it teaches the fixed seconds and barely moves the rate: a big copy after it is not estimated from
// the small run's documents per second. Pure; tested in test/unit/copy-estimate.test.ts.
import { duration } from "../reindex/progress";

/**
 * Fixed seconds of a run before any was measured: a task's start and the polls that see it finish (every second),
 * the refresh and counts after it, and the fixed reads of verification. Incremental runs of 2,500 documents took
 * 0.5-1.1 s in the benchmarks (docs/migrations.md, "Speed"), about 0.2 s of it for the documents.
 */
export const DEFAULT_FIXED_SECONDS = 0.6;
/**
 * Documents per second of the default rate, for documents of no size (the per-document cost). With the bytes below,
 * small documents (about 55 stored bytes) copy at about 16,000 per second: the demo's 200,000 documents in 16.6 s
 * of copy time over its 4 indices, two copying at once as ClusterMigration's default `concurrency` has it, each
 * run verified by ids (2-core machine, remote reindex ES 7.10 -> OpenSearch 2.19).
 */
export const DEFAULT_DOCS_PER_SECOND = 20_000;
/** Source store bytes (primaries, compressed) per second of the default rate, on top of the per-document cost. */
export const DEFAULT_BYTES_PER_SECOND = 4 * 1024 * 1024;
/** Runs an index keeps for its estimates (the newest). */
export const RUNS_KEPT = 6;
/**
 * How much the default rate counts against measured runs: as much as a run whose documents take this many seconds
 * at the default rate. Any run of a few thousand documents outweighs it; a run of a few documents barely moves the
 * rate. (At 1 s, an index of 10,000 documents on a machine eight times slower than the default was still estimated
 * at half its time after its first run.)
 */
export const PRIOR_WORK_SECONDS = 0.25;
/** Speed factors a fit may reach (against the default rate): a run that looked infinitely fast says nothing. */
const SCALE_RANGE = [0.05, 50] as const;

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
 * Fits fixed seconds and a speed factor to the runs. Runs that differ enough in size show a straight line through
 * (default-rate seconds, measured seconds): its intercept is the fixed part (when the slope is positive and the fixed
 * part no longer than the fastest run), and the speed factor is the runs' time beyond it over their default-rate
 * seconds. Runs of one size cannot tell the fixed part from the rate: the default model's shape is scaled to them
 * (a slow cluster answers the fixed part's requests slowly too), the fixed part at most the fastest run. Either way
 * the default counts as one run of PRIOR_WORK_SECONDS' work, so a run of a few documents barely moves the rate.
 */
export function fitModel(runs: readonly CopyRun[], bytesPerDoc: number): CopyModel {
  const points = runs
    .filter((r) => r.seconds > 0 && r.documents >= 0)
    .map((r) => ({ x: defaultWorkSeconds(r.documents, r.bytes ?? r.documents * bytesPerDoc), y: r.seconds }));
  if (points.length === 0) return DEFAULT_MODEL;
  const fastest = Math.min(...points.map((p) => p.y));
  const sum = (f: (p: { x: number; y: number }) => number) => points.reduce((s, p) => s + f(p), 0);
  const beyond = (fixed: number) =>
    (sum((p) => Math.max(0, p.y - fixed)) + PRIOR_WORK_SECONDS) / (sum((p) => p.x) + PRIOR_WORK_SECONDS);
  const model = (fixedSeconds: number, scale: number): CopyModel => ({
    fixedSeconds: round(fixedSeconds, 2),
    scale: Math.min(SCALE_RANGE[1], Math.max(SCALE_RANGE[0], scale)),
    runs: points.length,
  });
  const line = straightLine(points);
  if (line !== undefined && line.slope > 0 && line.intercept >= 0 && line.intercept <= fastest)
    return model(line.intercept, beyond(line.intercept));
  const prior = DEFAULT_FIXED_SECONDS + PRIOR_WORK_SECONDS;
  const scale = (sum((p) => p.y) + prior) / (sum((p) => DEFAULT_FIXED_SECONDS + p.x) + prior);
  if (DEFAULT_FIXED_SECONDS * scale <= fastest) return model(DEFAULT_FIXED_SECONDS * scale, scale);
  return model(fastest, beyond(fastest));
}

/** Least squares over runs whose sizes differ at least threefold (else the line says nothing of the fixed part). */
function straightLine(points: { x: number; y: number }[]): { slope: number; intercept: number } | undefined {
  if (points.length < 2) return undefined;
  const xs = points.map((p) => p.x);
  if (Math.max(...xs) < 3 * Math.min(...xs) + 1e-9 || Math.max(...xs) <= 0) return undefined;
  const n = points.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
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
