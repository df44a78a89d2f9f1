// The version rules of snapshot and restore (provider/shared/versions.ts) with the facts read from both clusters:
// each refusal names the versions and the way out. Pure; table-tested in test/unit/snapshot-rules.test.ts.
import type { ClusterInfo } from "../connection/types";
import {
  flavorName,
  oldestRestorable,
  snapshotRestoreProblem,
  versionFromId,
  type EngineVersion,
} from "../shared/versions";

const label = (v: ClusterInfo) => `${flavorName(v)} ${v.version}`;
const short = (v: EngineVersion) => `${flavorName(v)} ${v.major}.${v.minor}`;

/**
 * Why the snapshot of `index` cannot be restored into `dest`, or undefined when it can. `createdId` is the index's
 * `index.version.created` at the source: what the restore reads is the index's own files, written by the version
 * that created it, not by the version the cluster runs now.
 */
export function restoreRefusal(
  index: string,
  createdId: string | number | undefined,
  src: ClusterInfo,
  dest: ClusterInfo,
): string | undefined {
  const created = createdId === undefined ? src : (versionFromId(createdId) ?? src);
  const problem = snapshotRestoreProblem(created, src, dest);
  const wayOut =
    'copy it with reindex instead (ClusterMigration method: "reindex", or MigratedIndex / Reindex), which writes every document anew';
  if (problem === "newer")
    return `the source runs ${label(src)}, newer than the destination's ${label(dest)}: a snapshot restores only into the same or a newer version; upgrade the destination first, or ${wayOut}`;
  if (problem === "diverged")
    return `the source runs ${label(src)} and the destination ${label(dest)}: Elasticsearch 8+ and OpenSearch do not restore each other's snapshots; ${wayOut} (transport: "client")`;
  if (problem === "created") {
    return `${index} was created by ${short(created)} (index.version.created at the source; the cluster runs ${label(src)}): ${label(dest)} restores only indices created by ${short(oldestRestorable(dest))} or newer; ${wayOut}`;
  }
  return undefined;
}
