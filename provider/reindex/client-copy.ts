// Copies through this process (the client transport, ../copy) within a run: the partitions of a run whose transport
// is "client", and the documents too large for any remote page of a remote run.
// The client transport; a static import because a lazy require("../copy") cannot load TypeScript sources under
// vitest, and the module is small (no dependencies beyond the connection types).
import { copyIndex, type CopyResult } from "../copy";
import { MAX_FAILURES, type Copier } from "./copier";
import type { FailureItem } from "./failures";
import { progressLine } from "./progress";
import type { Query } from "./queries";
import { MAX_REFUSED } from "./refused";
import { scrollKeepAlive } from "./request";
import type { PartitionState } from "./types";

/** Copies the documents of `query` through this process, one a page and one a `_bulk` (each may be very large). */
export async function copyThroughClient(c: Copier, query: Query): Promise<CopyResult> {
  const { inputs } = c;
  const res = await copyIndex({
    source: c.src,
    dest: c.dest,
    sourceIndex: inputs.source.index,
    destIndex: inputs.destIndex,
    query,
    slices: 1,
    batchSize: 1,
    maxBulkDocs: 1,
    concurrency: 1,
    opType: inputs.opType,
    conflicts: inputs.conflicts,
    versioning: c.versioning,
    scrollKeepAlive: scrollKeepAlive(inputs),
    keepFailures: MAX_FAILURES,
  });
  if (res.failed > 0) {
    c.failureItems.push(...res.failures.map(clientFailureItem));
    throw new Error(
      `copying document(s) larger than the remote buffer through the client transport failed (the destination's http.max_content_length must admit each of them in one _bulk request): ${res.failures.join("; ")}`,
    );
  }
  return res;
}

/**
 * Copies the partitions through this process (transport "client"); returns the failures. Documents the destination
 * refuses themselves are set aside as with remote tasks (the copy goes on without them, their partition is not done,
 * the run records them: ./refused); any other failure is the run's.
 */
export async function clientCopy(c: Copier, parts: PartitionState[]): Promise<string[]> {
  const { inputs, src, dest, log, what } = c;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error("the resource's timeout passed during the client copy")),
    Math.max(0, c.deadline - c.now()),
  );
  const started = c.now();
  let lastLog = started;
  const failures: string[] = [];
  try {
    for (const part of parts.filter((p) => !p.done)) {
      const res = await copyIndex({
        source: src,
        dest,
        sourceIndex: inputs.source.index,
        destIndex: inputs.destIndex,
        query: part.query,
        // partitions.count is the number of parallel slices with the client transport
        slices: inputs.partitions?.count,
        // A page is held in memory (and in one JS string): the run's choice from the average document size.
        batchSize: inputs.source.size ?? c.batch?.size,
        opType: inputs.opType,
        conflicts: inputs.conflicts,
        versioning: c.versioning,
        requestsPerSecond: inputs.requestsPerSecond,
        scrollKeepAlive: scrollKeepAlive(inputs),
        keepFailures: MAX_FAILURES,
        keepRefused: Math.max(0, MAX_REFUSED - c.refused.size),
        signal: controller.signal,
        onPressure: (m) => log.info(`${what} (client): ${m}`),
        onProgress: (p) => {
          if (c.now() - lastLog < 10_000) return;
          lastLog = c.now();
          log.info(
            progressLine(`${what} (client)`, {
              done: p.docs,
              total: p.total ?? 0,
              elapsedSeconds: (c.now() - started) / 1000,
            }),
          );
        },
      });
      Object.assign(part, {
        created: res.created,
        updated: res.updated,
        versionConflicts: res.versionConflicts,
        total: res.docs,
        retries: { search: 0, bulk: res.retries },
      });
      for (const r of res.refused) c.refused.set(r.id, { ...r, part });
      if (res.refusedCount > 0)
        log.info(
          `${what} (client): ${res.refusedCount.toLocaleString("en-US")} document(s) refused by the destination (e.g. ${res.refused[0]?.type ?? "refused"}); the copy went on without them`,
        );
      const others = res.failed - res.refusedCount;
      if (others > 0) {
        const refusedIds = new Set(res.refused.map((r) => r.id));
        c.failureItems.push(
          ...res.failures.map(clientFailureItem).filter((i) => i.id === undefined || !refusedIds.has(i.id)),
        );
        failures.push(
          `the client copy failed for ${others} document(s); the first ${res.failures.length} failure(s):\n${res.failures.join("\n")}`,
        );
      }
      part.done = res.failed === 0;
    }
  } finally {
    clearTimeout(timer);
  }
  return failures;
}

/** "document <id>: <type>: <reason>" (the client transport's failure text) as a failure item. Pure. */
function clientFailureItem(text: string): FailureItem {
  const m = /^document (.+?): ([a-z_]+(?:_exception|_error)?): /.exec(text);
  return m === null ? { type: "copy failure" } : { type: m[2], id: m[1] };
}
