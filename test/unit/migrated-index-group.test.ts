// MigratedIndexGroup's pure pieces and the checks it makes before reading any cluster: which group an index is in
// (stable: the state's layout depends on it), how members split from the group, and a changed group count refused.
import { describe, expect, it, vi } from "vitest";
import {
  checkMigratedIndexGroup,
  deleteMigratedIndexGroup,
  diffMigratedIndexGroup,
} from "../../provider/migrated-index/group";
import {
  groupId,
  groupOf,
  loadMember,
  loadMembers,
  memberNames,
  storeMember,
  summaryRows,
  withoutConnections,
  type MigratedIndexGroupInputs,
} from "../../provider/migrated-index/group-members";

const connections = {
  destination: { url: "http://127.0.0.1:1" },
  source: { url: "http://127.0.0.1:2", password: "pw" },
};
const member = (sourceIndex: string) => ({ sourceIndex, destIndex: sourceIndex, target: {}, copy: {}, finish: {} });
const inputs = (count: number, names: string[]): MigratedIndexGroupInputs => ({
  connections,
  migration: "cm",
  group: { index: 0, count },
  concurrency: 2,
  indices: Object.fromEntries(names.map((n) => [n, member(n)])),
});

describe("groupOf", () => {
  it("gives the same group to a name on every run and release (these values are part of the state's layout)", () => {
    expect([
      groupOf("articles", 3),
      groupOf("events", 3),
      groupOf("orders", 3),
      groupOf("metrics", 2),
      groupOf("logs-2024.01.01", 8),
    ]).toEqual([1, 0, 0, 1, groupOf("logs-2024.01.01", 8)]);
    expect(["articles", "events", "orders", "logs", "metrics"].map((n) => groupOf(n, 2))).toEqual([0, 0, 0, 0, 1]);
  });

  it("is in range and spreads numbered names evenly (no group more than twice the mean at 200 names)", () => {
    for (const count of [1, 2, 4, 8, 16]) {
      const sizes = new Array(count).fill(0);
      for (let i = 0; i < 200; i++) sizes[groupOf(`logs-${String(i).padStart(4, "0")}`, count)]++;
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(200);
      expect(Math.max(...sizes)).toBeLessThanOrEqual((2 * 200) / count);
    }
  });

  it("does not move an index when others are added or removed (it depends on the name and the count only)", () => {
    const before = ["a", "b", "c"].map((n) => groupOf(n, 4));
    expect(["a", "b", "c"].map((n) => groupOf(n, 4))).toEqual(before);
  });
});

describe("members", () => {
  it("walks the old and new names once each, sorted", () => {
    expect(memberNames({ b: 1, a: 1 }, { c: 1, a: 1 })).toEqual(["a", "b", "c"]);
    expect(memberNames(undefined, { x: 1 })).toEqual(["x"]);
  });

  it("keeps no connections in a member's state, and the rows by name", () => {
    expect(withoutConnections({ connections, sourceIndex: "a" })).toEqual({ sourceIndex: "a" });
    const row = (index: string) => ({
      index,
      destIndex: index,
      uuid: "",
      sourceCount: 1,
      destCount: 1,
      created: 1,
      updated: 0,
      durationSeconds: 1,
      docsPerSecond: 1,
      verified: true,
      watermark: null,
    });
    expect(
      summaryRows({
        b: { ...member("b"), summary: row("b") },
        a: { ...member("a"), summary: row("a") },
        c: member("c"),
      }).map((r) => r.index),
    ).toEqual(["a", "b"]);
    expect(groupId({ index: 2, count: 4 })).toBe("group-2-of-4");
  });

  it("stores a member as its JSON text and reads it back, and reads an earlier release's object as it is", () => {
    const m = {
      ...member("a"),
      indexState: { index: "a", uuid: "u1", deletionProtection: true },
      summary: undefined,
    } as any;
    const stored = storeMember(m);
    expect(typeof stored).toBe("string");
    expect(loadMember(stored)).toEqual(JSON.parse(JSON.stringify(m)));
    expect(loadMember(m)).toBe(m);
    expect(loadMembers({ a: stored, b: member("b") })).toEqual({ a: JSON.parse(stored), b: member("b") });
    expect(loadMembers(undefined)).toEqual({});
  });
});

describe("checkMigratedIndexGroup, before any cluster is read", () => {
  it("refuses another group count for a group that holds indices, naming both counts and the way out", async () => {
    const r = await checkMigratedIndexGroup(inputs(3, ["a"]), inputs(2, ["a"]));
    expect(r.failures).toEqual([
      {
        property: "group",
        reason: expect.stringContaining(
          'the migration "cm" was registered as 3 group(s); 2 would move indices between groups',
        ),
      },
    ]);
    expect(r.failures[0].reason).toContain("Keep groups: 3, or destroy this migration first");
  });

  it("refuses a malformed group, concurrency or index list", async () => {
    const bad = {
      ...inputs(2, []),
      group: { index: 2, count: 2 },
      concurrency: 0,
      indices: null,
    } as unknown as MigratedIndexGroupInputs;
    const r = await checkMigratedIndexGroup(undefined, bad);
    expect(r.failures.map((f) => f.property).sort()).toEqual(["concurrency", "group", "indices"]);
  });

  it("takes an empty group as it is (no cluster read)", async () => {
    const r = await checkMigratedIndexGroup(undefined, inputs(4, []));
    expect(r.failures).toEqual([]);
    expect(r.inputs.indices).toEqual({});
  });
});

describe("a group's state from this release (members as text) and from earlier ones (members as objects)", () => {
  const protectedMember = { ...member("a"), indexState: { index: "a", uuid: "u1", deletionProtection: true } } as any;
  const state = (members: Record<string, unknown>) => ({ ...inputs(1, []), members, summary: [] }) as any;

  it.each([
    ["text", storeMember(protectedMember)],
    ["object", protectedMember],
  ])(
    "members as %s: a diff plans the delete of an index left out, destroy refuses a protected one",
    async (_form, stored) => {
      const said = vi.spyOn(console, "log").mockImplementation(() => undefined);
      try {
        expect(await diffMigratedIndexGroup(state({ a: stored }), inputs(1, []))).toEqual({ changes: true });
        expect(said.mock.calls.flat().join("\n")).toContain(
          "index a -> a: no longer in this migration: the up deletes its destination index: deletionProtection is on",
        );
      } finally {
        said.mockRestore();
      }
      await expect(deleteMigratedIndexGroup("group-0-of-1", state({ a: stored }))).rejects.toThrow(
        /1 destination index is protected \(deletionProtection is on\): a\. Nothing was deleted/,
      );
    },
  );
});
