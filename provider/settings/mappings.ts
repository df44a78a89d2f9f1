// Mappings: converting a source index's mappings for the destination's engine, and classifying a change of a
// mapping as something PUT _mapping can do (new fields) or something that needs a new index (a field's type or
// most parameters of an existing field, a removed field).
import type { ClusterInfo } from "../connection/types";
import { stableJson } from "../shared/stable-json";
import { describe, typeless } from "./copy";

export { stableJson };

/**
 * A typeless mapping (`{ properties: {...}, dynamic?, _source?, ... }`), and the shape of each field in it: its
 * `type` (none for an object field), its sub-fields (`properties`), multi-fields (`fields`) and other parameters.
 */
export interface Mapping {
  type?: string;
  properties?: Record<string, Mapping>;
  fields?: Record<string, Mapping>;
  [parameter: string]: unknown;
}

/** A 5.x source index with several mapping types cannot become one 7+/OpenSearch index as it is. */
export class MappingTypesError extends Error {
  constructor(
    readonly index: string,
    readonly types: string[],
  ) {
    super(
      `copyFrom.index "${index}" has ${types.length} mapping types (${types.join(", ")}); Elasticsearch 7+ and OpenSearch indices have one. ` +
        "Options: (1) one DestinationIndex per type, each with explicit `mappings` set to that type's mapping " +
        "(and a copy per type that selects it with a query on `_type`); or (2) one DestinationIndex with explicit " +
        "`mappings` that merge the types' properties (field types must agree), plus a keyword field for the old type name.",
    );
    this.name = "MappingTypesError";
  }
}

/** A mapping element left out of a copied mapping, and why. */
export interface DroppedMapping {
  path: string;
  reason: string;
}

// Meta-fields and parameters 6.x accepted and 7.0 removed: sending them to a typeless engine fails.
const REMOVED_IN_7: Record<string, string> = {
  _all: "the _all field was removed in Elasticsearch 7 (use copy_to into a field of your own)",
  include_in_all: "include_in_all went with the _all field in Elasticsearch 7",
};

function stripRemoved(node: unknown, path: string, dropped: DroppedMapping[]): unknown {
  if (Array.isArray(node)) return node.map((n, i) => stripRemoved(n, `${path}[${i}]`, dropped));
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    const reason = REMOVED_IN_7[k];
    if (reason !== undefined) {
      dropped.push({ path: path === "" ? k : `${path}.${k}`, reason });
      continue;
    }
    out[k] = stripRemoved(v, path === "" ? k : `${path}.${k}`, dropped);
  }
  return out;
}

/**
 * The typeless mapping to create the destination with, from `sourceMappings` (the `mappings` of
 * `GET /<index>/_mapping`). Elasticsearch < 7 reports mappings under their type name: a single type is unwrapped
 * (its name is returned as `typeName`, which a 6.x destination needs again), `_default_` is ignored, several types
 * throw MappingTypesError. Parameters 7.0 removed (`_all`, `include_in_all`) are dropped for typeless destinations.
 */
export function mappingsFromSource(
  index: string,
  sourceMappings: Mapping | undefined,
  sourceInfo: ClusterInfo,
  destInfo: ClusterInfo,
): { mappings: Mapping; typeName?: string; dropped: DroppedMapping[] } {
  const raw = sourceMappings ?? {};
  const dropped: DroppedMapping[] = [];
  if (typeless(sourceInfo)) return { mappings: raw, dropped };
  const types = Object.keys(raw).filter((t) => t !== "_default_");
  if (types.length === 0) return { mappings: {}, dropped };
  if (types.length > 1) throw new MappingTypesError(index, types);
  const typeName = types[0];
  // 6.x answers `{ <type>: <mapping> }`.
  const typed = raw[typeName] as Mapping;
  if (!typeless(destInfo)) return { mappings: typed, typeName, dropped };
  if (raw._default_ !== undefined)
    dropped.push({ path: "_default_", reason: `the _default_ mapping is not supported by ${describe(destInfo)}` });
  return { mappings: stripRemoved(typed, "", dropped) as Mapping, typeName, dropped };
}

/** The body of a create-index or put-mapping request for `destInfo`: typeless, or under `typeName` (default `_doc`) for 6.x. */
export function mappingsForDestination(mappings: Mapping, destInfo: ClusterInfo, typeName?: string): Mapping {
  return typeless(destInfo) ? mappings : { [typeName ?? "_doc"]: mappings };
}

/** `base` with `over` on top: top-level keys of `over` win; under `properties`, each field of `over` replaces the field of `base`. */
export function overlayMappings(base: Mapping, over: Mapping): Mapping {
  const out: Mapping = { ...base, ...over };
  if (base.properties !== undefined || over.properties !== undefined) {
    out.properties = { ...(base.properties ?? {}), ...(over.properties ?? {}) };
  }
  return out;
}

/** One difference between two mappings, with the dotted field path it concerns. */
export interface MappingChange {
  path: string;
  reason: string;
}

export interface MappingChangeClass {
  /** Changes PUT /<index>/_mapping applies in place (new fields, dynamic, _meta, ...). */
  update: MappingChange[];
  /** Changes that need a new index (a field's type, most parameters of an existing field, a removed field). */
  replace: MappingChange[];
}

// Top-level mapping keys PUT _mapping can change on an existing index.
const UPDATABLE_ROOT = new Set([
  "dynamic",
  "_meta",
  "dynamic_templates",
  "date_detection",
  "numeric_detection",
  "dynamic_date_formats",
]);
// Field parameters that may change on an existing field.
const UPDATABLE_PARAMS = new Set([
  "ignore_above",
  "dynamic",
  "meta",
  "search_analyzer",
  "search_quote_analyzer",
  "ignore_malformed",
]);

// A field without `type` is an object (it has `properties`, or is an empty object field).
const fieldType = (f: Mapping | undefined): string => (typeof f?.type === "string" ? f.type : "object");

function compareFields(
  oldProps: Record<string, Mapping>,
  newProps: Record<string, Mapping>,
  prefix: string,
  out: MappingChangeClass,
  what = "field",
): void {
  for (const name of Object.keys(oldProps)) {
    if (!(name in newProps)) {
      out.replace.push({
        path: prefix + name,
        reason: `${what} "${prefix + name}" was removed (a field cannot be removed from an existing index)`,
      });
    }
  }
  for (const [name, nf] of Object.entries(newProps)) {
    const path = prefix + name;
    const of = oldProps[name];
    if (of === undefined) {
      out.update.push({ path, reason: `${what} "${path}" is added (${fieldType(nf)})` });
      continue;
    }
    if (fieldType(of) !== fieldType(nf)) {
      out.replace.push({
        path,
        reason: `${what} "${path}" changes type from ${fieldType(of)} to ${fieldType(nf)} (a field's type cannot change in place)`,
      });
      continue;
    }
    compareFields(of.properties ?? {}, nf.properties ?? {}, `${path}.`, out);
    compareFields(of.fields ?? {}, nf.fields ?? {}, `${path}.`, out, "multi-field");
    const params = new Set(
      [...Object.keys(of), ...Object.keys(nf)].filter((k) => !["type", "properties", "fields"].includes(k)),
    );
    for (const p of params) {
      if (stableJson(of[p]) === stableJson(nf[p])) continue;
      const change = {
        path,
        reason: `parameter ${p} of ${what} "${path}" changes from ${stableJson(of[p]) ?? "unset"} to ${stableJson(nf[p]) ?? "unset"}`,
      };
      if (UPDATABLE_PARAMS.has(p)) out.update.push(change);
      else out.replace.push({ ...change, reason: `${change.reason} (it cannot change on an existing field)` });
    }
  }
}

/** Classifies the change from mapping `old` to mapping `next` (both typeless). */
export function classifyMappingChange(old: Mapping, next: Mapping): MappingChangeClass {
  const out: MappingChangeClass = { update: [], replace: [] };
  compareFields(old.properties ?? {}, next.properties ?? {}, "", out);
  const roots = new Set([...Object.keys(old), ...Object.keys(next)].filter((k) => k !== "properties"));
  for (const key of roots) {
    if (stableJson(old[key]) === stableJson(next[key])) continue;
    const reason = `mapping ${key} changes from ${stableJson(old[key]) ?? "unset"} to ${stableJson(next[key]) ?? "unset"}`;
    if (UPDATABLE_ROOT.has(key)) out.update.push({ path: key, reason });
    else out.replace.push({ path: key, reason: `${reason} (it cannot change on an existing index)` });
  }
  return out;
}

/**
 * What `live` (the index's mapping now) says about the fields `declared` names: `declared` with each declared
 * field whose live type differs replaced by its live definition, and declared fields missing live removed.
 * Fields only the live mapping has (added by dynamic mapping during the load) are not drift and are left out.
 */
export function declaredView(declared: Mapping, live: Mapping): Mapping {
  const view = (decl: Record<string, Mapping>, now: Record<string, Mapping>): Record<string, Mapping> => {
    const out: Record<string, Mapping> = {};
    for (const [name, df] of Object.entries(decl)) {
      const lf = now[name];
      if (lf === undefined) continue;
      if (fieldType(df) !== fieldType(lf)) {
        out[name] = lf;
        continue;
      }
      const f: Mapping = { ...df };
      if (df.properties !== undefined) f.properties = view(df.properties, lf.properties ?? {});
      out[name] = f;
    }
    return out;
  };
  return declared.properties === undefined
    ? declared
    : { ...declared, properties: view(declared.properties, live.properties ?? {}) };
}
