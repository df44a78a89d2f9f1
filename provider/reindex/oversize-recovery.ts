// What a remote run does about pages too large for the destination's remote buffer ("chunk that was too large"):
// smaller pages, the document too large for any page copied through the client (./oversize finds it), and what a
// failed task copied left out of the partition's next task (./copied).
import type { CopyResult } from "../copy";
import { refreshIndex } from "../finish/ops";
import { afterChunkTooLarge, DEFAULT_REMOTE_SIZE } from "./batch-size";
import { copyThroughClient } from "./client-copy";
import { alreadyCopied, MAX_SKIPPED_IDS } from "./copied";
import { taskQuery, type Copier, type Tracked } from "./copier";
import { findFailingDocument, onlyIds } from "./oversize";
import type { PartitionState } from "./types";

/**
 * After "chunk that was too large": halve the page; at one document a page, that document is larger than the
 * buffer: find it, copy it through the client transport, leave it out of the partitions' tasks and go back to the
 * run's first page size. The partitions then run again; with external versions, what the failed tasks copied is
 * left out of the new ones (./copied), else it is read and written again.
 */
export async function recoverChunkTooLarge(c: Copier, tooLarge: Tracked[]): Promise<void> {
  const { inputs, log, what } = c;
  const size = c.batch?.size ?? inputs.source.size ?? DEFAULT_REMOTE_SIZE;
  const labels = tooLarge.map((t) => t.part.label).join(", ");
  const step = afterChunkTooLarge(size);
  await refreshIndex(c.dest, inputs.destIndex);
  for (const t of tooLarge) await skipCopied(c, t);
  if ("halve" in step) {
    c.batch = {
      size: step.halve,
      reason: `halved from ${size}: a page did not fit the destination's 100 MiB remote buffer`,
      requested: inputs.source.size,
    };
    log.info(
      `${what}: ${labels}: a remote page of ${size} document(s) did not fit the destination's 100 MiB buffer ("chunk that was too large"); continuing with ${step.halve} a page`,
    );
    return;
  }
  for (const t of tooLarge) {
    const id = await findFailingDocument(c.src, c.dest, inputs.source.index, inputs.destIndex, taskQuery(c, t.part));
    if (id === undefined) {
      throw new Error(
        `${t.part.label}: a single document is larger than the destination's 100 MiB remote buffer, yet every document of the partition is at the destination; copy the partition with transport "client"`,
      );
    }
    log.info(
      `${what}: ${t.part.label}: document ${id} alone is larger than the destination's 100 MiB remote buffer; copying it through the client transport and leaving it out of remote pages`,
    );
    c.oversizeIds = [...new Set([...c.oversizeIds, id])];
    addCounts(t.part, await copyThroughClient(c, onlyIds(t.part.query, [id])));
  }
  if (c.firstBatch !== undefined && c.firstBatch.size > 1) {
    c.batch = c.firstBatch;
    log.info(`${what}: back to ${c.batch.size} document(s) a remote page`);
  }
}

/** Leaves what the failed task of `t` copied out of the partition's next task (external versions only). */
export async function skipCopied(c: Copier, t: Tracked): Promise<void> {
  if (c.versioning !== "external") return;
  const before = c.copiedBefore.get(t.part) ?? [];
  const s = t.state!.status;
  const processed = Math.min(s.created + s.updated + s.version_conflicts + s.noops, MAX_SKIPPED_IDS - before.length);
  const ids = await alreadyCopied(
    c.src,
    c.dest,
    c.inputs.source.index,
    c.inputs.destIndex,
    taskQuery(c, t.part),
    processed,
  );
  if (ids.length === 0) return;
  c.copiedBefore.set(t.part, [...before, ...ids]);
  c.log.info(
    `${c.what}: ${t.part.label}: the next task leaves out the ${ids.length} document(s) the failed one copied`,
  );
}

/** Documents found too large for a remote page in earlier runs: copied through the client before the tasks start. */
export async function copyKnownOversize(c: Copier, parts: PartitionState[]): Promise<void> {
  if (c.oversizeIds.length === 0) return;
  for (const part of parts.filter((p) => !p.done)) {
    const res = await copyThroughClient(c, onlyIds(part.query, c.oversizeIds));
    if (res.docs > 0)
      c.log.info(
        `${c.what}: ${part.label}: ${res.docs} document(s) larger than the remote buffer copied through the client transport`,
      );
    addCounts(part, res);
  }
}

function addCounts(part: PartitionState, res: Pick<CopyResult, "created" | "updated" | "versionConflicts">): void {
  part.created += res.created;
  part.updated += res.updated;
  part.versionConflicts += res.versionConflicts;
}
