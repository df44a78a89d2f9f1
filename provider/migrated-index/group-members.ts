// The pure pieces of MigratedIndexGroup: which group an index belongs to, and how a group's inputs and state split
// into the MigratedIndex inputs and states of its members. Table-tested in test/unit/migrated-index-group.test.ts.
import type {
  MigratedIndexConnections,
  MigratedIndexInputs,
  MigratedIndexOutputs,
  MigratedIndexSummary,
} from "./types";

/** One index of a group: MigratedIndex's inputs without the connections (the group holds them once). */
export type MemberInputs = Omit<MigratedIndexInputs, "connections">;
/** One index's state in a group: MigratedIndex's state without the connections. */
export type MemberState = Omit<MigratedIndexOutputs, "connections">;

export interface MigratedIndexGroupInputs {
  connections: MigratedIndexConnections;
  /** The ClusterMigration's name: its groups share one limit of indices copying at once. */
  migration: string;
  /** This group's place among the migration's groups: which indices it holds depends on `count`. */
  group: { index: number; count: number };
  /** At most this many indices of the migration copy at once, across all its groups. */
  concurrency: number;
  /** By source index name. */
  indices: Record<string, MemberInputs>;
}

/**
 * One index's state as the group's `members` output holds it: its JSON text (this release), or the object itself
 * (state written by earlier releases, read as it is).
 */
export type StoredMember = string | MemberState;

export interface MigratedIndexGroupOutputs extends MigratedIndexGroupInputs {
  /** By source index name: each index's MigratedIndex state (without connections), see StoredMember. */
  members: Record<string, StoredMember>;
  /** One row per index, by source index name. */
  summary: MigratedIndexSummary[];
}

/**
 * The group (0..count-1) an index belongs to: a hash of its name, so adding or removing indices never moves the
 * others between groups (moving one would delete its destination index in one group and create it in another).
 */
export function groupOf(indexName: string, count: number): number {
  // FNV-1a, 32 bits: stable across releases and machines (it decides where an index's state lives).
  let h = 0x811c9dc5;
  for (let i = 0; i < indexName.length; i++) {
    h ^= indexName.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // MurmurHash3's finalizer: FNV's low bits alone follow the last characters (names like logs-1, logs-2 pair up).
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) % count;
}

/** The id of a group resource: stable for its life (the indices it holds change, its place does not). */
export const groupId = (g: MigratedIndexGroupInputs["group"]) => `group-${g.index}-of-${g.count}`;

/** A member's MigratedIndex inputs. */
export const memberInputs = (connections: MigratedIndexConnections, m: MemberInputs): MigratedIndexInputs => ({
  ...m,
  connections,
});

/** A member's MigratedIndex state, with the group's recorded connections. */
export const memberOutputs = (connections: MigratedIndexConnections, m: MemberState): MigratedIndexOutputs => ({
  ...m,
  connections,
});

/** What a group keeps of a MigratedIndex's inputs or state: everything but the connections. */
export function withoutConnections<T extends { connections?: unknown }>(o: T): Omit<T, "connections"> {
  const { connections: _dropped, ...rest } = o;
  return rest;
}

/**
 * A member's state as the group stores it: its JSON text. A group holds hundreds of these records; as nested objects
 * the engine and both Node processes convert every value of every record through protobuf for each check, diff and
 * registration answer (a no-op provider with these records: an up with nothing waiting over 200 indices in 4 groups
 * took 4.8 s, with the same records as text 2.9 s, against 0.95 s for an empty stack), as text one string each.
 */
export const storeMember = (m: MemberState): string => JSON.stringify(m);

/** A stored member's state (StoredMember: text, or an object from an earlier release). */
export function loadMember(m: StoredMember): MemberState {
  return typeof m === "string" ? (JSON.parse(m) as MemberState) : m;
}

/** Every stored member's state, by source index name. */
export function loadMembers(members: Record<string, StoredMember> | undefined): Record<string, MemberState> {
  return Object.fromEntries(Object.entries(members ?? {}).map(([k, m]) => [k, loadMember(m)]));
}

/** The summary rows of a group's members, by source index name. */
export function summaryRows(members: Record<string, MemberState>): MigratedIndexSummary[] {
  return Object.keys(members)
    .sort()
    .flatMap((k) => (members[k].summary === undefined ? [] : [members[k].summary!]));
}

/** Source index names in the old or the new inputs, sorted: what a diff or an update walks through. */
export function memberNames(
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown> | undefined,
): string[] {
  return [...new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})])].sort();
}
