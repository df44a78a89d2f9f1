// Remote reindex pages sized in bytes: which `source.size` a run starts with, and what it does when the destination
// says a page did not fit its buffer. Pure; run.ts does the I/O.

/**
 * The destination's buffer for one remote response: Elasticsearch's and OpenSearch's RemoteScrollableHitSource read
 * each scroll page into a HeapBufferedAsyncResponseConsumer of 100 MB (104,857,600 bytes), a constant, not a
 * setting. A larger page fails the task with CHUNK_TOO_LARGE.
 */
export const REMOTE_BUFFER_BYTES = 100 * 1024 * 1024;

/**
 * The page a run aims at when it chooses `size` itself: a quarter of the buffer. The average it divides comes from
 * the store (compressed on disk), while a page travels as plain JSON; the margin covers that and pages of
 * larger-than-average documents, and halving covers what the margin does not.
 */
export const TARGET_PAGE_BYTES = REMOTE_BUFFER_BYTES / 4;

/** The engines' own default `size`, and the most a run chooses by itself. */
export const DEFAULT_REMOTE_SIZE = 1000;

/** The engine's text for a page larger than REMOTE_BUFFER_BYTES (the task's error, "illegal_argument_exception: ..."). */
export const CHUNK_TOO_LARGE = "Remote responded with a chunk that was too large";

/** What a run keeps of its page size (state: the next run starts from it). */
export interface RemoteBatch {
  /** Documents per remote scroll page the run used last. */
  size: number;
  /** Why that size: chosen from the average document size, set by `source.size`, or halved after CHUNK_TOO_LARGE. */
  reason: string;
  /** The `source.size` the user had set when this was decided (undefined: chosen by the provider). */
  requested?: number;
}

/** The source index's size on disk and its documents, from `_stats` (primaries) and `_count`. */
export interface IndexBytes {
  storeBytes: number;
  docs: number;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;

/**
 * Documents per page so that a page of average documents is about TARGET_PAGE_BYTES: at least 1, at most
 * DEFAULT_REMOTE_SIZE. An empty index (or no figures) gets the default. Pure.
 */
export function remoteSizeFor(stats: IndexBytes | undefined): number {
  if (stats === undefined || !(stats.docs > 0) || !(stats.storeBytes > 0)) return DEFAULT_REMOTE_SIZE;
  const average = stats.storeBytes / stats.docs;
  return Math.max(1, Math.min(DEFAULT_REMOTE_SIZE, Math.floor(TARGET_PAGE_BYTES / average)));
}

const KEPT = "kept from the last run: ";

/**
 * The page size a run starts with: the user's `source.size`, else the rule of remoteSizeFor; or what the last run
 * ended with when that is smaller and the user's `source.size` is unchanged (a size halved after CHUNK_TOO_LARGE is
 * not tried again). Pure.
 */
export function startingBatch(
  requested: number | undefined,
  remembered: RemoteBatch | undefined,
  stats: IndexBytes | undefined,
): RemoteBatch {
  const fresh = requested !== undefined ? { size: requested, requested, reason: "source.size" } : chosenBatch(stats);
  if (
    remembered === undefined ||
    remembered.requested !== requested ||
    !Number.isInteger(remembered.size) ||
    remembered.size < 1 ||
    remembered.size >= fresh.size
  )
    return fresh;
  const reason = remembered.reason.startsWith(KEPT) ? remembered.reason : `${KEPT}${remembered.reason}`;
  return { size: remembered.size, reason, ...(requested !== undefined ? { requested } : {}) };
}

function chosenBatch(stats: IndexBytes | undefined): RemoteBatch {
  const size = remoteSizeFor(stats);
  if (stats === undefined || !(stats.docs > 0) || !(stats.storeBytes > 0))
    return { size, reason: "the default: the source's size on disk is unknown or it is empty" };
  const average = stats.storeBytes / stats.docs;
  const why =
    size === DEFAULT_REMOTE_SIZE
      ? "at most the default"
      : size === 1
        ? "at least one"
        : `about ${mib(TARGET_PAGE_BYTES)} a page`;
  return { size, reason: `average document ${mib(average)} on disk, ${why}` };
}

/** Whether a task's failures say its page overflowed the destination's buffer. Pure. */
export function isChunkTooLarge(failures: string[]): boolean {
  return failures.length > 0 && failures.every((f) => f.includes(CHUNK_TOO_LARGE));
}

/**
 * What to do after CHUNK_TOO_LARGE at `size`: run again with half the page, or, at one document a page, that one
 * document is larger than the buffer and must go another way (the client transport). Pure.
 */
export function afterChunkTooLarge(size: number): { halve: number } | { oversize: true } {
  return size > 1 ? { halve: Math.floor(size / 2) } : { oversize: true };
}
