// One index's whole migration as one resource (what ClusterMigration declares per index).
export { MigratedIndex, type MigratedIndexArgs } from "./resource";
export { migratedIndexProvider } from "./provider";
export type { MigratedIndexConnections, MigratedIndexSummary } from "./types";
