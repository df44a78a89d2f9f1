// The client transport's options and result: what `copyIndex` takes and gives back.
import type { Cluster } from "../connection/types";
import type { RefusedDocument } from "./outcome";

export type { RefusedDocument };

export interface CopyProgress {
  /** Documents the destination acknowledged so far (written, conflicting or failed). */
  docs: number;
  /** Documents the source query matched when the copy started (its `_count`). */
  total?: number;
  created: number;
  updated: number;
  failed: number;
}

export interface CopyOptions {
  /** Where documents are read: a connected cluster (provider/connection's `connect`). */
  source: Cluster;
  /** Where documents are written. */
  dest: Cluster;
  sourceIndex: string;
  destIndex: string;
  /** Query DSL (the value of `query`) narrowing what is copied. Default: every document. */
  query?: Record<string, unknown>;
  /** Parallel readers (sliced scroll). 1 reads with one plain scroll. Default 2. */
  slices?: number;
  /** Documents per scroll page. Default 1000; lower it for large documents (a page is held in memory per reader). */
  batchSize?: number;
  /** Documents per `_bulk` request at most. Default 2000. */
  maxBulkDocs?: number;
  /** Bytes of NDJSON per `_bulk` request at most (a single larger document goes alone). Default 8 MiB. */
  maxBulkBytes?: number;
  /** `_bulk` requests in flight at once. Default 2. */
  concurrency?: number;
  /** Bulk bodies waiting between readers and writers at most; readers wait when it is full. Default 2 x concurrency. */
  queueCapacity?: number;
  /** "index" overwrites documents with the same `_id` (default); "create" only writes missing ones. */
  opType?: "index" | "create";
  /**
   * "external": each document is written with the source's `_version` (`version_type: external`), so a document the
   * destination holds in the same or a newer version is left alone and counted as a version conflict. Default
   * "internal" (overwrite).
   */
  versioning?: "external" | "internal";
  /** With opType "create": "proceed" counts existing documents as version conflicts; "abort" (default) as failures. */
  conflicts?: "abort" | "proceed";
  /** Documents per second at most, over all writers (like `_reindex`'s requests_per_second). Default: no limit. */
  requestsPerSecond?: number;
  /** Scroll keep-alive between two pages. Default "5m". */
  scrollKeepAlive?: string;
  /** Retries of documents the destination rejected with 429 (bulk queue full). Default 6, backoff from 500 ms. */
  rejectedRetries?: number;
  rejectedBackoffMs?: number;
  /** How many failures are kept with the engine's reason (all are counted). Default 10. */
  keepFailures?: number;
  /**
   * How many documents the destination refused themselves are kept by id with the engine's reason (all are counted
   * in `refusedCount`), for the caller to record. Default 0.
   */
  keepRefused?: number;
  onProgress?: (p: CopyProgress) => void;
  /** Told when the writers slow under backpressure (429 rejections) or speed up again, in words. */
  onPressure?: (message: string) => void;
  /** Stops readers and writers; open scrolls are cleared before copyIndex rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface CopyResult {
  /** Documents read from the source and acknowledged by the destination. */
  docs: number;
  created: number;
  updated: number;
  /** opType "create" with conflicts "proceed": documents that already existed. */
  versionConflicts: number;
  /** Documents the destination refused (all of them, including the ones not kept in `failures`). */
  failed: number;
  /** The first `keepFailures` refusals: "document <id>: <type>: <reason>". */
  failures: string[];
  /**
   * Of the failures, the documents the destination refused themselves (a mapping conflict, a pipeline's failure, too
   * large; not a conflict or a 429): how many, and the first `keepRefused` of them. The copy goes on without them.
   */
  refusedCount: number;
  refused: RefusedDocument[];
  /** Documents sent again after a 429 item rejection. */
  retries: number;
  /** Readers used (1: plain scroll). */
  slices: number;
  seconds: number;
}

/** One search hit as scroll pages return it (6.x adds `_type`). */
export interface Hit {
  _id: string;
  _type?: string;
  _routing?: string;
  /** Present when the scroll asked for versions. */
  _version?: number;
  _source?: unknown;
}
