// The MigratedIndexGroup dynamic provider: several indices' MigratedIndex in one registered resource, for migrations
// of hundreds of indices where the engine's cost per registered resource sets the preview's time (docs/migrations.md,
// "Groups"). Each member runs MigratedIndex's own functions, so it does exactly what a MigratedIndex does; the group
// only decides, per member, what the engine would have decided per resource: create, update, replace, delete, keep.
import type * as pulumi from "@pulumi/pulumi";
import { defineProvider } from "../shared/define-provider";
import { gate, type Gate } from "../shared/gate";
import { initError, plain } from "../shared/results";
import { stableJson as stable } from "../shared/stable-json";
import {
  groupId,
  loadMembers,
  memberInputs,
  memberNames,
  memberOutputs,
  storeMember,
  summaryRows,
  withoutConnections,
  type MemberState,
  type MigratedIndexGroupInputs,
  type MigratedIndexGroupOutputs,
} from "./group-members";
import {
  checkMigratedIndex,
  createMigratedIndex,
  deleteMigratedIndex,
  diffMigratedIndex,
  readMigratedIndex,
  updateMigratedIndex,
} from "./provider";
import type { MigratedIndexOutputs } from "./types";
import type { Problem } from "../shared/problems";

type Ins = MigratedIndexGroupInputs;
type Outs = MigratedIndexGroupOutputs;
/** What the engine would do with the member's own resource. */
type Step = "create" | "update" | "replace" | "delete" | "keep";

const say = (m: string) => console.log(m);

/**
 * Diffs and reads of one group's members at once: their reads of one kind (refreshes, `_stats`, searches, counts) go
 * to each cluster as one request for all the members waiting (../connection/read-batch), so more at once means fewer
 * requests; as many as the pending-work gate allows.
 */
const READS_AT_ONCE = 64;
/** Deletes of one group's members at once (each deletes an index: a cluster state update). */
const DELETES_AT_ONCE = 8;
/**
 * Checks of one group's members at once: their reads are cluster facts asked once per process and field mappings
 * sent as one request for all the checks waiting (../connection/read-batch), so more at once means fewer requests.
 */
const CHECKS_AT_ONCE = 64;

/** One limit per migration of indices copying at once, shared by its groups (one provider process serves them all). */
const copyGates = new Map<string, Gate>();
function copyGate(i: Ins): Gate {
  const key = stable({ migration: i.migration, concurrency: i.concurrency });
  let g = copyGates.get(key);
  if (g === undefined) copyGates.set(key, (g = gate(Math.max(1, i.concurrency))));
  return g;
}

/**
 * The steps this process's diff decided, by group and member: the update of the same command carries them out
 * without reading the clusters again (and without saying the diff's lines twice).
 */
const planned = new Map<string, Map<string, Step>>();
const planKey = (i: Ins) => `${i.migration}/${groupId(i.group)}`;
/** What the group's indices carry as their holder (DestinationIndex's origin): an interrupted up's group takes them over. */
const ownerOf = planKey;

/** Runs `work` for every name, at most `g` at once; every name runs to its end, failures collected by name. */
async function eachMember<T>(
  names: string[],
  g: Gate,
  work: (name: string) => Promise<T>,
): Promise<{ done: Map<string, T>; failed: Map<string, unknown> }> {
  const done = new Map<string, T>();
  const failed = new Map<string, unknown>();
  await Promise.all(
    names.map((name) =>
      g.run(async () => {
        try {
          done.set(name, await work(name));
        } catch (e) {
          failed.set(name, e);
        }
      }),
    ),
  );
  return { done, failed };
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function checkMigratedIndexGroup(olds: Partial<Ins> | undefined, news: Ins) {
  const failures: Problem[] = [];
  const count = news.group?.count;
  if (
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isInteger(news.group?.index) ||
    news.group.index < 0 ||
    news.group.index >= count
  ) {
    failures.push({
      property: "group",
      reason: `group must be { index, count } with 0 <= index < count, not ${JSON.stringify(news.group)}`,
    });
  }
  if (!Number.isInteger(news.concurrency) || news.concurrency < 1)
    failures.push({
      property: "concurrency",
      reason: `concurrency must be a whole number of at least 1, not ${JSON.stringify(news.concurrency)}`,
    });
  if (news.indices === null || typeof news.indices !== "object")
    failures.push({ property: "indices", reason: "indices must be an object of index options by source index name" });
  const oldCount = olds?.group?.count;
  if (oldCount !== undefined && oldCount !== count && Object.keys(olds?.indices ?? {}).length > 0) {
    failures.push({
      property: "group",
      reason:
        `the migration "${news.migration}" was registered as ${oldCount} group(s); ${count} would move indices between groups, which deletes each moved ` +
        `index's destination index in one group and copies it again in another. Keep groups: ${oldCount}, or destroy this migration first`,
    });
  }
  if (failures.length > 0) return { inputs: news, failures };
  const indices: Ins["indices"] = {};
  const checked = await eachMember(Object.keys(news.indices).sort(), gate(CHECKS_AT_ONCE), async (k) => {
    const before =
      olds?.indices?.[k] === undefined || olds.connections === undefined
        ? undefined
        : (memberInputs(olds.connections, olds.indices[k]) as unknown as Record<string, unknown>);
    const r = await checkMigratedIndex(
      before,
      memberInputs(news.connections, news.indices[k]) as unknown as Record<string, unknown>,
    );
    indices[k] = withoutConnections(r.inputs);
    // The connections are the group's own property; every other property is the member's.
    for (const f of r.failures)
      failures.push(f.property === "connections" ? f : { property: `indices.${k}.${f.property}`, reason: f.reason });
  });
  for (const [k, e] of checked.failed) failures.push({ property: `indices.${k}`, reason: messageOf(e) });
  const unique = [...new Map(failures.map((f) => [`${f.property}: ${f.reason}`, f])).values()];
  return { inputs: { ...news, indices }, failures: unique };
}

/** What would happen to each member, said by MigratedIndex's own diff; the group is never replaced as a whole. */
export async function diffMigratedIndexGroup(olds: Outs, news: Ins): Promise<pulumi.dynamic.DiffResult> {
  const steps = new Map<string, Step>();
  const members = loadMembers(olds.members);
  const names = memberNames(members, news.indices);
  const diffed = await eachMember(names, gate(READS_AT_ONCE), async (k): Promise<Step> => {
    const before = members[k];
    const after = news.indices[k];
    if (before === undefined) return "create";
    if (after === undefined) {
      const live = before.indexState?.cutover;
      if (live !== undefined) {
        say(
          `index ${k} -> ${before.destIndex}: no longer in this migration; cut over at ${live.at}: the destination is live, the up leaves it and forgets it`,
        );
        return "delete";
      }
      const protectedNote =
        before.indexState?.deletionProtection !== false
          ? ": deletionProtection is on, so the up refuses (set deletionProtection: false first to delete it)"
          : "";
      say(
        `index ${k} -> ${before.destIndex}: no longer in this migration: the up deletes its destination index${protectedNote}`,
      );
      return "delete";
    }
    const d = await diffMigratedIndex(memberOutputs(olds.connections, before), memberInputs(news.connections, after));
    if ((d.replaces ?? []).length > 0) return "replace";
    return d.changes ? "update" : "keep";
  });
  // A diff that could not read what waits cannot say "nothing": the member is updated (its update reads it again).
  for (const [k, e] of diffed.failed) {
    say(`index ${k}: what waits could not be read (${messageOf(e)}): the up runs its update`);
    steps.set(k, "update");
  }
  for (const [k, s] of diffed.done) steps.set(k, s);
  planned.set(planKey(news), steps);
  return { changes: [...steps.values()].some((s) => s !== "keep") };
}

/** The group's state out of its members' (failed members keep what they finished, as MigratedIndex does). */
function groupState(i: Ins, members: Record<string, MemberState>): Outs {
  const stored = Object.fromEntries(Object.entries(members).map(([k, m]) => [k, storeMember(m)]));
  return plain({ ...i, members: stored, summary: summaryRows(members) });
}

/** A member's state out of a MigratedIndex failure that kept it (initError's properties), else undefined. */
function keptState(e: unknown): MemberState | undefined {
  const props = (e as { properties?: MigratedIndexOutputs }).properties;
  return props?.indexState === undefined ? undefined : withoutConnections(props);
}

function failedTogether(id: string, failed: Map<string, unknown>, total: number): string {
  const lines = [...failed].map(([k, e]) => `index ${k}: ${messageOf(e)}`);
  return `MigratedIndexGroup ${id}: ${failed.size} of ${total} indices failed (the others finished; the next pulumi up goes on from here):\n${lines.join("\n")}`;
}

export async function createMigratedIndexGroup(i: Ins): Promise<{ id: string; outs: Outs }> {
  const id = groupId(i.group);
  const members: Record<string, MemberState> = {};
  const names = Object.keys(i.indices).sort();
  const run = await eachMember(names, copyGate(i), async (k) =>
    withoutConnections((await createMigratedIndex(memberInputs(i.connections, i.indices[k]), ownerOf(i))).outs),
  );
  for (const [k, s] of run.done) members[k] = s;
  for (const [k, e] of run.failed) {
    const kept = keptState(e);
    if (kept !== undefined) members[k] = kept;
  }
  if (run.failed.size > 0)
    throw initError(
      failedTogether(id, run.failed, names.length),
      id,
      groupState(i, members) as unknown as Record<string, unknown>,
    );
  return { id, outs: groupState(i, members) };
}

/** Carries out the diff's step for one member (`was`: the members' states before); its new state, or undefined when gone. */
async function stepMember(
  step: Step,
  olds: Outs,
  was: Record<string, MemberState>,
  news: Ins,
  k: string,
): Promise<MemberState | undefined> {
  const before = was[k];
  const after = news.indices[k];
  switch (step) {
    case "keep":
      return before;
    case "create":
      return withoutConnections((await createMigratedIndex(memberInputs(news.connections, after), ownerOf(news))).outs);
    case "delete":
      await deleteMigratedIndex(before!.destIndex, memberOutputs(olds.connections, before!));
      return undefined;
    case "replace":
      // MigratedIndex replaces delete-before-create (the same index name): refused while deletionProtection is on.
      await deleteMigratedIndex(before!.destIndex, memberOutputs(olds.connections, before!));
      return withoutConnections((await createMigratedIndex(memberInputs(news.connections, after), ownerOf(news))).outs);
    case "update":
      return withoutConnections(
        (
          await updateMigratedIndex(
            before!.destIndex,
            memberOutputs(olds.connections, before!),
            memberInputs(news.connections, after),
            ownerOf(news),
          )
        ).outs,
      );
  }
}

export async function updateMigratedIndexGroup(id: string, olds: Outs, news: Ins): Promise<{ outs: Outs }> {
  let steps = planned.get(planKey(news));
  // An update without this process's diff (the engine always diffs first; kept for safety): diff now.
  if (steps === undefined) {
    await diffMigratedIndexGroup(olds, news);
    steps = planned.get(planKey(news))!;
  }
  const members: Record<string, MemberState> = {};
  const was = loadMembers(olds.members);
  const names = memberNames(was, news.indices);
  const run = await eachMember(names, copyGate(news), (k) => stepMember(steps!.get(k) ?? "update", olds, was, news, k));
  for (const [k, s] of run.done) if (s !== undefined) members[k] = s;
  for (const [k, e] of run.failed) {
    // What the member finished, else its state before this up (a delete that was refused keeps the index's record).
    const kept = keptState(e) ?? was[k];
    if (kept !== undefined) members[k] = kept;
  }
  if (run.failed.size > 0)
    throw initError(
      failedTogether(id, run.failed, names.length),
      id,
      groupState(news, members) as unknown as Record<string, unknown>,
    );
  return { outs: groupState(news, members) };
}

/** refresh: each member as MigratedIndex reads it; a member whose index is gone leaves the state (the next up creates it). */
export async function readMigratedIndexGroup(id: string, props: Outs): Promise<pulumi.dynamic.ReadResult> {
  if (props?.connections === undefined || props.members === undefined)
    throw new Error(`MigratedIndexGroup "${id}": reading needs its recorded properties (import is not supported)`);
  const members: Record<string, MemberState> = {};
  const stored = loadMembers(props.members);
  const names = Object.keys(stored).sort();
  const run = await eachMember(names, gate(READS_AT_ONCE), async (k) => {
    const m = stored[k];
    if (m.indexState === undefined) return m;
    const r = await readMigratedIndex(m.destIndex, memberOutputs(props.connections, m));
    return r.id === "" ? undefined : withoutConnections(r.props as MigratedIndexOutputs);
  });
  if (run.failed.size > 0) throw new Error(failedTogether(id, run.failed, names.length));
  for (const [k, s] of run.done) if (s !== undefined) members[k] = s;
  return { id, props: groupState(props, members) };
}

/**
 * delete: refused as a whole while any member's deletionProtection is on (nothing cancelled, nothing deleted: a
 * partly deleted group would keep records of deleted indices); else each member as MigratedIndex deletes it.
 */
export async function deleteMigratedIndexGroup(id: string, props: Outs): Promise<void> {
  const members = loadMembers(props.members);
  const guarded = Object.keys(members)
    .filter((k) => members[k].indexState !== undefined && members[k].indexState!.deletionProtection !== false)
    .sort();
  if (guarded.length > 0) {
    const indices = guarded.map((k) => members[k].destIndex).join(", ");
    throw new Error(
      `MigratedIndexGroup ${id}: ${guarded.length} destination ${guarded.length === 1 ? "index is" : "indices are"} protected (deletionProtection is on): ${indices}. ` +
        "Nothing was deleted: the indices and their documents stay on the destination. To delete them, set deletionProtection: false and run `pulumi up` first. " +
        "To stop managing them but keep them, run `pulumi state delete` on this group (it holds every index listed).",
    );
  }
  const names = Object.keys(members).sort();
  const run = await eachMember(names, gate(DELETES_AT_ONCE), (k) =>
    deleteMigratedIndex(members[k].destIndex, memberOutputs(props.connections, members[k])),
  );
  if (run.failed.size > 0) throw new Error(failedTogether(id, run.failed, names.length));
}

export const migratedIndexGroupProvider = defineProvider<Ins, Outs>({
  // check reads the raw values through the group's shape and names each one that does not fit it.
  check: async (news, olds) => {
    const { inputs, failures } = await checkMigratedIndexGroup(olds as Partial<Ins>, news as unknown as Ins);
    return { inputs, problems: failures };
  },
  diff: (_id, olds, news) => diffMigratedIndexGroup(olds, news),
  create: (inputs) => createMigratedIndexGroup(inputs),
  update: (id, olds, news) => updateMigratedIndexGroup(id, olds, news),
  read: (id, props) => readMigratedIndexGroup(id, props),
  delete: (id, props) => deleteMigratedIndexGroup(id, props),
}) as pulumi.dynamic.ResourceProvider;
