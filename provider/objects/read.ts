// Reading objects from a live cluster: every non-system object of some kinds (discovery for ClusterMigration), one
// object (the provider), the ingest processors a destination has, and the indices that name a pipeline.
import { connect } from "../connection/client";
import type { Cluster, ClusterConnection } from "../connection/types";
import { KINDS, kindMissing, systemReason } from "./kinds";
import { canonicalBody, listAnswerEntries, oneAnswerEntry } from "./read-shapes";
import { type ClusterObject, type ClusterObjects, OBJECT_KINDS, type ObjectKind, type SkippedObject } from "./types";

export interface ReadObjectsOptions {
  /** Kinds to read; default all of them. */
  kinds?: readonly ObjectKind[];
  /** Aliases only of these indices (the migrated ones); default every non-system index's aliases. */
  indices?: readonly string[];
}

const isCluster = (c: Cluster | ClusterConnection): c is Cluster => typeof (c as Cluster).request === "function";

/** Runs `fn` with a connected cluster: the one given, or one opened for the connection and closed after. */
export async function withCluster<T>(
  c: Cluster | ClusterConnection,
  role: string,
  fn: (cluster: Cluster) => Promise<T>,
): Promise<T> {
  if (isCluster(c)) return fn(c);
  const cluster = connect(c, role);
  try {
    return await fn(cluster);
  } finally {
    await cluster.close().catch(() => undefined);
  }
}

/**
 * The user's objects on a cluster, each in canonical form, and the ones left out as the engine's own (see
 * `systemReason`). Kinds the cluster's release does not have are read as none. Aliases are per alias name with the
 * indices they point to; `.`-named indices and (with `indices`) indices outside the list are left out of them.
 */
export async function readClusterObjects(
  cluster: Cluster | ClusterConnection,
  options: ReadObjectsOptions = {},
): Promise<ClusterObjects> {
  return withCluster(cluster, "source", async (c) => {
    const info = await c.info();
    const objects: ClusterObject[] = [];
    const skipped: SkippedObject[] = [];
    const wanted = options.indices === undefined ? undefined : new Set(options.indices);
    const kinds = (options.kinds ?? OBJECT_KINDS).filter((kind) => kindMissing(kind, info) === undefined);
    // The kinds' lists are independent reads, asked at once (a program waits for them at every preview and up);
    // taken in order, so the first kind that fails is the error, as one after another.
    const answers = kinds.map((kind) => c.request(KINDS[kind].listRequest));
    for (const a of answers) a.catch(() => undefined);
    for (const [i, kind] of kinds.entries()) {
      const answer = await answers[i];
      for (const [name, raw] of listAnswerEntries(kind, answer)) {
        let source = raw;
        if (kind === "alias") {
          source = Object.fromEntries(
            Object.entries(raw).filter(
              ([index]) => !index.startsWith(".") && (wanted === undefined || wanted.has(index)),
            ),
          );
          if (Object.keys(source).length === 0) continue;
        }
        const canonical = canonicalBody(kind, source, info);
        const reason = systemReason(kind, name, canonical.body);
        if (reason !== undefined) {
          skipped.push({ kind, name, reason });
          continue;
        }
        const obj: ClusterObject = { kind, name, body: canonical.body };
        if (canonical.typeName !== undefined) obj.typeName = canonical.typeName;
        if (canonical.problems.length > 0) obj.problems = canonical.problems;
        objects.push(obj);
      }
    }
    return { info, objects, skipped };
  });
}

/** One object, canonical, or undefined when the cluster has none of that name (or none of that kind at all). */
export async function readObject(c: Cluster, kind: ObjectKind, name: string): Promise<ClusterObject | undefined> {
  const info = await c.info();
  if (kindMissing(kind, info) !== undefined) return undefined;
  const answer = await c.request({ method: "GET", path: KINDS[kind].path(name), ignore: [404] });
  const raw = oneAnswerEntry(kind, name, answer);
  if (raw === undefined) return undefined;
  const canonical = canonicalBody(kind, raw, info);
  const obj: ClusterObject = { kind, name, body: canonical.body };
  if (canonical.typeName !== undefined) obj.typeName = canonical.typeName;
  if (canonical.problems.length > 0) obj.problems = canonical.problems;
  return obj;
}

/**
 * The ingest processor types every ingest node of the cluster has (a pipeline runs on any of them), from
 * `GET _nodes/ingest`. Nodes that report no processors (not ingest nodes) do not narrow the list.
 */
export async function readIngestProcessors(cluster: Cluster | ClusterConnection): Promise<string[]> {
  return withCluster(cluster, "destination", async (c) => {
    const answer = await c.request<{ nodes?: Record<string, { ingest?: { processors?: { type: string }[] } }> }>({
      method: "GET",
      path: "/_nodes/ingest",
      querystring: { filter_path: "nodes.*.ingest.processors" },
    });
    return processorsOfNodes(answer);
  });
}

/** The processor types all ingest nodes of a `_nodes/ingest` answer share. */
export function processorsOfNodes(
  answer: { nodes?: Record<string, { ingest?: { processors?: { type: string }[] } }> } | undefined,
): string[] {
  const lists = Object.values(answer?.nodes ?? {})
    .map((n) => (n.ingest?.processors ?? []).map((p) => p.type))
    .filter((l) => l.length > 0);
  if (lists.length === 0) return [];
  return lists[0].filter((t) => lists.every((l) => l.includes(t))).sort();
}

/**
 * The script languages a cluster has, from `GET _script_language` (Elasticsearch 7.6+, OpenSearch); undefined where
 * the cluster has no such API (then languages are not checked).
 */
export async function readScriptLanguages(cluster: Cluster | ClusterConnection): Promise<string[] | undefined> {
  return withCluster(cluster, "destination", async (c) => {
    const answer = await c.request<{ language_contexts?: { language: string }[] } | undefined>({
      method: "GET",
      path: "/_script_language",
      ignore: [400, 404, 405],
    });
    return answer?.language_contexts === undefined ? undefined : answer.language_contexts.map((l) => l.language).sort();
  });
}

/** The indices (hidden and closed ones included) whose default_pipeline or final_pipeline is `pipeline`. */
export async function indicesNamingPipeline(c: Cluster, pipeline: string): Promise<string[]> {
  const answer = await c.request<
    Record<string, { settings?: { index?: { default_pipeline?: string; final_pipeline?: string } } }>
  >({
    method: "GET",
    path: "/_all/_settings/index.default_pipeline,index.final_pipeline",
    querystring: { expand_wildcards: "all" },
  });
  return Object.entries(answer ?? {})
    .filter(
      ([, v]) => v.settings?.index?.default_pipeline === pipeline || v.settings?.index?.final_pipeline === pipeline,
    )
    .map(([index]) => index)
    .sort();
}
