// Dynamic resources and the connection layer they share.
export {};
export * from "./destination-index";
export { listSourceIndices, type SourceDataStream, type SourceIndex, type SourceIndexList } from "./indices";
export { DataStream, type DataStreamArgs, type StreamTemplate } from "./data-stream";
export {
  Reindex,
  type ReindexArgs,
  type ReindexSourceArgs,
  type ReindexRemoteArgs,
  type ReindexModeArgs,
} from "./reindex";
export { MigrationFinish, type MigrationFinishArgs } from "./finish";
export {
  MigratedIndex,
  type MigratedIndexArgs,
  type MigratedIndexConnections,
  type MigratedIndexSummary,
  MigratedIndexGroup,
  type MigratedIndexGroupArgs,
} from "./migrated-index";
export {
  SnapshotMigration,
  defaultSnapshotName,
  type SnapshotMigrationArgs,
  type SnapshotDurations,
  type SnapshotIndexResult,
  type RepositoryType,
} from "./snapshot";
export {
  IndexTemplate,
  LegacyIndexTemplate,
  ComponentTemplate,
  IngestPipeline,
  StoredScript,
  IndexAlias,
  OBJECT_RESOURCES,
  readClusterObjects,
  readIngestProcessors,
  readScriptLanguages,
  planObjects,
  describeObjectPlan,
  type IndexTemplateArgs,
  type LegacyIndexTemplateArgs,
  type ComponentTemplateArgs,
  type IngestPipelineArgs,
  type StoredScriptArgs,
  type IndexAliasArgs,
  type ClusterObject,
  type ClusterObjects,
  type ObjectKind,
  type ObjectPlanRow,
  type ReadObjectsOptions,
  type TranslationContext,
} from "./objects";
