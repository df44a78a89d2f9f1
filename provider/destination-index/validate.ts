// check(): validates a DestinationIndex's inputs before anything is created and returns them normalized. The fields,
// their types and defaults are the schema's (./schema); every problem names its field and the fix. Values Pulumi
// does not know yet (preview) pass as they are.
import { z } from "zod";
import { UNKNOWN, checkConnection, containsUnknown, isUnknown } from "../connection";
import { indexNameProblems } from "../shared/index-names";
import { PHASES, phaseProblem, type Phase } from "../shared/live-destination";
import { type FlatSettings, SettingsShapeError, normalizeSettings, settingKind, sortKeys } from "../settings";
import type { Problem } from "../shared/problems";
import { DESTINATION_INDEX_OUTPUT_ONLY } from "./types";
import {
  ALIAS_OPTION_FIELDS,
  DEFAULT_LOAD_SETTINGS,
  DESTINATION_INDEX_FIELDS,
  destinationIndexInputsSchema,
  type AliasOptions,
  type DestinationIndexInputs,
} from "./schema";

export { DEFAULT_LOAD_SETTINGS, indexNameProblems };

const FIELDS: readonly string[] = DESTINATION_INDEX_FIELDS;
// The defaults the schema declares (and the reference documents).
const DEFAULTS = {
  deletionProtection: destinationIndexInputsSchema.shape.deletionProtection.parse(undefined),
  adoptExisting: destinationIndexInputsSchema.shape.adoptExisting.parse(undefined),
};
const ALIAS_OPTIONS: readonly string[] = ALIAS_OPTION_FIELDS;
// Output names the resource seeds as undefined (Pulumi passes them along with the inputs).
const OUTPUT_ONLY: readonly string[] = [...DESTINATION_INDEX_OUTPUT_ONLY, "__provider"];

const plainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const bool = (field: string) =>
  z.union([z.boolean(), z.literal(UNKNOWN)], { error: `${field} must be true or false` }).optional();

const topShape = z.looseObject({
  deletionProtection: bool("deletionProtection"),
  adoptExisting: bool("adoptExisting"),
  phase: z
    .union([z.enum(PHASES), z.literal(UNKNOWN)], { error: phaseProblem("?")!.replace(/, got .*$/, "") })
    .optional()
    .describe("sync (default) or cutover-done: the index is live"),
});

function validateSettings(value: unknown, field: string, failures: Problem[]): FlatSettings | undefined {
  if (value === undefined) return undefined;
  if (isUnknown(value)) return value as unknown as FlatSettings;
  if (!plainObject(value)) {
    failures.push({
      property: field,
      reason: `${field} must be an object of settings, e.g. { number_of_shards: 3, refresh_interval: "30s" }`,
    });
    return undefined;
  }
  if (containsUnknown(value)) return value as FlatSettings;
  try {
    const flat = normalizeSettings(value);
    for (const key of Object.keys(flat)) {
      if (settingKind(key) === "read-only") {
        failures.push({ property: field, reason: `${field}: "${key}" is read-only (the engine sets it): remove it` });
      }
    }
    return flat;
  } catch (e) {
    if (e instanceof SettingsShapeError) {
      failures.push({ property: field, reason: `${field}: ${e.message}` });
      return undefined;
    }
    throw e;
  }
}

function validateMappings(value: unknown, failures: Problem[]): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (isUnknown(value)) return value as unknown as Record<string, unknown>;
  if (!plainObject(value)) {
    failures.push({
      property: "mappings",
      reason: 'mappings must be an object like { properties: { title: { type: "text" } } }',
    });
    return undefined;
  }
  if (containsUnknown(value)) return value;
  const keys = Object.keys(value);
  // A typed mapping ({ _doc: { properties } }) from a 6.x template: the engines here want the inner object.
  if (
    value.properties === undefined &&
    keys.length === 1 &&
    plainObject(value[keys[0]]) &&
    (value[keys[0]] as Record<string, unknown>).properties !== undefined
  ) {
    failures.push({
      property: "mappings",
      reason: `mappings is wrapped in a mapping type ("${keys[0]}"): give the typeless form, the object inside "${keys[0]}" ({ properties: ... })`,
    });
  }
  if (value.properties !== undefined && !plainObject(value.properties)) {
    failures.push({
      property: "mappings",
      reason: "mappings.properties must be an object of field name to field mapping",
    });
  } else if (plainObject(value.properties)) {
    const walk = (props: Record<string, unknown>, prefix: string) => {
      for (const [name, f] of Object.entries(props)) {
        if (!plainObject(f)) {
          failures.push({
            property: "mappings",
            reason: `mappings field "${prefix}${name}" must be an object like { type: "keyword" }`,
          });
        } else if (f.type !== undefined && typeof f.type !== "string" && !isUnknown(f.type)) {
          failures.push({
            property: "mappings",
            reason: `mappings field "${prefix}${name}" has a type that is not a string`,
          });
        } else if (plainObject(f.properties)) {
          walk(f.properties, `${prefix}${name}.`);
        }
      }
    };
    walk(value.properties, "");
  }
  return value;
}

function validateAliases(value: unknown, failures: Problem[]): Record<string, AliasOptions> | undefined {
  if (value === undefined) return undefined;
  if (containsUnknown(value)) return value as Record<string, AliasOptions>;
  let entries: [string, unknown][];
  if (Array.isArray(value)) entries = value.map((n) => [n, {}] as [string, unknown]);
  else if (plainObject(value)) entries = Object.entries(value);
  else {
    failures.push({
      property: "aliases",
      reason:
        'aliases must be a list of names or an object of name to options, e.g. { "logs": { is_write_index: true } }',
    });
    return undefined;
  }
  const out: Record<string, AliasOptions> = {};
  for (const [name, opts] of entries) {
    if (typeof name !== "string") {
      failures.push({ property: "aliases", reason: "aliases must be names (strings)" });
      continue;
    }
    for (const p of indexNameProblems(name, `alias`)) failures.push({ property: "aliases", reason: `aliases: ${p}` });
    if (!plainObject(opts)) {
      failures.push({ property: "aliases", reason: `aliases "${name}" must have an options object (or {})` });
      continue;
    }
    const unknownKeys = Object.keys(opts).filter((k) => !ALIAS_OPTIONS.includes(k));
    if (unknownKeys.length > 0) {
      failures.push({
        property: "aliases",
        reason: `aliases "${name}" has unknown option(s) ${unknownKeys.join(", ")}: use ${ALIAS_OPTIONS.join(", ")}`,
      });
    }
    out[name] = opts as AliasOptions;
  }
  return sortKeys(out);
}

function connectionOf(value: unknown, field: string, failures: Problem[]) {
  if (value === undefined) {
    failures.push({
      property: field,
      reason: `${field} is required: how to reach the cluster, e.g. { url: "http://10.0.0.5:9200", username, password }`,
    });
    return undefined;
  }
  const checked = checkConnection(value, field);
  for (const p of checked.problems) failures.push({ property: field, reason: p.reason });
  return checked.connection;
}

/** Validates and normalizes raw inputs. `inputs` is complete only when `failures` is empty. */
export function checkInputs(news: Record<string, unknown>): { inputs: DestinationIndexInputs; failures: Problem[] } {
  const failures: Problem[] = [];
  const unknownFields = Object.keys(news).filter((k) => !FIELDS.includes(k) && !OUTPUT_ONLY.includes(k));
  if (unknownFields.length > 0) {
    failures.push({
      property: unknownFields[0],
      reason: `unknown field(s) ${unknownFields.join(", ")}: DestinationIndex takes ${FIELDS.join(", ")}`,
    });
  }
  const top = topShape.safeParse(news);
  if (!top.success)
    for (const issue of top.error.issues) failures.push({ property: String(issue.path[0]), reason: issue.message });

  const cluster = connectionOf(news.cluster, "cluster", failures);

  const index = news.index;
  if (index === undefined)
    failures.push({
      property: "index",
      reason: 'index is required: the name of the index on the destination, e.g. "logs-2024"',
    });
  else if (typeof index !== "string") failures.push({ property: "index", reason: "index must be a string" });
  else if (!isUnknown(index))
    for (const p of indexNameProblems(index, "index")) failures.push({ property: "index", reason: p });

  let copyFrom: DestinationIndexInputs["copyFrom"];
  if (news.copyFrom !== undefined && !isUnknown(news.copyFrom)) {
    if (!plainObject(news.copyFrom)) {
      failures.push({
        property: "copyFrom",
        reason: 'copyFrom must be an object like { cluster: { url: "http://source:9200" }, index: "logs" }',
      });
    } else {
      const extra = Object.keys(news.copyFrom).filter((k) => k !== "cluster" && k !== "index");
      if (extra.length > 0)
        failures.push({
          property: "copyFrom",
          reason: `copyFrom has unknown field(s) ${extra.join(", ")}: copyFrom takes cluster and index`,
        });
      const srcCluster = connectionOf(news.copyFrom.cluster, "copyFrom.cluster", failures);
      const srcIndex = news.copyFrom.index;
      if (typeof srcIndex !== "string") {
        failures.push({
          property: "copyFrom",
          reason: 'copyFrom.index is required: the source index to copy settings and mappings from, e.g. "logs"',
        });
      } else if (!isUnknown(srcIndex)) {
        if (/[*,]/.test(srcIndex) || srcIndex === "_all") {
          failures.push({
            property: "copyFrom",
            reason: `copyFrom.index "${srcIndex}" names several indices: give one index (use listSourceIndices and one DestinationIndex per index)`,
          });
        } else if (srcIndex === "")
          failures.push({ property: "copyFrom", reason: "copyFrom.index is empty: give the source index name" });
      }
      if (srcCluster !== undefined && typeof srcIndex === "string") copyFrom = { cluster: srcCluster, index: srcIndex };
      if (
        copyFrom !== undefined &&
        cluster !== undefined &&
        !containsUnknown(cluster.url) &&
        copyFrom.cluster.url === cluster.url &&
        copyFrom.index === index
      ) {
        failures.push({
          property: "copyFrom",
          reason: `copyFrom points at the destination index itself (${cluster.url}, "${index}"): copy from the source cluster's index`,
        });
      }
    }
  } else if (isUnknown(news.copyFrom)) {
    copyFrom = news.copyFrom as unknown as DestinationIndexInputs["copyFrom"];
  }

  const settings = validateSettings(news.settings, "settings", failures);
  const mappings = validateMappings(news.mappings, failures);
  const aliases = validateAliases(news.aliases, failures);
  const loadSettings =
    news.loadSettings === undefined
      ? DEFAULT_LOAD_SETTINGS
      : validateSettings(news.loadSettings, "loadSettings", failures);
  if (loadSettings !== undefined && !containsUnknown(loadSettings)) {
    for (const key of Object.keys(loadSettings)) {
      if (settingKind(key) !== "dynamic") {
        failures.push({
          property: "loadSettings",
          reason: `loadSettings: "${key}" is not a dynamic setting, so it could not be restored after the load: put it in settings instead`,
        });
      }
    }
  }

  const inputs: DestinationIndexInputs = {
    cluster: cluster as DestinationIndexInputs["cluster"],
    index: index as string,
    loadSettings: loadSettings ?? DEFAULT_LOAD_SETTINGS,
    deletionProtection: (news.deletionProtection ?? DEFAULTS.deletionProtection) as boolean,
    adoptExisting: (news.adoptExisting ?? DEFAULTS.adoptExisting) as boolean,
  };
  if (copyFrom !== undefined) inputs.copyFrom = copyFrom;
  if (news.phase !== undefined) inputs.phase = news.phase as Phase;
  if (settings !== undefined) inputs.settings = settings;
  if (mappings !== undefined) inputs.mappings = mappings;
  if (aliases !== undefined) inputs.aliases = aliases;
  return { inputs, failures };
}
