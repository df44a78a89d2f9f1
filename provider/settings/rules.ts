// The index-setting rules, as data in one place: which settings are static (fixed once the index exists), which
// are dynamic (PUT _settings), which are read-only bookkeeping the engine writes itself, and which must not be
// copied from a source index. Keys are full setting names with the `index.` prefix; a trailing `.*` matches a
// whole group. Sources: the engines' index-module docs and the static/dynamic lists of
// terraform-provider-elasticstack's index resource.

/** Set at creation only: a change means a new index. */
export const STATIC_SETTINGS: readonly string[] = [
  "index.number_of_shards",
  "index.number_of_routing_shards",
  "index.codec",
  "index.routing_partition_size",
  "index.load_fixed_bitset_filters_eagerly",
  "index.shard.check_on_startup",
  "index.sort.*",
  "index.mapping.coerce",
  "index.soft_deletes.enabled",
  "index.store.type",
  "index.store.preload",
  // Analysis and similarity can only change on a closed index; we never close a user's index, so: replace.
  "index.analysis.*",
  "index.similarity.*",
  "index.mapping.single_type",
  // OpenSearch
  "index.replication.type",
  "index.knn",
  "index.remote_store.*",
];

/** Changeable on a live index with PUT /<index>/_settings. */
export const DYNAMIC_SETTINGS: readonly string[] = [
  "index.number_of_replicas",
  "index.auto_expand_replicas",
  "index.refresh_interval",
  "index.search.idle.after",
  "index.max_result_window",
  "index.max_inner_result_window",
  "index.max_rescore_window",
  "index.max_docvalue_fields_search",
  "index.max_script_fields",
  "index.max_ngram_diff",
  "index.max_shingle_diff",
  "index.max_refresh_listeners",
  "index.max_terms_count",
  "index.max_regex_length",
  "index.max_slices_per_scroll",
  "index.analyze.max_token_count",
  "index.highlight.max_analyzed_offset",
  "index.blocks.*",
  "index.routing.allocation.*",
  "index.routing.rebalance.enable",
  "index.unassigned.node_left.delayed_timeout",
  "index.gc_deletes",
  "index.default_pipeline",
  "index.final_pipeline",
  "index.search.slowlog.*",
  "index.indexing.slowlog.*",
  "index.mapping.total_fields.limit",
  "index.mapping.depth.limit",
  "index.mapping.nested_fields.limit",
  "index.mapping.nested_objects.limit",
  "index.mapping.field_name_length.limit",
  "index.query.default_field",
  "index.priority",
  "index.hidden",
  "index.translog.durability",
  "index.translog.sync_interval",
  "index.translog.flush_threshold_size",
  "index.translog.retention.*",
  "index.merge.*",
  "index.soft_deletes.retention_lease.period",
  "index.lifecycle.*",
  "index.write.wait_for_active_shards",
  "index.plugins.*",
  "index.opendistro.*",
];

/**
 * Written by the engine, never sent by a client: `GET _settings` returns them, `PUT` refuses them.
 * Stripped from copied settings and ignored when comparing.
 */
export const READ_ONLY_SETTINGS: readonly string[] = [
  "index.uuid",
  "index.creation_date",
  "index.creation_date_string",
  "index.provided_name",
  "index.version.*",
  "index.routing.allocation.initial_recovery.*",
  "index.resize.*",
  "index.shrink.source.*",
  "index.verified_before_close",
  "index.frozen",
  "index.search.throttled",
  "index.history.uuid",
  "index.downsample.*",
  "index.rollup.*",
];

/**
 * Settings a source index may carry that must not follow the data to the destination, with why. A user who wants
 * one of them declares it in `settings` explicitly. (The ingest pipelines an index names do follow it: they are held
 * off during the load and restored by the finish, see holds.ts.)
 */
export const NOT_COPIED: readonly { pattern: string; reason: string }[] = [
  {
    pattern: "index.blocks.*",
    reason: "a write block on the source (often set before a migration) would stop the copy into the destination",
  },
  {
    pattern: "index.routing.allocation.*",
    reason: "shard allocation filters name the source's nodes and tiers, which the destination does not have",
  },
  {
    pattern: "index.lifecycle.*",
    reason:
      "the lifecycle policy may not exist on the destination and could roll over or delete the index during the copy",
  },
  { pattern: "index.plugins.*", reason: "plugin-managed state (e.g. ISM) belongs to the source cluster" },
  { pattern: "index.opendistro.*", reason: "plugin-managed state (e.g. ISM) belongs to the source cluster" },
  { pattern: "index.mapping.single_type", reason: "removed in Elasticsearch 7 (indices have one type)" },
  { pattern: "index.mapper.dynamic", reason: "removed in Elasticsearch 7; use the mapping's `dynamic` instead" },
];

/** Settings that only one engine knows: sending them to the other fails with "unknown setting". */
export const FLAVOR_ONLY: readonly { pattern: string; flavor: "elasticsearch" | "opensearch" }[] = [
  { pattern: "index.replication.type", flavor: "opensearch" },
  { pattern: "index.knn", flavor: "opensearch" },
  { pattern: "index.knn.*", flavor: "opensearch" },
  { pattern: "index.remote_store.*", flavor: "opensearch" },
  { pattern: "index.xpack.*", flavor: "elasticsearch" },
  { pattern: "index.time_series.*", flavor: "elasticsearch" },
  { pattern: "index.mode", flavor: "elasticsearch" },
];

/** Engine defaults of the settings the load phase usually changes: what "restore" means when nothing was declared. */
export const ENGINE_DEFAULTS: Readonly<Record<string, string>> = {
  "index.number_of_replicas": "1",
  "index.refresh_interval": "1s",
  "index.translog.durability": "request",
};

/** True when `key` (full name) matches `pattern` (a full name, or a group ending in `.*`). */
export function matches(pattern: string, key: string): boolean {
  if (pattern.endsWith(".*")) {
    const prefix = pattern.slice(0, -1);
    return key.startsWith(prefix);
  }
  return key === pattern;
}

const anyMatch = (patterns: readonly string[], key: string): boolean => patterns.some((p) => matches(p, key));

export type SettingKind = "static" | "dynamic" | "read-only" | "unknown";

/** How a setting (full `index.` name) behaves on an existing index. */
export function settingKind(key: string): SettingKind {
  if (anyMatch(READ_ONLY_SETTINGS, key)) return "read-only";
  if (anyMatch(STATIC_SETTINGS, key)) return "static";
  if (anyMatch(DYNAMIC_SETTINGS, key)) return "dynamic";
  return "unknown";
}

/** Why `key` is not copied from a source index, or undefined when it is copied. */
export function notCopiedReason(key: string): string | undefined {
  return NOT_COPIED.find((r) => matches(r.pattern, key))?.reason;
}

/** The engine `key` belongs to, when only one of them knows it. */
export function flavorOnly(key: string): "elasticsearch" | "opensearch" | undefined {
  return FLAVOR_ONLY.find((r) => matches(r.pattern, key))?.flavor;
}
