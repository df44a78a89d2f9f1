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

/** OpenSearch marks its own version ids with this bit (org.opensearch.Version.MASK); Elasticsearch ids have none. */
const OPENSEARCH_ID_MASK = 0x08000000;

/**
 * The engine version behind a version id such as an index's `index.version.created` (major * 1,000,000 + minor *
 * 10,000 + revision * 100 + build): 7100299 is Elasticsearch 7.10.2, 136407827 (2190099 with OpenSearch's mask) is
 * OpenSearch 2.19.0. Undefined for what is not a version id.
 */
export function versionFromId(id: number | string): EngineVersion | undefined {
  const n = typeof id === "string" ? Number(id) : id;
  if (!Number.isInteger(n) || n <= 0) return undefined;
  const flavor = (n & OPENSEARCH_ID_MASK) !== 0 ? "opensearch" : "elasticsearch";
  const plain = flavor === "opensearch" ? n ^ OPENSEARCH_ID_MASK : n;
  return { flavor, major: Math.floor(plain / 1_000_000), minor: Math.floor(plain / 10_000) % 100 };
}

/**
 * The oldest index creator a destination restores from a snapshot: a snapshot keeps each index's Lucene files as
 * they are, and an engine reads the files of one Lucene major back. Elasticsearch N restores indices created by
 * N-1 or newer; OpenSearch 1.x reads Elasticsearch 6.x indices, OpenSearch 2.x Elasticsearch 7.x ones, OpenSearch 3.x
 * only indices created by OpenSearch 2.0 or newer.
 */
export function oldestRestorable(dest: EngineVersion): EngineVersion {
  if (dest.flavor === "opensearch") {
    if (dest.major >= 3) return { flavor: "opensearch", major: dest.major - 1, minor: 0 };
    return { flavor: "elasticsearch", major: dest.major + 5, minor: 0 };
  }
  return { flavor: "elasticsearch", major: dest.major - 1, minor: 0 };
}

/** Whether `v` is `floor` or newer on one line of releases (OpenSearch after Elasticsearch 7; Elasticsearch 8+ apart). */
function atLeast(v: EngineVersion, floor: EngineVersion): boolean {
  if (v.flavor === floor.flavor) return v.major > floor.major || (v.major === floor.major && v.minor >= floor.minor);
  const a = versionLine(v);
  const b = versionLine(floor);
  return a !== undefined && b !== undefined && a > b;
}

/**
 * Why a snapshot of an index cannot be restored into `dest`, or undefined when it can:
 * - "newer" / "diverged": the source cluster is newer than the destination, or on the other branch (as for reindex:
 *   Elasticsearch 8+ and OpenSearch read no snapshots of each other);
 * - "created": the index was created by a version the destination no longer reads (`created`, from the index's
 *   `index.version.created`: an index created by 6.x stays a 6.x index after the cluster moved to 7.x).
 */
export function snapshotRestoreProblem(
  created: EngineVersion,
  src: EngineVersion,
  dest: EngineVersion,
): "newer" | "diverged" | "created" | undefined {
  const cluster = sourceVersionProblem(src, dest);
  if (cluster !== undefined) return cluster;
  return atLeast(created, oldestRestorable(dest)) ? undefined : "created";
}
