// The composable index template a data stream needs at the destination: the source's template (and the component
// templates it is composed of) as the destination engine takes it, and the comparable form that tells "the same"
// from "another body". Pure; table-tested in test/unit/data-stream.test.ts.
import type { ClusterInfo } from "../connection/types";
import { wildcardPattern } from "../indices";
import { normalizeSettings } from "../settings";
import { stableJson } from "../shared/stable-json";

export type TemplateBody = Record<string, unknown>;

/** The template a stream is created from: its name, its body, and the bodies of the component templates it names. */
export interface StreamTemplate {
  name: string;
  /** The `PUT _index_template/<name>` body (`index_patterns`, `data_stream`, `template`, `composed_of`, ...). */
  body: TemplateBody;
  /** By name: the `PUT _component_template/<name>` body of each template in `composed_of`. */
  components: Record<string, TemplateBody>;
}

/** A setting the destination would refuse, left out of a copied template. */
export interface DroppedTemplateSetting {
  template: string;
  setting: string;
  reason: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Settings of one engine's lifecycle management, which the other engine refuses as unknown settings. */
function foreignSetting(key: string, dest: ClusterInfo): string | undefined {
  if (dest.flavor === "opensearch" && key.startsWith("index.lifecycle.")) return "Elasticsearch ILM; OpenSearch manages lifecycles with ISM policies";
  if (dest.flavor === "elasticsearch" && (key.startsWith("index.plugins.index_state_management.") || key.startsWith("index.opendistro.index_state_management."))) {
    return "OpenSearch ISM; Elasticsearch manages lifecycles with ILM policies";
  }
  return undefined;
}

/** `template` (settings, mappings, aliases) for the destination: settings flat, the other engine's lifecycle left out. */
function innerTemplate(inner: unknown, name: string, dest: ClusterInfo, dropped: DroppedTemplateSetting[]): TemplateBody | undefined {
  if (!isObject(inner)) return undefined;
  const out: TemplateBody = { ...inner };
  if (inner.settings !== undefined) {
    const flat = normalizeSettings(inner.settings as Record<string, unknown>);
    for (const key of Object.keys(flat)) {
      const reason = foreignSetting(key, dest);
      if (reason === undefined) continue;
      dropped.push({ template: name, setting: key, reason });
      delete flat[key];
    }
    if (Object.keys(flat).length > 0) out.settings = flat;
    else delete out.settings;
  }
  return out;
}

/**
 * `data_stream` as the destination takes it: OpenSearch keeps a custom timestamp field (its own option);
 * Elasticsearch takes `{}` (7.9/7.10), `hidden` from 7.11.
 */
function dataStreamFor(ds: Record<string, unknown>, dest: ClusterInfo): Record<string, unknown> {
  if (dest.flavor === "opensearch") {
    const field = (ds.timestamp_field as { name?: unknown } | undefined)?.name;
    return typeof field === "string" && field !== "@timestamp" ? { timestamp_field: { name: field } } : {};
  }
  const hiddenKnown = dest.major > 7 || (dest.major === 7 && dest.minor >= 11);
  return hiddenKnown && ds.hidden === true ? { hidden: true } : {};
}

/** An index template's body (as `GET _index_template` shows it) for the destination, with what it had to leave out. */
export function indexTemplateFor(name: string, body: TemplateBody, dest: ClusterInfo): { body: TemplateBody; dropped: DroppedTemplateSetting[] } {
  const dropped: DroppedTemplateSetting[] = [];
  const out: TemplateBody = {};
  for (const key of ["index_patterns", "priority", "version", "_meta"]) if (body[key] !== undefined) out[key] = body[key];
  const composed = body.composed_of;
  if (Array.isArray(composed) && composed.length > 0) out.composed_of = composed;
  const inner = innerTemplate(body.template, name, dest, dropped);
  if (inner !== undefined && Object.keys(inner).length > 0) out.template = inner;
  if (isObject(body.data_stream)) out.data_stream = dataStreamFor(body.data_stream, dest);
  return { body: out, dropped };
}

/** A component template's body for the destination. */
export function componentTemplateFor(name: string, body: TemplateBody, dest: ClusterInfo): { body: TemplateBody; dropped: DroppedTemplateSetting[] } {
  const dropped: DroppedTemplateSetting[] = [];
  const out: TemplateBody = {};
  for (const key of ["version", "_meta"]) if (body[key] !== undefined) out[key] = body[key];
  const inner = innerTemplate(body.template, name, dest, dropped);
  out.template = inner ?? {};
  return { body: out, dropped };
}

/**
 * A template body in a form two engines' answers compare in: settings flat with string values (`GET` returns them
 * nested, as strings), `data_stream`'s default timestamp field left out (OpenSearch shows it though `{}` was put),
 * an empty `composed_of` or `template` the same as none.
 */
export function comparableTemplate(body: TemplateBody): string {
  const out: TemplateBody = { ...body };
  if (isObject(body.template)) {
    const inner: TemplateBody = { ...body.template };
    if (inner.settings !== undefined) {
      const flat = normalizeSettings(inner.settings as Record<string, unknown>);
      inner.settings = Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : v === null ? null : String(v)]));
      if (Object.keys(inner.settings as object).length === 0) delete inner.settings;
    }
    for (const k of ["mappings", "aliases"]) if (isObject(inner[k]) && Object.keys(inner[k] as object).length === 0) delete inner[k];
    out.template = inner;
    if (Object.keys(inner).length === 0) delete out.template;
  }
  if (Array.isArray(body.composed_of) && body.composed_of.length === 0) delete out.composed_of;
  if (isObject(body.data_stream)) {
    const ds: Record<string, unknown> = { ...body.data_stream };
    if ((ds.timestamp_field as { name?: unknown } | undefined)?.name === "@timestamp") delete ds.timestamp_field;
    if (ds.hidden === false) delete ds.hidden;
    out.data_stream = ds;
  }
  return stableJson(out);
}

/** Whether two template bodies say the same (see comparableTemplate). */
export function sameTemplate(a: TemplateBody | undefined, b: TemplateBody | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return comparableTemplate(a) === comparableTemplate(b);
}

/** Problems with a template a stream is to be created from: it must be a data stream template matching the name. */
export function streamTemplateProblems(stream: string, t: StreamTemplate): string[] {
  const problems: string[] = [];
  if (!isObject(t.body.data_stream)) {
    problems.push(`template "${t.name}" has no data_stream: a data stream needs a composable index template with data_stream: {} whose index_patterns match "${stream}"`);
  }
  const patterns = Array.isArray(t.body.index_patterns) ? (t.body.index_patterns as string[]) : typeof t.body.index_patterns === "string" ? [t.body.index_patterns] : [];
  const matches = patterns.some((p) => wildcardPattern(p).test(stream));
  if (!matches) problems.push(`template "${t.name}" has index_patterns ${JSON.stringify(patterns)}, none of which matches "${stream}"`);
  const missing = (Array.isArray(t.body.composed_of) ? (t.body.composed_of as string[]) : []).filter((c) => t.components[c] === undefined);
  if (missing.length > 0) problems.push(`template "${t.name}" is composed of ${missing.join(", ")}, which ${missing.length === 1 ? "is" : "are"} not given in components`);
  return problems;
}
