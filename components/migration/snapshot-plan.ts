// Which indices of a ClusterMigration go through one SnapshotMigration instead of a MigratedIndex each (`method`),
// and the problems of the snapshot options. Pure; table-tested in test/unit/migration-snapshot-plan.test.ts.
import type { SourceIndex } from "../../provider/indices";
import type { SnapshotMigrationArgs } from "../../provider/snapshot";
import type { ClusterMigrationArgs, MigrationMethod } from "./types";

/** The Alibaba Cloud guide's line: indices above 100 GB go to snapshot and restore rather than reindex. */
export const DEFAULT_SNAPSHOT_ABOVE_BYTES = 100 * 1024 ** 3;
export const METHODS: MigrationMethod[] = ["reindex", "snapshot", "auto"];

/** The source indices `method` sends to the snapshot: all ("snapshot"), none ("reindex"), those above the line ("auto"). */
export function snapshotIndexNames(
  indices: Pick<SourceIndex, "name" | "sizeBytes">[],
  method: MigrationMethod = "reindex",
  aboveBytes = DEFAULT_SNAPSHOT_ABOVE_BYTES,
): string[] {
  if (method === "snapshot") return indices.map((i) => i.name);
  if (method === "auto") return indices.filter((i) => i.sizeBytes > aboveBytes).map((i) => i.name);
  return [];
}

/** Problems of `method`, `snapshotAboveBytes` and `snapshot` (each naming the field and the fix). */
export function snapshotOptionProblems(
  args: Pick<ClusterMigrationArgs, "method" | "snapshotAboveBytes" | "snapshot">,
): string[] {
  const problems: string[] = [];
  const method = args.method ?? "reindex";
  if (!METHODS.includes(method))
    problems.push(
      `method must be "reindex" (default: remote reindex per index), "snapshot" (every index by snapshot and restore) or "auto" (indices above snapshotAboveBytes by snapshot), not ${JSON.stringify(method)}`,
    );
  const above = args.snapshotAboveBytes;
  if (above !== undefined && (typeof above !== "number" || !(above >= 0)))
    problems.push(
      `snapshotAboveBytes must be a number of bytes (primary store size; default ${DEFAULT_SNAPSHOT_ABOVE_BYTES}, 100 GB), not ${JSON.stringify(above)}`,
    );
  if (above !== undefined && method !== "auto")
    problems.push(`snapshotAboveBytes is used by method: "auto" only: set method: "auto" or remove it`);
  if (method !== "reindex" && args.snapshot?.repository === undefined) {
    problems.push(
      `method "${method}" needs snapshot: { repository: { name, type, settings } }: the repository both clusters share (fs: a folder in path.repo of every node; s3; oss). See docs/snapshot.md`,
    );
  }
  if (method === "reindex" && args.snapshot !== undefined)
    problems.push('snapshot is used by method "snapshot" or "auto": set method or remove snapshot');
  return problems;
}

/** The names the snapshot indices would get at the destination but their own: a restore keeps names (or one rename). */
export function renamedSnapshotIndices(names: string[], destOf: (name: string) => string): string[] {
  return names.filter((n) => destOf(n) !== n);
}

export type ClusterSnapshotOptions = Pick<SnapshotMigrationArgs, "repository" | "catchUp" | "snapshot" | "timeout">;
