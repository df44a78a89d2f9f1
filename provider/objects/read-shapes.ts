// How each engine answers the GET of each kind, turned into one canonical body per object. The canonical form is
// what the object means, spelled one way: template settings flat (`index.` keys, string values), mappings typeless
// (a 6.x mapping type unwrapped, its name kept apart), a 5.x legacy `template` read as `index_patterns`, alias
// routing collapsed to `routing` when index and search routing agree, and the defaults a server adds on its own
// (legacy `order: 0`, empty `settings` / `mappings` / `aliases`, an empty `composed_of`, a mustache script's
// content type) left out. Two bodies mean the same when their canonical forms are equal as JSON.
import type { ClusterInfo } from "../connection/types";
import { type FlatSettings, normalizeSettings, SettingsShapeError, typeless } from "../settings";
import type { AliasIndexOptions } from "./schema";
import type { ObjectBody, ObjectKind } from "./types";

/**
 * A JSON object of an engine's answer or a body, read by its shape. `any` on purpose: the shapes differ per engine
 * and release, and every read here is guarded (isObject, Array.isArray, typeof) before it is trusted.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = Record<string, any>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const isEmpty = (v: unknown): boolean =>
  v === undefined || (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);

/** A canonical body, the mapping type it was read under (6.x), and what kept it from being canonical. */
export interface Canonical {
  body: ObjectBody;
  typeName?: string;
  problems: string[];
}

/** Object keys in a stable order at every depth, arrays kept in their order (processors and patterns are ordered). */
export function sortedDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedDeep) as T;
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => [k, sortedDeep(value[k])]),
  ) as T;
}

/** Alias options as one spelling: `routing` when index and search routing agree, nothing undefined. */
export function canonicalAliasOptions(options: unknown): AliasIndexOptions {
  const o: Json = isObject(options) ? { ...options } : {};
  // `routing` sets both; an explicit index_routing / search_routing wins over it, as the engines apply them.
  if (o.routing !== undefined) {
    o.index_routing ??= o.routing;
    o.search_routing ??= o.routing;
  }
  delete o.routing;
  if (o.index_routing !== undefined && o.index_routing === o.search_routing) {
    o.routing = o.index_routing;
    delete o.index_routing;
    delete o.search_routing;
  }
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return sortedDeep(o);
}

function canonicalSettings(settings: unknown, problems: string[]): FlatSettings | undefined {
  if (isEmpty(settings)) return undefined;
  try {
    return normalizeSettings(settings as Json);
  } catch (e) {
    if (!(e instanceof SettingsShapeError)) throw e;
    problems.push(e.message);
    return undefined;
  }
}

/**
 * Typeless mappings from what a template answered: a cluster with mapping types (Elasticsearch before 7) wraps the
 * mapping in its type, `_default_` aside; several types cannot become one typeless mapping.
 */
function canonicalMappings(
  mappings: unknown,
  info: ClusterInfo | undefined,
  problems: string[],
): { mappings?: Json; typeName?: string } {
  if (!isObject(mappings) || isEmpty(mappings)) return {};
  if (info === undefined || typeless(info)) return { mappings: sortedDeep(mappings) };
  const types = Object.keys(mappings).filter((t) => t !== "_default_");
  if (types.length > 1) {
    problems.push(
      `its mappings have ${types.length} mapping types (${types.join(", ")}); Elasticsearch 7+ and OpenSearch take one typeless mapping: declare the merged mapping yourself`,
    );
    return {};
  }
  if (types.length === 0) return {};
  const inner = mappings[types[0]];
  return isEmpty(inner) ? { typeName: types[0] } : { mappings: sortedDeep(inner), typeName: types[0] };
}

function canonicalAliases(aliases: unknown): Json | undefined {
  if (!isObject(aliases) || isEmpty(aliases)) return undefined;
  return Object.fromEntries(
    Object.keys(aliases)
      .sort()
      .map((name) => [name, canonicalAliasOptions(aliases[name])]),
  );
}

/** settings / mappings / aliases of a template (legacy: at the top; composable and component: under `template`). */
function templateParts(t: Json, info: ClusterInfo | undefined, problems: string[]): { parts: Json; typeName?: string } {
  const { mappings, typeName } = canonicalMappings(t.mappings, info, problems);
  const parts: Json = {
    settings: canonicalSettings(t.settings, problems),
    mappings,
    aliases: canonicalAliases(t.aliases),
  };
  return { parts, typeName };
}

function legacyTemplate(raw: Json, info: ClusterInfo | undefined): Canonical {
  const problems: string[] = [];
  const { template, index_patterns, order, ...rest } = raw;
  // 5.x names the one pattern `template`; 6.0 introduced the `index_patterns` list.
  const patterns = index_patterns ?? template;
  const { parts, typeName } = templateParts(rest, info, problems);
  const body: Json = { ...rest, ...parts, index_patterns: typeof patterns === "string" ? [patterns] : patterns };
  if (order !== undefined && Number(order) !== 0) body.order = Number(order);
  return { body: dropEmpty(body, ["settings", "mappings", "aliases"]), typeName, problems };
}

function composableTemplate(
  raw: Json,
  info: ClusterInfo | undefined,
  kind: "indexTemplate" | "componentTemplate",
): Canonical {
  const problems: string[] = [];
  const { parts, typeName } = templateParts(isObject(raw.template) ? raw.template : {}, info, problems);
  const template = dropEmpty(parts, ["settings", "mappings", "aliases"]);
  const body: Json = { ...raw, template };
  // A component template always has a `template`; a composable one may be only patterns and components.
  if (kind === "indexTemplate" && isEmpty(template)) delete body.template;
  if (isObject(raw.data_stream)) body.data_stream = dataStreamWithoutDefaults(raw.data_stream);
  return { body: dropEmpty(body, ["composed_of"]), typeName, problems };
}

/**
 * `data_stream` without what the engines fill in themselves: OpenSearch answers `timestamp_field: @timestamp` for
 * the `{}` that was put, Elasticsearch `hidden: false` (7.11+), so a template copied across engines compares the same.
 */
function dataStreamWithoutDefaults(ds: Json): Json {
  const out: Json = { ...ds };
  if (isObject(out.timestamp_field) && out.timestamp_field.name === "@timestamp") delete out.timestamp_field;
  if (out.hidden === false) delete out.hidden;
  return out;
}

function dropEmpty(body: Json, keys: string[]): Json {
  const out = { ...body };
  for (const k of keys) if (isEmpty(out[k])) delete out[k];
  return sortedDeep(out);
}

const MUSTACHE_CONTENT_TYPE = "application/json; charset=UTF-8";

function storedScript(raw: Json): Canonical {
  // GET _scripts/<id> answers { _id, found, script: {...} }; the cluster state holds the script itself.
  const s: Json = isObject(raw.script) ? raw.script : raw;
  const body: Json = { lang: s.lang, source: s.source };
  // A mustache template given as an object is stored as its JSON text, with a content type the server adds.
  if (s.lang === "mustache" && isObject(s.source)) body.source = JSON.stringify(s.source);
  const options: Json = isObject(s.options) ? { ...s.options } : {};
  if (s.lang === "mustache" && options.content_type === MUSTACHE_CONTENT_TYPE) delete options.content_type;
  if (!isEmpty(options)) body.options = options;
  return { body: sortedDeep(body), problems: [] };
}

/**
 * The canonical body of one object of `kind` from what a cluster running `info` answered (or what a user declared:
 * `info` undefined reads it as typeless, as users write bodies for the destination).
 */
export function canonicalBody(kind: ObjectKind, raw: unknown, info?: ClusterInfo): Canonical {
  const r: Json = isObject(raw) ? raw : {};
  switch (kind) {
    case "legacyTemplate":
      return legacyTemplate(r, info);
    case "indexTemplate":
    case "componentTemplate":
      return composableTemplate(r, info, kind);
    case "pipeline":
      return { body: sortedDeep(r), problems: [] };
    case "script":
      return storedScript(r);
    case "alias":
      // name -> options of each index the alias points to
      return {
        body: Object.fromEntries(
          Object.keys(r)
            .sort()
            .map((index) => [index, canonicalAliasOptions(r[index])]),
        ),
        problems: [],
      };
  }
}

/** name -> raw body of every object in a list answer of `kind` (see `listRequest` in ./kinds). */
export function listAnswerEntries(kind: ObjectKind, answer: unknown): [string, Json][] {
  const a: Json = isObject(answer) ? answer : {};
  switch (kind) {
    case "indexTemplate":
      return (Array.isArray(a.index_templates) ? a.index_templates : []).map((t: Json) => [
        t.name,
        t.index_template ?? {},
      ]);
    case "componentTemplate":
      return (Array.isArray(a.component_templates) ? a.component_templates : []).map((t: Json) => [
        t.name,
        t.component_template ?? {},
      ]);
    case "legacyTemplate":
    case "pipeline":
      return Object.entries(a).filter(([, v]) => isObject(v)) as [string, Json][];
    case "script":
      return Object.entries(isObject(a.metadata?.stored_scripts) ? a.metadata.stored_scripts : {}) as [string, Json][];
    case "alias":
      return aliasesByName(a);
  }
}

/** `GET _alias` answers per index ({ index: { aliases: { name: options } } }); objects are per alias name. */
function aliasesByName(answer: Json): [string, Json][] {
  const byName = new Map<string, Json>();
  for (const [index, entry] of Object.entries(answer)) {
    for (const [name, options] of Object.entries<Json>(isObject(entry?.aliases) ? entry.aliases : {})) {
      const indices = byName.get(name) ?? {};
      indices[index] = options ?? {};
      byName.set(name, indices);
    }
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The raw body of the object `name` in the answer of a GET of that one object, or undefined when absent. */
export function oneAnswerEntry(kind: ObjectKind, name: string, answer: unknown): Json | undefined {
  if (answer === undefined || answer === null) return undefined;
  if (kind === "script") {
    const a = answer as Json;
    return a.found === false || !isObject(a.script) ? undefined : a;
  }
  const found = listAnswerEntries(kind, answer).find(([n]) => n === name);
  return found?.[1];
}
