// The migration components (`pulumi-es-migrate/components/migration`): one index, or a whole cluster.
export { IndexMigration } from "./index-migration";
export { ClusterMigration } from "./cluster-migration";
export {
  clusterMigrationProblems,
  declaredSettings,
  defaultRemote,
  describePlan,
  indexMigrationProblems,
  planClusterMigration,
  restoredSettings,
  type ClusterPlan,
  type PlannedIndex,
} from "./plan";
export { DEFAULT_SNAPSHOT_ABOVE_BYTES, snapshotIndexNames } from "./snapshot-plan";
export type {
  ClusterMigrationArgs,
  MigrationMethod,
  ClusterMigrationSummary,
  ConnectionArgs,
  IndexMigrationArgs,
  IndexMigrationDefaults,
  IndexMigrationOptions,
  IndexMigrationOverride,
  IndexMigrationSummary,
  SkippedIndex,
} from "./types";
