// The client transport: copies an index from one cluster to another through this process, for when the
// destination cannot reach the source (so no remote reindex). Readers (one scroll per slice) turn pages into
// bulk batches and push them into a bounded queue; writers take batches and send them with `_bulk`. The queue's
// bound is the memory bound: readers wait while the destination is behind. Logs nothing; errors come from the
// connection layer, which removes credentials.
import type { Cluster } from "../connection/types";
import { abortReason } from "./abort";
import { Batcher, documentLines, type ActionShape, type Batch } from "./batch";
import { BoundedQueue } from "./queue";
import { OpenScrolls, scrollPages } from "./scroll";
import { Throttle } from "./throttle";
import type { CopyOptions, CopyProgress, CopyResult } from "./types";
import { emptyTally, writeBatch, type Tally, type WriteSettings } from "./writer";

export type { CopyOptions, CopyProgress, CopyResult, RefusedDocument } from "./types";

export const COPY_DEFAULTS = {
  slices: 2,
  batchSize: 1000,
  maxBulkDocs: 2000,
  maxBulkBytes: 8 * 1024 * 1024,
  concurrency: 2,
  scrollKeepAlive: "5m",
  rejectedRetries: 6,
  rejectedBackoffMs: 500,
  keepFailures: 10,
} as const;

// How long an abort waits for a reader's page in flight (to learn its scroll id and clear it). A page that comes
// later is cleared by its reader all the same; the copy does not wait for it.
const ABORT_GRACE_MS = 5_000;

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`copyIndex: ${name} must be a whole number >= ${min}, got ${value}`);
  return value;
}

/** How documents are addressed at the destination: 6.x needs a mapping type (the source's own from a 6.x source). */
async function actionShape(
  source: Cluster,
  dest: Cluster,
  opType: "index" | "create",
  externalVersion: boolean,
): Promise<ActionShape> {
  const d = await dest.info();
  if (d.flavor !== "elasticsearch" || d.major >= 7) return { opType, externalVersion };
  const s = await source.info();
  return { opType, destType: "_doc", keepSourceType: s.flavor === "elasticsearch" && s.major < 7, externalVersion };
}

async function sourceCount(
  source: Cluster,
  index: string,
  query: Record<string, unknown> | undefined,
): Promise<number> {
  const res = await source.request<{ count: number }>({
    method: "POST",
    path: `/${encodeURIComponent(index)}/_count`,
    body: query === undefined ? undefined : { query },
    idempotent: true,
  });
  return res.count;
}

/** Copies the documents of `sourceIndex` matching `query` into `destIndex`. See CopyOptions for the knobs. */
export async function copyIndex(opts: CopyOptions): Promise<CopyResult> {
  const started = Date.now();
  const slices = wholeNumber("slices", opts.slices ?? COPY_DEFAULTS.slices, 1);
  const batchSize = wholeNumber("batchSize", opts.batchSize ?? COPY_DEFAULTS.batchSize, 1);
  const concurrency = wholeNumber("concurrency", opts.concurrency ?? COPY_DEFAULTS.concurrency, 1);
  const queue = new BoundedQueue<Batch>(wholeNumber("queueCapacity", opts.queueCapacity ?? 2 * concurrency, 1));
  const maxBulkDocs = wholeNumber("maxBulkDocs", opts.maxBulkDocs ?? COPY_DEFAULTS.maxBulkDocs, 1);
  const maxBulkBytes = wholeNumber("maxBulkBytes", opts.maxBulkBytes ?? COPY_DEFAULTS.maxBulkBytes, 1);
  const opType = opts.opType ?? "index";
  const external = opts.versioning === "external";
  if (external && opType === "create")
    throw new Error(
      'copyIndex: versioning "external" writes with opType "index" (the engines refuse create with an explicit version)',
    );
  const throttle = new Throttle(opts.requestsPerSecond, opts.onPressure);

  // One controller for the whole copy: the caller's signal, or the first failure of a reader or writer, stops all.
  const stop = new AbortController();
  let firstError: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    if (firstError === undefined && !stop.signal.aborted) firstError = { error };
    queue.fail(error);
    stop.abort(error);
  };
  const onCallerAbort = () => fail(abortReason(opts.signal!));
  if (opts.signal?.aborted) throw abortReason(opts.signal);
  opts.signal?.addEventListener("abort", onCallerAbort, { once: true });

  const tally: Tally = emptyTally(opts.keepFailures ?? COPY_DEFAULTS.keepFailures, opts.keepRefused ?? 0);
  const scrolls = new OpenScrolls(opts.source);
  try {
    const [shape, total] = await Promise.all([
      actionShape(opts.source, opts.dest, opType, external),
      sourceCount(opts.source, opts.sourceIndex, opts.query),
    ]);
    const progress = (): CopyProgress => {
      const failed = tally.failures.count;
      return {
        docs: tally.created + tally.updated + tally.versionConflicts + failed,
        total,
        created: tally.created,
        updated: tally.updated,
        failed,
      };
    };

    const readSlice = async (id: number) => {
      const batcher = new Batcher(maxBulkDocs, maxBulkBytes);
      const plan = {
        index: opts.sourceIndex,
        query: opts.query,
        size: batchSize,
        keepAlive: opts.scrollKeepAlive ?? COPY_DEFAULTS.scrollKeepAlive,
        slice: slices > 1 ? { id, max: slices } : undefined,
        version: external,
      };
      for await (const hits of scrollPages(opts.source, plan, scrolls, id, stop.signal)) {
        for (const hit of hits) {
          const doc = documentLines(hit, shape);
          if ("error" in doc) {
            tally.failures.add([doc.error]);
            continue;
          }
          for (const full of batcher.add(hit._id, doc.text)) await queue.push(full);
        }
      }
      const rest = batcher.flush();
      if (rest !== undefined && !stop.signal.aborted) await queue.push(rest);
    };

    const write: WriteSettings = {
      dest: opts.dest,
      destIndex: opts.destIndex,
      opType,
      // With external versions a 409 means the destination already holds this version or a newer one: not a failure.
      conflicts: external ? "proceed" : (opts.conflicts ?? "abort"),
      rejectedRetries: opts.rejectedRetries ?? COPY_DEFAULTS.rejectedRetries,
      rejectedBackoffMs: opts.rejectedBackoffMs ?? COPY_DEFAULTS.rejectedBackoffMs,
      signal: stop.signal,
    };
    const writeLoop = async () => {
      for (let batch = await queue.pop(); batch !== undefined; batch = await queue.pop()) {
        await throttle.take(batch.ids.length, stop.signal);
        const retriedBefore = tally.retries;
        await writeBatch(batch, write, tally);
        // Documents rejected with 429 and sent again: the destination pushes back, the writers slow (./throttle).
        if (tally.retries > retriedBefore) throttle.pushedBack(tally.retries - retriedBefore);
        else throttle.calm();
        opts.onProgress?.(progress());
      }
    };

    const readers = Promise.all(Array.from({ length: slices }, (_, i) => readSlice(i).catch(fail))).then(() =>
      queue.close(),
    );
    const writers = Promise.all(Array.from({ length: concurrency }, () => writeLoop().catch(fail)));
    // Writers end when the queue is drained after the readers closed it, or at once when something failed.
    await writers;
    if (stop.signal.aborted) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([readers, new Promise((r) => (timer = setTimeout(r, ABORT_GRACE_MS)))]);
      clearTimeout(timer);
      throw firstError?.error ?? abortReason(stop.signal);
    }
    await readers;
    const p = progress();
    return {
      docs: p.docs,
      created: p.created,
      updated: p.updated,
      versionConflicts: tally.versionConflicts,
      failed: p.failed,
      failures: tally.failures.kept,
      refusedCount: tally.refused.count,
      refused: tally.refused.kept,
      retries: tally.retries,
      slices,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    opts.signal?.removeEventListener("abort", onCallerAbort);
    await scrolls.clearAll();
  }
}
