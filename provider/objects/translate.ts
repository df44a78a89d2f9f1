// A source object made for a destination: what changes with the versions and engines (a 6.x template's mapping
// type, settings only one engine knows, alias indices under their destination names), and what cannot be made at
// all, each with its reason. Pure: the facts about the clusters come in `TranslationContext`.
import type { ClusterInfo } from "../connection/types";
import { type FlatSettings, flavorOnly, mappingsFromSource, matches, typeless } from "../settings";
import { atLeast, engineName, KINDS, kindMissing } from "./kinds";
import { canonicalBody, type Json } from "./read-shapes";
import type { ClusterObject, ObjectBody, Translation } from "./types";


export interface TranslationContext {
  sourceInfo: ClusterInfo;
  destInfo: ClusterInfo;
  /** The ingest processor types every ingest node of the destination has; undefined: not known, not checked. */
  processors?: readonly string[];
  /** The script languages the destination has (`GET _script_language`); undefined: not known, not checked. */
  scriptLanguages?: readonly string[];
  /** Destination name of a source index (aliases point to the indices as the migration names them). */
  indexNames?: Readonly<Record<string, string>>;
}

/** Template settings that cannot follow a template to the other engine, or to other nodes, with why. */
const TEMPLATE_SETTING_RULES: readonly { pattern: string; reason: (dest: ClusterInfo) => string | undefined }[] = [
  { pattern: "index.routing.allocation.*", reason: () => "allocation filters name the source's nodes and tiers, which the destination does not have" },
  { pattern: "index.lifecycle.*", reason: (d) => (d.flavor === "opensearch" ? "OpenSearch has no index lifecycle management (ILM); attach an ISM policy there instead" : undefined) },
  { pattern: "index.plugins.*", reason: (d) => (d.flavor === "elasticsearch" ? "OpenSearch plugin settings (e.g. ISM) are unknown to Elasticsearch" : undefined) },
  { pattern: "index.opendistro.*", reason: (d) => (d.flavor === "elasticsearch" ? "OpenSearch plugin settings (e.g. ISM) are unknown to Elasticsearch" : undefined) },
];

function translateSettings(settings: FlatSettings | undefined, where: string, dest: ClusterInfo, dropped: string[]): FlatSettings | undefined {
  if (settings === undefined) return undefined;
  const out: FlatSettings = {};
  for (const [key, value] of Object.entries(settings)) {
    const rule = TEMPLATE_SETTING_RULES.find((r) => matches(r.pattern, key));
    const ruleReason = rule?.reason(dest);
    const only = flavorOnly(key);
    const reason = ruleReason ?? (only !== undefined && only !== dest.flavor ? `only ${only === "opensearch" ? "OpenSearch" : "Elasticsearch"} knows it; the destination is ${engineName(dest)}` : undefined);
    if (reason !== undefined) dropped.push(`${where}${key}: ${reason}`);
    else out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

// Alias options an older destination does not take.
function translateAliasOptions(options: Json, where: string, dest: ClusterInfo, dropped: string[]): Json {
  const out = { ...options };
  if (out.is_hidden !== undefined && !atLeast(dest, { elasticsearch: [7, 7], opensearch: [1, 0] })) {
    dropped.push(`${where}is_hidden: hidden aliases came with Elasticsearch 7.7`);
    delete out.is_hidden;
  }
  return out;
}

/** settings, mappings and aliases of a template part (the template itself, or its `template`). */
function translateParts(parts: Json, obj: ClusterObject, where: string, ctx: TranslationContext, dropped: string[], cannot: string[]): Json {
  const out: Json = { ...parts };
  out.settings = translateSettings(parts.settings, `${where}settings.`, ctx.destInfo, dropped);
  if (parts.mappings !== undefined && obj.typeName !== undefined && !typeless(ctx.sourceInfo)) {
    // A 6.x mapping read under its type: what 7.0 removed (`_all`, `include_in_all`) goes for a typeless destination.
    try {
      const m = mappingsFromSource(obj.name, { [obj.typeName]: parts.mappings }, ctx.sourceInfo, ctx.destInfo);
      out.mappings = m.mappings;
      for (const d of m.dropped) dropped.push(`${where}mappings.${d.path}: ${d.reason}`);
    } catch (e) {
      cannot.push((e as Error).message);
    }
  }
  if (parts.aliases !== undefined) {
    out.aliases = Object.fromEntries(Object.entries<Json>(parts.aliases).map(([name, o]) => [name, translateAliasOptions(o, `${where}aliases.${name}.`, ctx.destInfo, dropped)]));
  }
  for (const k of ["settings", "mappings", "aliases"]) if (out[k] === undefined) delete out[k];
  return out;
}

/** Every processor type a pipeline uses: its processors, their `on_failure` and `foreach` processors, the pipeline's `on_failure`. */
export function processorTypes(pipeline: ObjectBody): string[] {
  const types = new Set<string>();
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const p of list) {
      if (p === null || typeof p !== "object") continue;
      for (const [type, config] of Object.entries<Json>(p)) {
        types.add(type);
        walk(config?.on_failure);
        if (type === "foreach" && config?.processor !== undefined) walk([config.processor]);
      }
    }
  };
  walk(pipeline.processors);
  walk(pipeline.on_failure);
  return [...types].sort();
}

/** `obj` (read from a source running `ctx.sourceInfo`) as the destination `ctx.destInfo` takes it. */
export function translateObject(obj: ClusterObject, ctx: TranslationContext): Translation {
  const dropped: string[] = [];
  const cannot = [...(obj.problems ?? [])];
  const missing = kindMissing(obj.kind, ctx.destInfo);
  if (missing !== undefined) {
    const instead = obj.kind === "indexTemplate" ? ": declare a LegacyIndexTemplate with the merged settings and mappings instead" : "";
    cannot.push(`the destination ${missing}${instead}`);
  }
  let body: ObjectBody = obj.body;
  switch (obj.kind) {
    case "legacyTemplate":
      body = translateParts(obj.body, obj, "", ctx, dropped, cannot);
      break;
    case "indexTemplate":
    case "componentTemplate":
      if (obj.body.template !== undefined) body = { ...obj.body, template: translateParts(obj.body.template as Json, obj, "template.", ctx, dropped, cannot) };
      if (obj.body.data_stream !== undefined && !atLeast(ctx.destInfo, { elasticsearch: [7, 9], opensearch: [1, 0] }) && missing === undefined) {
        cannot.push(`it creates data streams, which ${engineName(ctx.destInfo)} does not have (they came with Elasticsearch 7.9)`);
      }
      break;
    case "pipeline": {
      if (ctx.processors !== undefined) {
        const lacking = processorTypes(obj.body).filter((t) => !ctx.processors!.includes(t));
        if (lacking.length > 0) {
          cannot.push(`the destination's ingest nodes have no ${lacking.map((t) => `"${t}"`).join(", ")} processor${lacking.length > 1 ? "s" : ""} (install the module or plugin that provides ${lacking.length > 1 ? "them" : "it"}, or declare the pipeline without ${lacking.length > 1 ? "them" : "it"})`);
        }
      }
      break;
    }
    case "alias": {
      const names = ctx.indexNames ?? {};
      body = Object.fromEntries(Object.entries(obj.body as Record<string, Json>).map(([index, o]) => [names[index] ?? index, translateAliasOptions(o, `${index}.`, ctx.destInfo, dropped)]));
      break;
    }
    case "script": {
      const lang = String(obj.body.lang);
      if (ctx.scriptLanguages !== undefined && !ctx.scriptLanguages.includes(lang)) {
        cannot.push(`the destination has no "${lang}" script language (it has ${ctx.scriptLanguages.join(", ") || "none"}): install the module that provides it`);
      }
      break;
    }
  }
  // What was left out may leave an empty part (`mappings: {}`), which the destination answers without: canonical again.
  return { body: cannot.length > 0 ? obj.body : canonicalBody(obj.kind, body).body, dropped, cannot };
}

/** The kind's title with the object's name, for messages: `composable index template "logs"`. */
export function objectLabel(obj: Pick<ClusterObject, "kind" | "name">): string {
  return `${KINDS[obj.kind].title} "${obj.name}"`;
}
