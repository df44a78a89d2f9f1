// The kind table: for each kind of cluster object, as data, the resource that manages it, where the engines keep it,
// since when they have it, how a name is checked, and which objects are the engine's own. Everything that differs
// between kinds is here or in ./read-shapes (GET answers) and ./requests (writes); the provider is one for all.
import type { ClusterInfo, ClusterRequest } from "../connection/types";
import { indexNameProblems } from "../shared/index-names";
import type { ObjectBody, ObjectKind } from "./types";

type Version = readonly [major: number, minor: number];

export interface KindSpec {
  kind: ObjectKind;
  /** The resource class (and provider name) that manages one object of this kind. */
  resource: string;
  /** What users call it, for messages: "composable index template". */
  title: string;
  /** The REST endpoint, for messages and docs: "_index_template". */
  api: string;
  /** The oldest release of each engine with this kind; absent: every supported release has it. */
  since?: { elasticsearch: Version; opensearch: Version };
  /** The request that lists every object of the kind (the answer is read by `listAnswerEntries`). */
  listRequest: ClusterRequest;
  /** The path of one object. */
  path(name: string): string;
  /** What is wrong with a name, each naming `field` and the fix. */
  nameProblems(name: string, field: string): string[];
}

const segment = encodeURIComponent;

// Template names: the engines refuse uppercase, whitespace, `,`, `#`, a leading `_` and the characters of paths.
function templateNameProblems(name: string, field: string): string[] {
  const problems: string[] = [];
  if (name === "") return [`${field} is empty: give the template's name`];
  if (name !== name.toLowerCase()) problems.push(`${field} "${name}" has uppercase letters: template names are lowercase, e.g. "${name.toLowerCase()}"`);
  const bad = [...new Set(name.match(/[\s,#\\/*?"<>|]/g) ?? [])];
  if (bad.length > 0) problems.push(`${field} "${name}" contains ${bad.map((c) => JSON.stringify(c)).join(", ")}: template names cannot contain whitespace or , # \\ / * ? " < > |`);
  if (name.startsWith("_")) problems.push(`${field} "${name}" starts with "_": template names cannot`);
  return problems;
}

// Pipeline and script ids travel as one path segment: any text, but not empty and without whitespace.
function idProblems(what: string) {
  return (name: string, field: string): string[] => {
    if (name === "") return [`${field} is empty: give the ${what}'s id`];
    return /\s/.test(name) ? [`${field} "${name}" contains whitespace: ${what} ids cannot`] : [];
  };
}

const COMPOSABLE_SINCE = { elasticsearch: [7, 8], opensearch: [1, 0] } as const;

export const KINDS: Readonly<Record<ObjectKind, KindSpec>> = {
  componentTemplate: {
    kind: "componentTemplate",
    resource: "ComponentTemplate",
    title: "component template",
    api: "_component_template",
    since: COMPOSABLE_SINCE,
    listRequest: { method: "GET", path: "/_component_template", ignore: [404] },
    path: (name) => `/_component_template/${segment(name)}`,
    nameProblems: templateNameProblems,
  },
  indexTemplate: {
    kind: "indexTemplate",
    resource: "IndexTemplate",
    title: "composable index template",
    api: "_index_template",
    since: COMPOSABLE_SINCE,
    listRequest: { method: "GET", path: "/_index_template", ignore: [404] },
    path: (name) => `/_index_template/${segment(name)}`,
    nameProblems: templateNameProblems,
  },
  legacyTemplate: {
    kind: "legacyTemplate",
    resource: "LegacyIndexTemplate",
    title: "legacy index template",
    api: "_template",
    listRequest: { method: "GET", path: "/_template" },
    path: (name) => `/_template/${segment(name)}`,
    nameProblems: templateNameProblems,
  },
  pipeline: {
    kind: "pipeline",
    resource: "IngestPipeline",
    title: "ingest pipeline",
    api: "_ingest/pipeline",
    // 404 when the cluster has no pipeline at all.
    listRequest: { method: "GET", path: "/_ingest/pipeline", ignore: [404] },
    path: (name) => `/_ingest/pipeline/${segment(name)}`,
    nameProblems: idProblems("pipeline"),
  },
  script: {
    kind: "script",
    resource: "StoredScript",
    title: "stored script",
    api: "_scripts",
    // No engine lists stored scripts by API: the cluster state's metadata holds them.
    listRequest: { method: "GET", path: "/_cluster/state/metadata", querystring: { filter_path: "metadata.stored_scripts" } },
    path: (name) => `/_scripts/${segment(name)}`,
    nameProblems: idProblems("script"),
  },
  alias: {
    kind: "alias",
    resource: "IndexAlias",
    title: "alias",
    api: "_aliases",
    listRequest: { method: "GET", path: "/_alias", ignore: [404] },
    path: (name) => `/_alias/${segment(name)}`,
    nameProblems: (name, field) => indexNameProblems(name, field),
  },
};

/** "Elasticsearch 7.10.2" / "OpenSearch 2.19.1". */
export function engineName(info: ClusterInfo): string {
  return `${info.flavor === "opensearch" ? "OpenSearch" : "Elasticsearch"} ${info.version}`;
}

/** Whether `info` is `since` or newer for its engine. */
export function atLeast(info: ClusterInfo, since: { elasticsearch: Version; opensearch: Version }): boolean {
  const [major, minor] = since[info.flavor];
  return info.major > major || (info.major === major && info.minor >= minor);
}

/** Why a cluster running `info` has no objects of `kind`, or undefined when it has them. */
export function kindMissing(kind: ObjectKind, info: ClusterInfo): string | undefined {
  const since = KINDS[kind].since;
  if (since === undefined || atLeast(info, since)) return undefined;
  const [major, minor] = since[info.flavor];
  return `${engineName(info)} has no ${KINDS[kind].title}s (${KINDS[kind].api} came with ${info.flavor === "opensearch" ? "OpenSearch" : "Elasticsearch"} ${major}.${minor})`;
}

// Templates Elasticsearch's own features install without a `.` or `_meta.managed` on some releases.
const ENGINE_TEMPLATE_NAMES = new Set(["ilm-history", "slm-history"]);

/**
 * Why an object is the engine's or a plugin's own (left out of a migration), or undefined for the user's. The rule,
 * by the engines' own markers: a name starting with `.` (every kind: `.kibana`, `.monitoring-*`, `.opendistro-*`,
 * `.plugins-*`, `.security` ...); `_meta.managed: true` (templates and pipelines Elasticsearch installs and
 * manages); X-Pack's `xpack_*` ingest pipelines (monitoring); the ILM/SLM history templates. An alias is the
 * engine's when it is `.`-named; its `.`-named indices are never the user's (they are left out of the alias).
 */
export function systemReason(kind: ObjectKind, name: string, body: ObjectBody): string | undefined {
  if (name.startsWith(".")) return `"${name}" starts with "." (the engine's or a plugin's own)`;
  const meta = body._meta as { managed?: unknown } | undefined;
  if (meta?.managed === true && kind !== "alias") return `"${name}" is marked _meta.managed (installed and managed by the engine)`;
  if (kind === "pipeline" && name.startsWith("xpack_")) return `"${name}" is an X-Pack pipeline`;
  if ((kind === "indexTemplate" || kind === "legacyTemplate") && ENGINE_TEMPLATE_NAMES.has(name)) return `"${name}" is installed by Elasticsearch's lifecycle features`;
  return undefined;
}
