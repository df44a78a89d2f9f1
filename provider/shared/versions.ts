// The version rules of remote reindex, shared by the Reindex provider (versions read from the clusters) and the AWS
// component (versions declared on the domains). Messages stay with their callers; the rules live here.

export interface EngineVersion {
  flavor: "elasticsearch" | "opensearch";
  major: number;
  minor: number;
}

/** "Elasticsearch" or "OpenSearch", as users write it. */
export function flavorName(v: Pick<EngineVersion, "flavor">): string {
  return v.flavor === "opensearch" ? "OpenSearch" : "Elasticsearch";
}

/**
 * Position on one line of releases: Elasticsearch majors as they are, OpenSearch 1/2/3 after Elasticsearch 7 (it
 * forked from 7.10.2 and reports itself to remote clients as 7.10.2 when asked to). Elasticsearch 8+ is a branch of
 * its own, with no place on this line: it is comparable only with Elasticsearch.
 */
function versionLine(v: EngineVersion): number | undefined {
  if (v.flavor === "opensearch") return 7 + v.major;
  return v.major <= 7 ? v.major : undefined;
}

/**
 * The destination runs the task: Elasticsearch 5.0 or newer (reindex from remote came with 5.0: Alibaba Cloud 5.5 /
 * 6.3 instances and self-managed 5.x / 6.x nodes remote-reindex), any OpenSearch; on Amazon OpenSearch Service 6.7 or
 * newer (the service's own floor). Undefined when it is new enough, else the floor it misses.
 */
export function destinationTooOld(dest: EngineVersion, platform: { aws?: boolean } = {}): "5.0" | "6.7" | undefined {
  if (dest.flavor !== "elasticsearch") return undefined;
  if (dest.major < 5) return "5.0";
  if (platform.aws === true && (dest.major < 6 || (dest.major === 6 && dest.minor < 7))) return "6.7";
  return undefined;
}

/**
 * Why `src` cannot be reindexed into `dest` by version, or undefined when it can:
 * - "newer": the source's major is past the destination's (OpenSearch counted after Elasticsearch 7);
 * - "diverged": Elasticsearch 8+ on one side and OpenSearch on the other, which is no documented path.
 */
export function sourceVersionProblem(src: EngineVersion, dest: EngineVersion): "newer" | "diverged" | undefined {
  const s = versionLine(src);
  const d = versionLine(dest);
  if (s !== undefined && d !== undefined) return s > d ? "newer" : undefined;
  if (src.flavor !== dest.flavor) return "diverged";
  return src.major > dest.major ? "newer" : undefined;
}
