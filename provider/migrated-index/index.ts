// One index's whole migration as one resource (what ClusterMigration declares per index), and several of them as
// one resource (ClusterMigration's `groups`).
export { MigratedIndex, type MigratedIndexArgs } from "./resource";
export { migratedIndexProvider } from "./provider";
export { MigratedIndexGroup, type MigratedIndexGroupArgs } from "./group-resource";
export { migratedIndexGroupProvider } from "./group";
export { groupOf } from "./group-members";
export type { MigratedIndexConnections, MigratedIndexSummary } from "./types";
