// What a preview says a copy will take: documents and bytes to move, and a duration from the copy rate this index's
// last run measured (kept in its state), or DEFAULT_DOCS_PER_SECOND before any run. Pure, but for the running
// total per pair of clusters that this provider process keeps (one process serves every resource of a command).
import { duration } from "../reindex/progress";

/**
 * The rate a first copy is estimated with: 20,000 documents per second. The reindex bench (bench/results/reindex.json)
 * measured 28,027 docs/s for one remote reindex of 1,000,000 small documents (~100 bytes) on 2 cores; a first copy
 * also creates the index, verifies and finishes, and real documents are larger, hence a lower round figure.
 */
export const DEFAULT_DOCS_PER_SECOND = 20_000;

/** A copy rate: measured on the index's last run that copied documents, or the default. */
export interface CopyRate {
  docsPerSecond: number;
  /** Source store bytes per second (primaries), 0 when the source's size was not known. */
  bytesPerSecond: number;
  /** True: measured on this index's last run; false: DEFAULT_DOCS_PER_SECOND. */
  measured: boolean;
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

export const DEFAULT_RATE: CopyRate = { docsPerSecond: DEFAULT_DOCS_PER_SECOND, bytesPerSecond: 0, measured: false };

export function bytesPerDocument(size: IndexSize | undefined): number {
  return size === undefined || size.docs <= 0 ? 0 : size.bytes / size.docs;
}

/** The rate of a run that wrote `documents` in `seconds`; undefined when it wrote nothing (its time says nothing of a rate). */
export function measuredRate(documents: number, seconds: number, size: IndexSize | undefined): CopyRate | undefined {
  if (!(documents > 0) || !(seconds > 0)) return undefined;
  const docsPerSecond = documents / seconds;
  return {
    docsPerSecond: Math.round(docsPerSecond),
    bytesPerSecond: Math.round(docsPerSecond * bytesPerDocument(size)),
    measured: true,
  };
}

export function estimateCopy(
  documents: number,
  size: IndexSize | undefined,
  rate: CopyRate = DEFAULT_RATE,
): CopyEstimate {
  const seconds = documents / Math.max(rate.docsPerSecond, 1);
  return {
    documents,
    bytes: Math.round(documents * bytesPerDocument(size)),
    seconds: Math.round(seconds * 100) / 100,
    rate,
  };
}

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

/** "2,500 document(s) (1.2 MB) to copy, about 3.1s at 800 docs/s (measured on the last run)" */
export function describeEstimate(e: CopyEstimate): string {
  const size = e.bytes > 0 ? ` (${formatBytes(e.bytes)})` : "";
  const rate = e.rate.measured ? "measured on the last run" : "the default rate: no run yet";
  return `${n(e.documents)} document(s)${size} to copy, about ${formatSeconds(e.seconds)} at ${n(e.rate.docsPerSecond)} docs/s (${rate})`;
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
    seconds: Math.round((t.seconds + e.seconds) * 100) / 100,
  };
}

/** "3 indices, 7,500 documents (3.6 MB), about 9.3s one after another" */
export function describeTotal(t: EstimateTotal): string {
  const size = t.bytes > 0 ? ` (${formatBytes(t.bytes)})` : "";
  return `${t.indices} ${t.indices === 1 ? "index" : "indices"}, ${n(t.documents)} document(s)${size}, about ${formatSeconds(t.seconds)} one after another`;
}
