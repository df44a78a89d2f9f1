// Which indices are this package's own. A DestinationIndex writes its origin into the new index's mapping `_meta`,
// under the same key of ours as the cutover record (../shared/live-destination), at the index's creation (one request:
// an index never exists without it). A `pulumi up` killed after the index was created and before the state recorded
// it (the create of one index, or of a whole group of them) leaves an index the next `up` would otherwise refuse as
// "already exists": an index that carries the origin of the same copy is taken over instead, whatever step the killed
// run reached (loading, or finished). `adoptExisting` stays for indices made by someone else. Pure, table-tested in
// test/unit/index-origin.test.ts.
import type { Mapping } from "../settings";
import { isObject, type JsonObject } from "../shared/json";
import { META_KEY } from "../shared/live-destination";

/** What a created index carries about where it came from. */
export interface IndexOrigin {
  /** When this package created the index. */
  createdAt: string;
  /** The source index whose copy it is (`copyFrom.index`), or null for an index declared without copyFrom. */
  copyOf: string | null;
  /**
   * The resource that holds it when that is not the index's own resource: a ClusterMigration's group
   * (`<migration>/group-<i>-of-<n>`). Moving indices between a group and resources of their own is no takeover.
   */
  owner?: string;
}

const originFields = (o: IndexOrigin) => ({
  createdAt: o.createdAt,
  copyOf: o.copyOf,
  ...(o.owner !== undefined ? { owner: o.owner } : {}),
});

/** The origin in a typeless mapping's `_meta`, else undefined. */
export function originOf(mappings: unknown): IndexOrigin | undefined {
  const ours = isObject(mappings) && isObject(mappings._meta) ? mappings._meta[META_KEY] : undefined;
  if (!isObject(ours) || typeof ours.createdAt !== "string") return undefined;
  const copyOf = typeof ours.copyOf === "string" ? ours.copyOf : null;
  return typeof ours.owner === "string"
    ? { createdAt: ours.createdAt, copyOf, owner: ours.owner }
    : { createdAt: ours.createdAt, copyOf };
}

/** The mapping an index is created with: the declared one, with the origin in `_meta` beside any other `_meta` keys. */
export function withOrigin(mappings: Mapping, origin: IndexOrigin): Mapping {
  const meta: JsonObject = isObject(mappings._meta) ? mappings._meta : {};
  const ours: JsonObject = isObject(meta[META_KEY]) ? meta[META_KEY] : {};
  return {
    ...mappings,
    _meta: { ...meta, [META_KEY]: { ...ours, ...originFields(origin) } },
  };
}

/** The origin of an index created now as a copy of `copyOf` (or declared, null), held by `owner` (see IndexOrigin). */
export const originNow = (copyOf: string | undefined, owner?: string): IndexOrigin => ({
  createdAt: new Date().toISOString(),
  copyOf: copyOf ?? null,
  ...(owner !== undefined ? { owner } : {}),
});

/**
 * True when an existing index with this origin is this resource's own: created by this package, as the same copy,
 * for the same holder (a group, or the index's own resource).
 */
export function isOwnIndex(origin: IndexOrigin | undefined, copyOf: string | undefined, owner?: string): boolean {
  return origin !== undefined && origin.copyOf === (copyOf ?? null) && origin.owner === owner;
}

/** The line a takeover of an own index says. */
export function takeoverLine(index: string, origin: IndexOrigin): string {
  const what = origin.copyOf === null ? "" : ` as the copy of ${origin.copyOf}`;
  return `index ${index}: created by this package at ${origin.createdAt}${what} (its mapping's _meta says so), and not in the state: an interrupted pulumi up created it; taken over, and its copy goes on`;
}

/**
 * A mapping about to be put on an existing index, with our key as the index holds it: a mapping update that names
 * `_meta` replaces the whole object, which would drop the origin and the cutover record.
 */
export function keepingOurMeta(
  mappings: Mapping,
  live: { origin?: IndexOrigin; cutover?: { at: string; by: string } },
): Mapping {
  if (!isObject(mappings._meta)) return mappings;
  const ours = {
    ...(live.origin !== undefined ? originFields(live.origin) : {}),
    ...(live.cutover !== undefined ? { cutoverAt: live.cutover.at, by: live.cutover.by } : {}),
  };
  if (Object.keys(ours).length === 0) return mappings;
  return { ...mappings, _meta: { ...mappings._meta, [META_KEY]: ours } };
}
