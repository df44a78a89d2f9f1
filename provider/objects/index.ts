// Cluster objects: templates of the three kinds, ingest pipelines, stored scripts and aliases, as resources, and the
// discovery and planning ClusterMigration uses to copy them.
export { IndexTemplate, LegacyIndexTemplate, ComponentTemplate, IngestPipeline, StoredScript, IndexAlias, ClusterObjectResource, OBJECT_RESOURCES } from "./resource";
export type { ObjectArgs, IndexTemplateArgs, LegacyIndexTemplateArgs, ComponentTemplateArgs, IngestPipelineArgs, StoredScriptArgs, IndexAliasArgs } from "./resource";
export { objectProvider, type ObjectOutputs } from "./provider";
export { INPUT_SCHEMAS, aliasOptionsSchema, type AliasIndexOptions, type ObjectInputs, type PlainObjectArgs } from "./schema";
export { KINDS, kindMissing, systemReason, type KindSpec } from "./kinds";
export { canonicalBody, listAnswerEntries, oneAnswerEntry, type Canonical } from "./read-shapes";
export { translateObject, processorTypes, objectLabel, type TranslationContext } from "./translate";
export { sameBody, bodyDifferences } from "./compare";
export { writeRequests, deleteRequests } from "./requests";
export { readClusterObjects, readObject, readIngestProcessors, readScriptLanguages, processorsOfNodes, indicesNamingPipeline, type ReadObjectsOptions } from "./read";
export { planObjects, describeObjectPlan } from "./plan";
export * from "./types";
