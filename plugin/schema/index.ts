// The plugin's Pulumi package schema: what Python, Go, C#, Java and YAML programs see of the package. Fields with a
// zod schema (connections, the copy options, Reindex's inputs) take type, default and description from it; the
// others, which the components check in code (components/migration/plan.ts), are described here.
import type { z } from "zod";
import { clusterConnectionSchema } from "../../provider/connection/schema";
import { copyOptionsSchema, reindexInputsSchema, remoteSchema } from "../../provider/reindex/schema";
import { SNAPSHOT_SECRET_INPUTS, snapshotMigrationInputsSchema } from "../../provider/snapshot/schema";
import { cloudAccessSchema } from "./cloud-access";
import { ANY, TypeRegistry, propertiesOf, type ObjectTypeSpec, type PropertySpec, type ResourceSpec } from "./from-zod";

/** How Reindex's schema names the connections it takes (checked by the connection layer, not by zod there). */
const CONNECTION_TYPE_TEXT = "[connection](../connection.md)";

const CONNECTION_FIELDS: Record<string, string> = {
  url: 'The cluster\'s base URL with scheme and port, e.g. "https://10.0.0.5:9200".',
  username: "Basic-auth user name (with password).",
  password: "Basic-auth password. Kept secret in the state and never logged.",
  apiKey: 'API key: the base64 "encoded" value, or "id:api_key". Kept secret.',
  aws: "Amazon OpenSearch Service: sign requests with AWS SigV4 and the AWS credential chain.",
  caCert: "PEM text of the CA certificate that signed the cluster's certificate.",
  insecureSkipVerify: "Skip TLS certificate verification (test clusters only).",
  headers: "Extra headers sent with every request. Kept secret.",
};

/** Hand descriptions of object types whose zod schema has none, by type name. */
const DESCRIPTIONS: Record<string, Record<string, string>> = {
  Connection: CONNECTION_FIELDS,
  ConnectionAws: {
    region: 'The AWS region of the domain, e.g. "eu-west-1".',
    service: '"es" (Amazon OpenSearch Service, the default) or "aoss" (OpenSearch Serverless).',
  },
  CopyMode: { type: 'What each run copies: "full", "incremental" (with field) or "missingField" (with field).' },
};

const settingsObject = (description: string): PropertySpec => ({
  type: "object",
  additionalProperties: ANY,
  description,
});
const strings = (description: string): PropertySpec => ({ type: "array", items: { type: "string" }, description });

/** One index's options beside the copy options (checked by the components' plan, not by zod): where it goes. */
const TARGET_FIELDS: Record<string, PropertySpec> = {
  destIndex: { type: "string", description: "Name of the index on the destination. Default: the source index's name." },
  alias: {
    type: "string",
    description:
      "Move this alias to the new index once the counts verify (cutover, one atomic request). Default: none.",
  },
  phase: {
    type: "string",
    description:
      '"sync" (default): every up copies what changed. "cutover-done": the destination index is live; the next up ' +
      "records that, and from then on nothing is copied, repaired, deleted, restored or moved for this index.",
  },
};

/** One index's options beside the copy options: how its destination index is made and kept. */
const INDEX_FIELDS: Record<string, PropertySpec> = {
  settings: settingsObject(
    "Destination index settings over the copied ones (nested or flat). Static ones replace the index when changed.",
  ),
  mappings: settingsObject("Typeless mappings; each field overrides the copied field of the same name."),
  loadSettings: settingsObject(
    'Settings while the data loads. Default: { number_of_replicas: 0, refresh_interval: "-1" }; {} loads with the final settings.',
  ),
  finalSettings: settingsObject(
    "Settings the index gets once loaded (dynamic settings only), over what the destination index reports, e.g. " +
      "{ number_of_replicas: 1 }. Default: the source's values, else the engine defaults.",
  ),
  deletionProtection: {
    type: "boolean",
    description: "While true (default), destroying or replacing the destination index fails and the data stays.",
  },
  adoptExisting: {
    type: "boolean",
    description: "Take over a destination index that already exists instead of failing. Default false.",
  },
};

const OBJECT_SELECTION: ObjectTypeSpec = {
  type: "object",
  description:
    'Which cluster objects of one kind are copied: names matching an include pattern and no exclude one (`exclude: ["*"]` copies none).',
  properties: {
    include: strings("Name patterns (`*` wildcard) to copy. Default: every name."),
    exclude: strings("Name patterns to leave out. Default: none."),
  },
};

const OBJECT_KINDS: Record<string, string> = {
  templates: "Composable (`_index_template`) and legacy (`_template`) index templates.",
  componentTemplates: "Component templates, the parts composable templates are made of.",
  pipelines: "Ingest pipelines; the ones an index names are restored on it by the finish.",
  scripts: "Stored scripts and search templates.",
  aliases: "The migrated indices' aliases (filter, routing, write index, hidden), selected by alias name.",
};

const SUMMARY_FIELDS: Record<string, PropertySpec> = {
  index: { type: "string", description: "The source index." },
  destIndex: { type: "string", description: "The destination index's name." },
  uuid: {
    type: "string",
    description: "The destination index's UUID (a new one: recreated and copied again in full).",
  },
  sourceCount: {
    type: "integer",
    description: "Source documents the copy covered (query and mode); null when not verified.",
  },
  destCount: { type: "integer", description: "Documents in the destination index after the finish." },
  created: { type: "integer", description: "Documents created by the last copy run." },
  updated: { type: "integer", description: "Documents updated by the last copy run." },
  durationSeconds: { type: "number", description: "Wall time of the last copy run." },
  docsPerSecond: { type: "number", description: "(created + updated) / durationSeconds of the last run, rounded." },
  verified: {
    type: "boolean",
    description: "True when the destination holds what the source holds (the verify level).",
  },
  watermark: { ...ANY, description: "Incremental mode: the highest value of the field copied so far." },
};

/** What a ClusterMigration row may add to one index's result. */
const ROW_FIELDS: Record<string, PropertySpec> = {
  bytesPerSecond: {
    type: "number",
    description: "Source store bytes per second of the last run that copied documents.",
  },
  estimate: { ...ANY, description: "What the preview of the last run estimated it would move and take." },
  cutoverAt: { type: "string", description: "When the destination went live: the copy no longer runs." },
  dataStream: { type: "boolean", description: "True on a data stream's row." },
};

/** The package schema, for `GetSchema` (as JSON) and the SDK generators. */
export function packageSchema(name: string, version: string): Record<string, unknown> {
  const registry = new TypeRegistry(name, DESCRIPTIONS);
  const ref = (type: string, description: string): PropertySpec => ({
    $ref: `#/types/${registry.token(type)}`,
    description,
  });
  const connection = registry.property("Connection", clusterConnectionSchema as z.ZodType);
  const connectionType = registry.types[registry.token("Connection")];
  connectionType.description = "How to reach a cluster: URL and one way to authenticate. Secrets in it stay secret.";
  for (const secret of ["password", "apiKey", "headers"]) connectionType.properties[secret].secret = true;
  registry.custom(CONNECTION_TYPE_TEXT, connection);
  const remote = registry.object("ReindexRemote", remoteSchema);
  const copy = propertiesOf(registry, "Copy", copyOptionsSchema).properties;
  const clusters = {
    source: { ...connection, description: "How the plugin reaches the source (counts, settings, mappings, listing)." },
    sourceRemote: {
      ...remote,
      description:
        "How the destination reaches the source for remote reindex. Default: source.url with the source's username and password.",
    },
    destination: { ...connection, description: "The destination cluster." },
  };

  // Values a run may not have (no verification, no incremental field) are left out of `required`.
  const always = (fields: Record<string, PropertySpec>) =>
    Object.keys(fields).filter((f) => f !== "sourceCount" && f !== "watermark");
  registry.types[registry.token("IndexMigrationSummary")] = {
    type: "object",
    description: "One index's result.",
    properties: { ...SUMMARY_FIELDS, ...ROW_FIELDS },
    required: always(SUMMARY_FIELDS),
  };
  const indexOutputs = Object.fromEntries(Object.entries(SUMMARY_FIELDS).filter(([f]) => f !== "index"));
  const indexMigration: ResourceSpec = {
    isComponent: true,
    description:
      "One index migrated from a source cluster to a destination cluster: the destination index created from the " +
      "source's settings and mappings (with load settings), the data copied (remote reindex or client copy, full or " +
      "incremental, partitioned), then finished: final settings restored, counts verified and, with alias, the " +
      "alias moved to the new index.",
    inputProperties: {
      ...clusters,
      index: { type: "string", description: "The source index (one index, no wildcard)." },
      ...TARGET_FIELDS,
      ...INDEX_FIELDS,
      ...copy,
    },
    requiredInputs: ["source", "destination", "index"],
    properties: { ...indexOutputs, summary: ref("IndexMigrationSummary", "All of the above in one object.") },
    required: [...always(indexOutputs), "summary"],
  };

  registry.types[registry.token("IndexMigrationDefaults")] = {
    type: "object",
    description: "Options for every index of a ClusterMigration.",
    properties: { ...INDEX_FIELDS, ...copy },
  };
  registry.types[registry.token("IndexMigrationOverride")] = {
    type: "object",
    description: "Options of one index of a ClusterMigration, over the defaults.",
    properties: { ...TARGET_FIELDS, ...INDEX_FIELDS, ...copy },
  };
  registry.types[registry.token("ObjectSelection")] = OBJECT_SELECTION;
  registry.types[registry.token("ClusterObjects")] = {
    type: "object",
    description: "The cluster objects copied beside the indices. Default: every kind, system objects never.",
    properties: {
      ...Object.fromEntries(
        Object.entries(OBJECT_KINDS).map(([kind, text]) => [kind, ref("ObjectSelection", `${text} Default: all.`)]),
      ),
      adoptExisting: {
        type: "boolean",
        description:
          "Take over objects the destination already has under a source object's name with another definition. Default false: such an object stops the preview, named.",
      },
      dataStreams: {
        type: "boolean",
        description: "Migrate the data streams `include` matches, as data streams. Default true.",
      },
    },
  };
  registry.types[registry.token("ClusterSnapshot")] = {
    type: "object",
    description: 'With method "snapshot" or "auto": how the snapshot indices move.',
    properties: {
      repository: ref("SnapshotRepository", "The repository both clusters share. Secret in the state."),
      catchUp: ref(
        "SnapshotCatchUp",
        "What was written since the snapshot began, copied by a Reindex window. Default: none (each run verifies and repairs by id).",
      ),
      snapshot: {
        type: "string",
        description: "The snapshot's name in the repository. Default: derived from the component's name.",
      },
      timeout: { type: "number", description: "Own deadline of one create/update in seconds. Default: 21600 (6h)." },
    },
    required: ["repository"],
  };
  registry.types[registry.token("SkippedIndex")] = {
    type: "object",
    description: "A source index left out, and why.",
    properties: {
      index: { type: "string", description: "The source index." },
      reason: { type: "string", description: 'Why it was left out. One of "system", "closed".' },
    },
    required: ["index", "reason"],
  };
  registry.types[registry.token("ClusterMigrationTotals")] = {
    type: "object",
    description: "The totals over every index.",
    properties: {
      indices: { type: "integer", description: "Indices (and data streams) migrated." },
      sourceCount: { type: "integer", description: "Source documents the copies covered." },
      destCount: { type: "integer", description: "Documents at the destination." },
      created: { type: "integer", description: "Documents created by the last runs." },
      updated: { type: "integer", description: "Documents updated by the last runs." },
      durationSeconds: { type: "number", description: "The last runs' copy seconds, summed." },
      estimatedSeconds: {
        type: "number",
        description: "What the previews of those runs estimated they would take, summed.",
      },
      verified: { type: "boolean", description: "True when every index verified." },
    },
  };
  registry.types[registry.token("ClusterMigrationSummary")] = {
    type: "object",
    description: "One row per index and data stream, and the totals.",
    properties: {
      rows: {
        type: "array",
        items: ref("IndexMigrationSummary", "One index's result."),
        description: "One row per index and data stream.",
      },
      totals: ref("ClusterMigrationTotals", "The totals over every index."),
    },
    required: ["rows", "totals"],
  };
  const clusterMigration: ResourceSpec = {
    isComponent: true,
    description:
      "A whole cluster migrated: the source's index list read at preview and up, one migrated index per index (or " +
      'groups of them), data streams as data streams, large indices by snapshot with method "snapshot" or "auto", ' +
      "and the cluster objects the application needs (templates, pipelines, scripts, aliases).",
    inputProperties: {
      ...clusters,
      include: strings(
        "Index and data stream name patterns to migrate (`*` wildcard). Default: every open, non-system index and every data stream.",
      ),
      exclude: strings("Index and data stream name patterns to leave out. Default: none."),
      defaults: ref("IndexMigrationDefaults", "Options for every index (mode, partitions, loadSettings, ...)."),
      overrides: {
        type: "object",
        additionalProperties: ref("IndexMigrationOverride", "One index's options."),
        description: "Per source index name: options over the defaults (destIndex, alias, mode, ...).",
      },
      concurrency: { type: "integer", description: "How many indices copy at once. Default 2." },
      groups: {
        type: "integer",
        description:
          "Register the indices as this many groups instead of one resource each (for hundreds of indices); fixed for the stack's life. Default: no groups.",
      },
      method: {
        type: "string",
        description:
          'How indices move: "reindex" (default), "snapshot" (all through one snapshot) or "auto" (indices above snapshotAboveBytes by snapshot).',
      },
      snapshotAboveBytes: {
        type: "number",
        description:
          'With method "auto": primary store size in bytes above which an index goes by snapshot. Default 100 GB.',
      },
      snapshot: ref(
        "ClusterSnapshot",
        'With method "snapshot" or "auto": the repository, the catch-up, the name, the deadline.',
      ),
      phase: TARGET_FIELDS.phase,
      objects: ref("ClusterObjects", "The cluster objects copied beside the indices."),
    },
    requiredInputs: ["source", "destination"],
    properties: {
      indices: strings("Names of the source indices migrated."),
      dataStreams: strings("Names of the source data streams migrated (as data streams)."),
      skipped: {
        type: "array",
        items: ref("SkippedIndex", "A source index left out."),
        description: "Source indices left out, with the reason.",
      },
      summary: ref("ClusterMigrationSummary", "One row per index, and totals."),
    },
    required: ["indices", "dataStreams", "skipped", "summary"],
  };

  const snapshotMigration = snapshotMigrationSpec(registry, ref);

  const cloudAccess = cloudAccessSchema((type) => registry.token(type), connection);
  Object.assign(registry.types, cloudAccess.types);
  const reindex = propertiesOf(registry, "Reindex", reindexInputsSchema);
  return {
    name,
    version,
    displayName: "Elasticsearch and OpenSearch migrations",
    description:
      "Elasticsearch and OpenSearch data migrations as infrastructure as code: destination indices, the data copy " +
      "(full or incremental), verification and cutover.",
    license: "Apache-2.0",
    resources: {
      [registry.token("IndexMigration")]: indexMigration,
      [registry.token("ClusterMigration")]: clusterMigration,
      [registry.token("SnapshotMigration")]: snapshotMigration,
      ...cloudAccess.resources,
      // The components' children, served by the plugin too (their state is the TypeScript API's).
      [registry.token("Reindex")]: {
        description: "One data copy into a destination index (a child of the migration components).",
        inputProperties: reindex.properties,
        requiredInputs: reindex.required,
        properties: {},
      } satisfies ResourceSpec,
    },
    types: registry.types,
    language: { python: { packageName: "pulumi_es_migrate" } },
  };
}

/** What a SnapshotMigration records besides its inputs (the outputs the TypeScript class declares). */
const SNAPSHOT_RESULTS = (ref: (type: string, description: string) => PropertySpec): Record<string, PropertySpec> => ({
  status: {
    type: "string",
    description: '"complete", or "failed" when the last run stopped early (the next `pulumi up` continues it).',
  },
  snapshotName: { type: "string", description: "The snapshot's name in the repository." },
  snapshotStartedAt: {
    type: "string",
    description: "When the source started the snapshot (ISO 8601): the catch-up copies what was written from then on.",
  },
  indexResults: {
    type: "array",
    items: ref("SnapshotIndexResult", "One index's result."),
    description: "Per index: size, restored, source and destination counts, documents caught up, verification.",
  },
  durations: ref("SnapshotDurations", "Seconds the snapshot, the restore and the catch-up took in the last run."),
  verified: { type: "boolean", description: "True when every index verified at the `verify` level." },
  failures: strings("The first failures of the last run (credentials removed)."),
  cutover: ref("CutoverRecord", "When the restored indices went live, once recorded: the migration no longer runs."),
});

/**
 * SnapshotMigration, a resource as in TypeScript: its inputs from its zod schema (the repository and catch-up types
 * ClusterMigration's `snapshot` takes too), the connections and the repository secret as the TypeScript class makes them.
 */
function snapshotMigrationSpec(
  registry: TypeRegistry,
  ref: (type: string, description: string) => PropertySpec,
): ResourceSpec {
  const inputs = propertiesOf(registry, "Snapshot", snapshotMigrationInputsSchema);
  for (const field of SNAPSHOT_SECRET_INPUTS) inputs.properties[field] = { ...inputs.properties[field], secret: true };
  const described = (type: string, description: string) =>
    (registry.types[registry.token(type)].description = description);
  described(
    "SnapshotRepository",
    "A snapshot repository both clusters share (read-write on the source, read-only on the destination).",
  );
  described(
    "SnapshotCatchUp",
    "The catch-up after the restore: a Reindex window on a field that grows with every write.",
  );
  described("SnapshotRename", "Destination index names, as the restore API renames.");
  registry.types[registry.token("SnapshotIndexResult")] = {
    type: "object",
    description: "One index's row of a SnapshotMigration's results.",
    properties: {
      index: { type: "string", description: "The source index." },
      destIndex: { type: "string", description: "The restored index's name." },
      sizeBytes: { type: "number", description: "Primary store size at the source when the snapshot was taken." },
      restoredCount: { type: "integer", description: "Documents the snapshot held (before the catch-up)." },
      sourceCount: { type: "integer", description: "Documents at the source after the last run." },
      destCount: { type: "integer", description: "Documents at the destination after the last run." },
      caughtUp: { type: "integer", description: "Documents the catch-up (or the verification's repairs) wrote." },
      verified: { type: "boolean", description: "True when the index verified at the `verify` level." },
      verification: { ...ANY, description: "What the verification found (counts, missing, extra, differing)." },
    },
    required: ["index", "destIndex", "sizeBytes", "restoredCount", "sourceCount", "destCount", "caughtUp", "verified"],
  };
  registry.types[registry.token("SnapshotDurations")] = {
    type: "object",
    description: "Seconds each stage of the last run took.",
    properties: {
      snapshotSeconds: { type: "number", description: "The snapshot at the source." },
      restoreSeconds: { type: "number", description: "The restore at the destination." },
      catchUpSeconds: { type: "number", description: "The catch-up and the verification." },
    },
    required: ["snapshotSeconds", "restoreSeconds", "catchUpSeconds"],
  };
  registry.types[registry.token("CutoverRecord")] = {
    type: "object",
    description: "When the destination went live, and what recorded it.",
    properties: {
      at: { type: "string", description: "When (ISO 8601)." },
      by: { type: "string", description: 'What recorded it. One of "cutover", "phase".' },
    },
    required: ["at", "by"],
  };
  const results = SNAPSHOT_RESULTS(ref);
  return {
    description:
      "Indices moved by snapshot and restore: the repository registered on both clusters, one snapshot at the " +
      "source, restored at the destination with load settings, then caught up (a Reindex window from the " +
      "snapshot's start) and verified. The version rules are checked at preview from each index's version.",
    inputProperties: inputs.properties,
    requiredInputs: inputs.required,
    properties: { ...inputs.properties, ...results },
    required: [
      ...inputs.required,
      ...["snapshot", "deletionProtection", "verify", "timeout", "status", "snapshotName", "indexResults"],
      ...["durations", "verified", "failures"],
    ],
  };
}
