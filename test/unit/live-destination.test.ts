// The cutover guard's decisions: what an operation does once the destination is live (recorded by cutover() or the
// program's phase), while the source is write-blocked by a cutover done by hand, and otherwise; where the record
// lives in a mapping's `_meta` without ever showing as drift; and what each provider does with a recorded cutover
// before it reaches any cluster (the cluster URLs below answer nothing).
import { describe, expect, it } from "vitest";
import { diffDestinationIndex, deleteDestinationIndex } from "../../provider/destination-index/provider";
import type { DestinationIndexOutputs } from "../../provider/destination-index/types";
import { checkInputs } from "../../provider/destination-index/validate";
import { diffFinishLive } from "../../provider/finish/provider";
import type { MigrationFinishOutputs } from "../../provider/finish/types";
import { deleteMigratedIndex, diffMigratedIndex, updateMigratedIndex } from "../../provider/migrated-index/provider";
import type { MigratedIndexOutputs } from "../../provider/migrated-index/types";
import { diffReindex, updateReindex } from "../../provider/reindex/provider";
import {
  checkSnapshotMigration,
  diffSnapshotMigration,
  updateSnapshotMigration,
} from "../../provider/snapshot/provider";
import type { SnapshotMigrationOutputs } from "../../provider/snapshot/types";
import type { ReindexOutputs } from "../../provider/reindex/types";
import { validateInputs } from "../../provider/reindex/validate";
import {
  earlier,
  FINAL_COPY_ENV,
  frozenSourceMessage,
  guardAction,
  inFinalCopy,
  liveLine,
  META_KEY,
  phaseProblem,
  recordOf,
  withoutRecord,
  writeRecord,
  type GuardFacts,
} from "../../provider/shared/live-destination";
import type { Cluster } from "../../provider/connection/types";
import { clusterMigrationProblems, indexMigrationProblems } from "../../components/migration/plan";

const AT = "2026-12-01T10:00:00.000Z";
const recorded = { at: AT, by: "cutover" as const };

describe("guardAction: what an operation on the destination does", () => {
  it.each<[string, "write" | "delete", GuardFacts, string]>([
    ["cut over (recorded): a copy, repair, settings change or finish", "write", { recorded }, "leave"],
    ["cut over (recorded): a delete leaves the index", "delete", { recorded }, "leave"],
    [
      "cut over, even with the source still blocked and writes at the destination",
      "write",
      { recorded, sourceBlock: "index.blocks.write on a", foreignWrites: 6 },
      "leave",
    ],
    [
      'the program says "cutover-done", not recorded yet: the up only records it',
      "write",
      { phase: "cutover-done" },
      "record",
    ],
    ['the program says "cutover-done": a delete leaves the index', "delete", { phase: "cutover-done" }, "leave"],
    [
      "source write-blocked, writes at the destination: stop",
      "write",
      { sourceBlock: "index.blocks.write on a", foreignWrites: 6 },
      "stop",
    ],
    [
      "source write-blocked, writes at the destination not known: stop",
      "write",
      { sourceBlock: "index.blocks.read_only on a" },
      "stop",
    ],
    [
      "source write-blocked, nobody else wrote to the destination: the frozen source is caught up",
      "write",
      { sourceBlock: "index.blocks.write on a", foreignWrites: 0 },
      "run",
    ],
    [
      "source write-blocked by cutover() for its final copy: run",
      "write",
      { sourceBlock: "index.blocks.write on a", finalCopy: true, foreignWrites: 6 },
      "run",
    ],
    ["source write-blocked: a delete of the index stops", "delete", { sourceBlock: "index.blocks.write on a" }, "stop"],
    ["normal (sync): a copy runs", "write", { phase: "sync", foreignWrites: 3 }, "run"],
    ["normal (sync): a delete runs", "delete", {}, "run"],
  ])("%s", (_what, op, facts, action) => {
    expect(guardAction(op, facts)).toBe(action);
  });
});

describe("the record in a mapping's _meta", () => {
  const ours = { [META_KEY]: { cutoverAt: AT, by: "cutover" } };

  it.each([
    ["a typeless mapping", { _meta: ours, properties: { n: { type: "long" } } }],
    ["a 6.x mapping under its type", { _doc: { _meta: ours, properties: {} } }],
  ])("is read from %s", (_what, mappings) => {
    expect(recordOf(mappings)).toEqual(recorded);
  });

  it("is absent from a mapping without our key, or with other _meta keys only", () => {
    expect(recordOf({ properties: {} })).toBeUndefined();
    expect(recordOf({ _meta: { owner: "team-a" } })).toBeUndefined();
  });

  it("is left out of what is compared (never drift), keeping the application's own _meta keys", () => {
    expect(withoutRecord({ _meta: { ...ours, owner: "team-a" }, properties: {} })).toEqual({
      _meta: { owner: "team-a" },
      properties: {},
    });
    expect(withoutRecord({ _meta: ours, properties: {} })).toEqual({ properties: {} });
    const untouched = { _meta: { owner: "team-a" } };
    expect(withoutRecord(untouched)).toBe(untouched);
  });

  it("the earlier record stands (an index goes live once)", () => {
    const later = { at: "2026-12-02T00:00:00.000Z", by: "phase" as const };
    expect(earlier(later, recorded)).toBe(recorded);
    expect(earlier(undefined, later)).toBe(later);
  });
});

describe("cutover()'s final copy", () => {
  it("is the up whose environment names the destination index", () => {
    expect(inFinalCopy("orders-v2", { [FINAL_COPY_ENV]: JSON.stringify(["orders-v2", "events-v2"]) })).toBe(true);
    expect(inFinalCopy("users-v2", { [FINAL_COPY_ENV]: JSON.stringify(["orders-v2"]) })).toBe(false);
    expect(inFinalCopy("orders-v2", {})).toBe(false);
    expect(inFinalCopy("orders-v2", { [FINAL_COPY_ENV]: "not json" })).toBe(false);
  });
});

describe("what users read", () => {
  it("preview's line for a cut-over copy", () => {
    expect(liveLine("reindex orders -> orders-v2", recorded)).toBe(
      `reindex orders -> orders-v2: cut over at ${AT}: the destination is live, this copy no longer runs`,
    );
  });

  it("the error of a copy stopped by a frozen source names the writes and how to record the cutover", () => {
    const text = frozenSourceMessage("reindex users -> users-v2", "index.blocks.write on users", "users", {
      created: ["app-1", "app-2", "app-3"],
      createdCount: 3,
      changed: ["doc-1", "doc-2"],
      changedCount: 2,
      missing: ["doc-3"],
      missingCount: 1,
    });
    expect(text).toContain("the source is write-blocked (index.blocks.write on users)");
    expect(text).toContain(
      "3 document(s) only at the destination (first: app-1, app-2, app-3), 2 with other content than the source (first: doc-1, doc-2), 1 source document(s) the destination no longer holds (first: doc-3)",
    );
    expect(text).toContain('set phase: "cutover-done"');
    expect(text).toContain("nothing was changed");
  });

  it.each([
    [
      "Reindex",
      () =>
        validateInputs({
          cluster: { url: "http://127.0.0.1:1" },
          destIndex: "a",
          source: { index: "a", remote: { host: "http://127.0.0.1:2" } },
          phase: "done",
        }).failures,
    ],
    [
      "DestinationIndex",
      () => checkInputs({ cluster: { url: "http://127.0.0.1:1" }, index: "a", phase: "done" }).failures,
    ],
  ])("a phase other than sync or cutover-done is refused by %s, naming the field", (_what, failures) => {
    expect(failures()).toContainEqual({
      property: "phase",
      reason: expect.stringMatching(/phase must be "sync" .* or "cutover-done"/),
    });
  });

  it("phaseProblem accepts the two phases and nothing else", () => {
    expect([phaseProblem("sync"), phaseProblem("cutover-done"), phaseProblem(undefined)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(phaseProblem("live")).toMatch(/got "live"/);
  });

  it("ClusterMigration takes phase for every index and per index; not in defaults", () => {
    const base = { source: { url: "http://127.0.0.1:1" }, destination: { url: "http://127.0.0.1:2" } };
    expect(
      clusterMigrationProblems({ ...base, phase: "cutover-done", overrides: { logs: { phase: "sync" } } }),
    ).toEqual([]);
    expect(clusterMigrationProblems({ ...base, defaults: { phase: "cutover-done" } } as any)).toContainEqual(
      expect.stringContaining("defaults.phase: set phase on the ClusterMigration itself"),
    );
    expect(indexMigrationProblems({ ...base, index: "logs", phase: "over" as any })).toContainEqual(
      expect.stringContaining('phase must be "sync"'),
    );
  });
});

// A cluster that answers nothing: the providers must decide from the recorded cutover alone.
const NOWHERE = { url: "http://127.0.0.1:9" };

describe("with the cutover recorded in the state, before any cluster is asked", () => {
  const copy = {
    cluster: NOWHERE,
    destIndex: "orders-v2",
    source: { index: "orders", remote: { host: "http://127.0.0.1:8" } },
    mode: { type: "incremental", field: "ts" },
    transport: "remote",
    timeout: 60,
    verify: "content",
    deletes: "reconcile",
    maxDeletePercent: 5,
    status: "complete",
    cutover: recorded,
  } as unknown as ReindexOutputs;

  it("a Reindex's preview plans nothing, whatever changed in the program (a replacement included)", async () => {
    expect(await diffReindex(copy, { ...copy, destIndexUuid: "new-uuid", verify: "ids" })).toEqual({ changes: false });
  });

  it("a Reindex's update copies nothing and keeps the record", async () => {
    const { outs } = await updateReindex("id", copy, { ...copy, requestsPerSecond: 10 });
    expect(outs).toMatchObject({ cutover: recorded, requestsPerSecond: 10, status: "complete" });
  });

  const index = {
    cluster: NOWHERE,
    index: "orders-v2",
    settings: {},
    mappings: {},
    aliases: {},
    loadSettings: {},
    deletionProtection: true,
    adoptExisting: false,
    cutover: recorded,
  } as unknown as DestinationIndexOutputs;

  it("a DestinationIndex's preview plans nothing (no settings, mappings or aliases change)", async () => {
    expect(
      await diffDestinationIndex(index, {
        ...index,
        settings: { "index.number_of_replicas": "2" },
        aliases: { logs: {} },
      } as any),
    ).toEqual({ changes: false });
  });

  it.each([true, false])(
    "a DestinationIndex's delete leaves the index (deletionProtection %s)",
    async (deletionProtection) => {
      await expect(deleteDestinationIndex("orders-v2", { ...index, deletionProtection })).resolves.toBeUndefined();
    },
  );

  it("a MigrationFinish's preview plans nothing (no settings restored, no alias moved)", async () => {
    const finish = {
      cluster: NOWHERE,
      index: "orders-v2",
      finalSettings: {},
      refresh: true,
      aliasIndices: [],
      settings: {},
      cutover: recorded,
    } as unknown as MigrationFinishOutputs;
    expect(await diffFinishLive(finish, { ...finish, alias: "orders" })).toEqual({ changes: false });
  });

  const migrated = {
    connections: { destination: NOWHERE, source: NOWHERE },
    sourceIndex: "orders",
    destIndex: "orders-v2",
    target: {},
    copy: {},
    finish: {},
    indexState: { index: "orders-v2", deletionProtection: false, cutover: recorded },
  } as unknown as MigratedIndexOutputs;

  it("a MigratedIndex's preview plans nothing, its update records only, its delete leaves the index", async () => {
    expect(await diffMigratedIndex(migrated, { ...migrated, copy: { verify: "ids" } })).toEqual({ changes: false });
    const { outs } = await updateMigratedIndex("orders-v2", migrated, { ...migrated, copy: { verify: "ids" } });
    expect(outs.indexState?.cutover).toEqual(recorded);
    expect(outs.summary?.cutoverAt).toBe(AT);
    await expect(deleteMigratedIndex("orders-v2", migrated)).resolves.toBeUndefined();
  });

  const snapshot = {
    source: NOWHERE,
    destination: NOWHERE,
    repository: { name: "migration", type: "fs", settings: { location: "/repo" } },
    indices: ["events"],
    snapshot: "es-migrate-big",
    catchUp: { field: "ts", lookback: "1m" },
    deletionProtection: false,
    verify: "ids",
    timeout: 60,
    status: "complete",
    snapshotName: "es-migrate-big",
    indexResults: [],
    catchUpStates: {},
    failures: [],
    cutover: recorded,
  } as unknown as SnapshotMigrationOutputs;

  it("a SnapshotMigration's preview plans nothing, whatever changed in the program (a replacement included)", async () => {
    expect(
      await diffSnapshotMigration(snapshot, { ...snapshot, indices: ["events", "orders"], verify: "content" }),
    ).toEqual({ changes: false });
  });

  it("a SnapshotMigration's update catches up nothing and keeps the record", async () => {
    const { outs } = await updateSnapshotMigration("es-migrate-big", snapshot, { ...snapshot, timeout: 120 });
    expect(outs).toMatchObject({ cutover: recorded, timeout: 120, status: "complete" });
  });
});

describe("SnapshotMigration's phase", () => {
  it("is checked like the other resources' and needs no cluster once cut over", async () => {
    const raw = { ...snapshotRaw, phase: "done" };
    expect((await checkSnapshotMigration(undefined, raw)).failures).toContainEqual({
      property: "phase",
      reason: expect.stringContaining('must be "sync"'),
    });
    const cut = await checkSnapshotMigration(undefined, { ...snapshotRaw, phase: "cutover-done" });
    expect(cut.failures).toEqual([]);
    expect(cut.inputs.phase).toBe("cutover-done");
  });
});

const snapshotRaw = {
  source: NOWHERE,
  destination: NOWHERE,
  repository: { name: "migration", type: "fs", settings: { location: "/repo" } },
  indices: ["events"],
  snapshot: "es-migrate-big",
};

describe("writing the record (the one write a cut-over index gets)", () => {
  /** A destination answering GET _mapping with `mappings` and recording every other request. */
  function fakeDestination(mappings: Record<string, unknown> | undefined) {
    const sent: { method?: string; path: string; body?: unknown }[] = [];
    const cluster = {
      request: async (req: { method?: string; path: string; body?: unknown }) => {
        if ((req.method ?? "GET") === "GET") return mappings === undefined ? undefined : { "orders-v2": { mappings } };
        sent.push(req);
        return { acknowledged: true };
      },
    };
    return { cluster: cluster as unknown as Cluster, sent };
  }

  it("adds our key to _meta and keeps the application's keys (a _meta update replaces the whole object)", async () => {
    const { cluster, sent } = fakeDestination({ _meta: { owner: "team-a" }, properties: { n: { type: "long" } } });
    expect(await writeRecord(cluster, "orders-v2", recorded)).toEqual(recorded);
    expect(sent).toEqual([
      {
        method: "PUT",
        path: "/orders-v2/_mapping",
        body: { _meta: { owner: "team-a", [META_KEY]: { cutoverAt: AT, by: "cutover" } } },
        idempotent: true,
      },
    ]);
  });

  it("writes into a 6.x index's one type", async () => {
    const { cluster, sent } = fakeDestination({ _doc: { properties: {} } });
    await writeRecord(cluster, "orders-v2", recorded);
    expect(sent[0].path).toBe("/orders-v2/_mapping/_doc");
  });

  it("leaves a record that is there (the index went live once) and writes nothing to a missing index", async () => {
    const there = fakeDestination({ _meta: { [META_KEY]: { cutoverAt: "2026-11-30T00:00:00.000Z", by: "phase" } } });
    expect(await writeRecord(there.cluster, "orders-v2", recorded)).toEqual({
      at: "2026-11-30T00:00:00.000Z",
      by: "phase",
    });
    expect(there.sent).toEqual([]);
    const missing = fakeDestination(undefined);
    expect(await writeRecord(missing.cluster, "orders-v2", recorded)).toBeUndefined();
    expect(missing.sent).toEqual([]);
  });
});
