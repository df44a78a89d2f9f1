// Large indices moved by snapshot and restore, then caught up (a Reindex window) and verified.
export { SnapshotMigration, defaultSnapshotName, type SnapshotMigrationArgs } from "./resource";
export { snapshotMigrationProvider } from "./provider";
export type { SnapshotDurations, SnapshotIndexResult, RepositoryType } from "./types";
