// The composable index template a data stream is created from, at the destination: read and translated by the
// cluster objects' functions (../objects), with `data_stream` as the destination engine takes it, and the comparison
// that tells "the same" from "another body" across two engines' answers. Pure; table-tested in
// test/unit/data-stream.test.ts.
import type { ClusterInfo } from "../connection/types";
import { wildcardPattern } from "../indices";
import { sameBody, type ObjectBody } from "../objects";
import { isObject } from "../shared/json";

/** The template a stream is created from: its name, its body, and the bodies of the component templates it names. */
export interface StreamTemplate {
  name: string;
  /** The canonical `PUT _index_template/<name>` body (`index_patterns`, `data_stream`, `template`, `composed_of`, ...). */
  body: ObjectBody;
  /** By name: the canonical `PUT _component_template/<name>` body of each template in `composed_of`. */
  components: Record<string, ObjectBody>;
}

/**
 * `data_stream` as the destination takes it: OpenSearch keeps a custom timestamp field (its own option, which
 * Elasticsearch lacks); Elasticsearch takes `{}` (7.9/7.10), `hidden` from 7.11.
 */
export function dataStreamFor(ds: Record<string, unknown>, dest: ClusterInfo): Record<string, unknown> {
  if (dest.flavor === "opensearch") {
    const field = (ds.timestamp_field as { name?: unknown } | undefined)?.name;
    return typeof field === "string" && field !== "@timestamp" ? { timestamp_field: { name: field } } : {};
  }
  const hiddenKnown = dest.major > 7 || (dest.major === 7 && dest.minor >= 11);
  return hiddenKnown && ds.hidden === true ? { hidden: true } : {};
}

/** A translated template body with its `data_stream` as the destination takes it. */
export function streamTemplateFor(body: ObjectBody, dest: ClusterInfo): ObjectBody {
  return isObject(body.data_stream) ? { ...body, data_stream: dataStreamFor(body.data_stream, dest) } : body;
}

/** `data_stream` without what the engines fill in themselves (OpenSearch shows `@timestamp` though `{}` was put). */
function withoutDefaults(body: ObjectBody): ObjectBody {
  if (!isObject(body.data_stream)) return body;
  const ds: Record<string, unknown> = { ...body.data_stream };
  if ((ds.timestamp_field as { name?: unknown } | undefined)?.name === "@timestamp") delete ds.timestamp_field;
  if (ds.hidden === false) delete ds.hidden;
  return { ...body, data_stream: ds };
}

/** Whether two canonical template bodies say the same, `data_stream`'s defaults aside. */
export function sameStreamTemplate(a: ObjectBody | undefined, b: ObjectBody | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameBody(withoutDefaults(a), withoutDefaults(b));
}

/** Problems with a template a stream is to be created from: a data stream template matching the name, its components given. */
export function streamTemplateProblems(stream: string, t: StreamTemplate): string[] {
  const problems: string[] = [];
  if (!isObject(t.body.data_stream)) {
    problems.push(
      `template "${t.name}" has no data_stream: a data stream needs a composable index template with data_stream: {} whose index_patterns match "${stream}"`,
    );
  }
  const patterns = Array.isArray(t.body.index_patterns)
    ? (t.body.index_patterns as string[])
    : typeof t.body.index_patterns === "string"
      ? [t.body.index_patterns]
      : [];
  if (!patterns.some((p) => wildcardPattern(p).test(stream)))
    problems.push(
      `template "${t.name}" has index_patterns ${JSON.stringify(patterns)}, none of which matches "${stream}"`,
    );
  const missing = (Array.isArray(t.body.composed_of) ? (t.body.composed_of as string[]) : []).filter(
    (c) => t.components[c] === undefined,
  );
  if (missing.length > 0)
    problems.push(
      `template "${t.name}" is composed of ${missing.join(", ")}, which ${missing.length === 1 ? "is" : "are"} not given in components`,
    );
  return problems;
}
