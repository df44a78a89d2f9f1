// Pure rules that need facts read from the clusters (versions, node settings) but no documents.
// Table-tested in test/unit/reindex-rules.test.ts.
import type { ClusterInfo } from "../connection/types";
import { destinationTooOld, flavorName, sourceVersionProblem } from "../shared/versions";

function label(v: ClusterInfo): string {
  return `${flavorName(v)} ${v.version}`;
}

/** Where the destination runs: Amazon OpenSearch Service has a version floor of its own (6.7). */
export interface DestinationPlatform {
  /** The destination is an Amazon OpenSearch Service domain (cluster.aws, or an *.amazonaws.com / *.on.aws host). */
  aws?: boolean;
}

/**
 * Version rules of remote reindex (provider/shared/versions.ts), with the versions read from both clusters: the
 * destination runs the task, so it must read the source's protocol.
 * - destination Elasticsearch 5.0 or newer (reindex from remote came with 5.0), any OpenSearch; on Amazon OpenSearch
 *   Service 6.7 or newer (the service's own floor: Alibaba Cloud 5.5 / 6.3 instances and self-managed 5.x / 6.x
 *   nodes remote-reindex below it);
 * - source major at most the destination's, OpenSearch counted after Elasticsearch 7;
 * - Elasticsearch 8+ into OpenSearch (or OpenSearch into Elasticsearch 8+) is not a documented path.
 */
export function versionProblems(
  dest: ClusterInfo,
  src: ClusterInfo | undefined,
  platform: DestinationPlatform = {},
): string[] {
  const problems: string[] = [];
  const floor = destinationTooOld(dest, platform);
  if (floor === "5.0") {
    problems.push(
      `cluster runs ${label(dest)}: remote reindex came with Elasticsearch 5.0; upgrade the destination or use transport: "client"`,
    );
  } else if (floor === "6.7") {
    problems.push(
      `cluster runs ${label(dest)}: remote reindex on Amazon OpenSearch Service needs 6.7 or newer (or OpenSearch); upgrade the domain or use transport: "client"`,
    );
  }
  if (src === undefined) return problems;
  const problem = sourceVersionProblem(src, dest);
  if (problem === "diverged") {
    problems.push(
      `source runs ${label(src)} and cluster runs ${label(dest)}: remote reindex between Elasticsearch 8+ and OpenSearch is not a documented path; use transport: "client" or snapshot/restore`,
    );
  } else if (problem === "newer") {
    problems.push(
      `source runs ${label(src)}, newer than the destination's ${label(dest)}: the source's major version must be at most the destination's (OpenSearch counts as newer than Elasticsearch 7)`,
    );
  }
  return problems;
}

/**
 * The name of the remote-reindex allow list the destination reads: `reindex.remote.whitelist` on Elasticsearch and
 * OpenSearch 1.x (1.3.20 refuses to start with the new name), `reindex.remote.allowlist` on OpenSearch 2.x (which
 * still reads the old one) and 3.x (which removed the old one: a node given it does not start).
 */
export function allowListSetting(
  dest: Pick<ClusterInfo, "flavor" | "major">,
): "reindex.remote.whitelist" | "reindex.remote.allowlist" {
  return dest.flavor === "opensearch" && dest.major >= 2 ? "reindex.remote.allowlist" : "reindex.remote.whitelist";
}

/**
 * The remote-reindex allow list of each node, from `GET _nodes/settings?flat_settings=true`; undefined when
 * unreadable, and an empty map when no node shows a `reindex.remote.*` list at all (a self-managed node without the
 * setting, or a managed service that hides its node settings: the two cannot be told apart from here).
 */
export function allowListsByNode(body: unknown): Map<string, string[]> | undefined {
  const nodes = (body as { nodes?: Record<string, { name?: string; settings?: Record<string, unknown> }> } | undefined)
    ?.nodes;
  if (nodes === undefined || nodes === null || typeof nodes !== "object") return undefined;
  const out = new Map<string, string[]>();
  let visible = false;
  for (const [id, node] of Object.entries(nodes)) {
    const entries: string[] = [];
    for (const [key, value] of Object.entries(node.settings ?? {})) {
      if (!/^reindex\.remote\.(whitelist|allowlist)(\.\d+)?$/.test(key)) continue;
      visible = true;
      const values = Array.isArray(value) ? value : [value];
      for (const v of values)
        if (typeof v === "string")
          entries.push(
            ...v
              .split(",")
              .map((e) => e.trim())
              .filter((e) => e !== ""),
          );
    }
    out.set(node.name ?? id, entries);
  }
  // Nodes without the setting refuse every host, but only when some node shows a list is that known for sure.
  return visible ? out : new Map();
}

/** Whether `hostPort` ("host:port") matches an allow-list entry the way the engine matches it: `*` is any text. */
export function allowListMatches(hostPort: string, patterns: string[]): boolean {
  return patterns.some((p) => {
    const re = new RegExp(
      `^${p
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    return re.test(hostPort);
  });
}

/** Problems with the allow lists of the destination's nodes for `hostPort`; empty when every node allows it (or none shows one). */
export function allowListProblems(
  hostPort: string,
  lists: Map<string, string[]>,
  dest: Pick<ClusterInfo, "flavor" | "major">,
): string[] {
  const setting = allowListSetting(dest);
  const refusing = [...lists.entries()].filter(([, patterns]) => !allowListMatches(hostPort, patterns));
  if (refusing.length === 0) return [];
  const names = refusing.map(([n, p]) => `${n} (${p.length === 0 ? "empty" : p.join(", ")})`).join("; ");
  return [
    `source.remote.host: ${hostPort} is not in ${setting} of the destination node(s) ${names}: add "${hostPort}" to ${setting} in each node's YML ` +
      "(a static setting: the nodes restart; on Alibaba Cloud and AWS the components in this package do it), or point host at an address that is listed",
  ];
}

const RANGE_TYPES = [
  "long",
  "integer",
  "short",
  "byte",
  "double",
  "float",
  "half_float",
  "scaled_float",
  "unsigned_long",
  "date",
  "date_nanos",
];

/** The types `field` has in the indices of a `GET <index>/_mapping/field/<field>` body (typed 6.x form too). */
export function fieldTypes(body: unknown, field: string): Map<string, string> {
  const out = new Map<string, string>();
  const leaf = field.split(".").pop()!;
  const visit = (index: string, node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    const entry = node as { full_name?: unknown; mapping?: Record<string, { type?: unknown } | undefined> };
    const type = entry.mapping?.[leaf]?.type;
    if (entry.full_name === field && type !== undefined) out.set(index, String(type));
    else for (const v of Object.values(node)) visit(index, v);
  };
  for (const [index, v] of Object.entries((body ?? {}) as Record<string, unknown>)) visit(index, v);
  return out;
}

/** Problems with a field the run splits or follows by ranges: it must exist and be numeric or a date everywhere. */
export function rangeFieldProblems(
  property: string,
  field: string,
  types: Map<string, string>,
  sourceIndex: string,
): string[] {
  if (types.size === 0) {
    return [
      `${property} "${field}" is not in the mapping of the source index ${sourceIndex}: name a numeric or date field it has (mind the exact path, e.g. "meta.updated_at")`,
    ];
  }
  const wrong = [...types.entries()].filter(([, t]) => !RANGE_TYPES.includes(t));
  if (wrong.length === 0) return [];
  return [
    `${property} "${field}" is ${wrong.map(([i, t]) => `${t} in ${i}`).join(", ")}: ranges need a numeric or date field (e.g. a timestamp or a growing number)`,
  ];
}

/**
 * Whether a copy can write with the source's versions (`version_type: external`). Tried on real nodes (see
 * docs/reindex.md): remote reindex from Elasticsearch 6.8 and 7.10 into OpenSearch 2.19 and Elasticsearch 7.10
 * carries the source's `_version`; the client transport reads versions with its scroll on every engine. Older sources
 * (5.x) and `opType: "create"` (the engines refuse an explicit version with it) write with internal versions.
 */
export function externalVersioningWorks(
  src: ClusterInfo,
  dest: ClusterInfo,
  opType: "index" | "create" | undefined,
): boolean {
  if (opType === "create") return false;
  const modern = (v: ClusterInfo) => v.flavor === "opensearch" || v.major >= 6;
  return modern(src) && modern(dest);
}
