// The migration components' pure planning: which source indices become which IndexMigrations, in which lane, with
// which options; the default remote; the settings declared and restored.
import { describe, expect, it } from "vitest";
import {
  declaredSettings,
  defaultRemote,
  describePlan,
  planClusterMigration,
  restoredSettings,
} from "../../components/migration";
import type { SourceIndexList } from "../../provider/indices";

const list = (...names: string[]): SourceIndexList => ({
  indices: names.map((name, i) => ({ name, docs: (i + 1) * 10, sizeBytes: 1, health: "green" })),
  dataStreams: [],
  skippedSystem: [".kibana"],
  skippedClosed: ["old"],
});

describe("planClusterMigration", () => {
  it.each([
    [1, [undefined, 0, 1, 2]],
    [2, [undefined, undefined, 0, 1]],
    [4, [undefined, undefined, undefined, undefined]],
  ])("concurrency %s: the k-th index waits for index k - concurrency", (concurrency, after) => {
    expect(planClusterMigration(list("a", "b", "c", "d"), { concurrency }).indices.map((i) => i.after)).toEqual(after);
  });

  it("defaults to 2 lanes, lays overrides over defaults, names destinations, reports skipped and unused overrides", () => {
    const plan = planClusterMigration(list("a", "b", "c"), {
      defaults: { mode: { type: "full" }, requestsPerSecond: 100 },
      overrides: { b: { destIndex: "b-new", requestsPerSecond: 5 }, typo: { alias: "x" } },
      destIndexName: (n) => `${n}-v2`,
    });
    expect(plan.indices.map((i) => [i.index, i.destIndex, i.options.requestsPerSecond, i.after])).toEqual([
      ["a", "a-v2", 100, undefined],
      ["b", "b-new", 5, undefined],
      ["c", "c-v2", 100, 0],
    ]);
    expect(plan.skipped).toEqual([
      { index: ".kibana", reason: "system" },
      { index: "old", reason: "closed" },
    ]);
    expect(plan.unusedOverrides).toEqual(["typo"]);
    expect(plan.totalDocs).toBe(60);
    expect(describePlan("cm", plan, new Set())).toBe(
      'ClusterMigration "cm": 3 indices, 60 documents at the source: a -> a-v2 (10), b -> b-new (20), c -> c-v2 (30); all new at the destination: 60 documents to copy; skipped: .kibana (system index), old (closed)',
    );
  });

  it.each([
    [
      "the destination not asked",
      undefined,
      "the destination's indices are not known yet: each index's own line says what its copy moves (nothing when up to date)",
    ],
    [
      "one index already there",
      new Set(["b", "other"]),
      "new at the destination: a, c (40 documents to copy); b already at the destination: each index's own line says what its copy moves (nothing when up to date)",
    ],
    [
      "every index already there (a second preview)",
      new Set(["a", "b", "c"]),
      "all already at the destination: each index's own line says what its copy moves (nothing when up to date)",
    ],
  ])("says what waits, never the source's size as moving: %s", (_what, existing, waiting) => {
    const plan = planClusterMigration(list("a", "b", "c"), {});
    expect(describePlan("cm", plan, existing)).toBe(
      `ClusterMigration "cm": 3 indices, 60 documents at the source: a (10), b (20), c (30); ${waiting}; skipped: .kibana (system index), old (closed)`,
    );
  });

  it("refuses two source indices going to one destination index, and a bad destination name", () => {
    expect(() => planClusterMigration(list("a", "b"), { overrides: { b: { destIndex: "a" } } })).toThrow(
      /"a" and "b" would both go to destination index "a"/,
    );
    expect(() => planClusterMigration(list("a"), { destIndexName: (n) => n.toUpperCase() })).toThrow(
      /destination name of "a" "A" has uppercase/,
    );
  });
});

describe("defaultRemote", () => {
  it.each([
    [{ url: "http://10.0.0.5:9200/" }, { host: "http://10.0.0.5:9200" }],
    [
      { url: "https://s:9243", username: "u", password: "p" },
      { host: "https://s:9243", username: "u", password: "p" },
    ],
    [
      { url: "http://s:9200", apiKey: "k", headers: { "x-a": "1" } },
      { host: "http://s:9200", headers: { "x-a": "1", Authorization: "ApiKey k" } },
    ],
  ])("%j -> %j", (source, remote) => {
    expect(defaultRemote(source)).toEqual(remote);
  });
});

describe("settings declared and restored", () => {
  it("declares the final settings on the index over the given ones, in canonical form", () => {
    expect(declaredSettings(undefined, undefined)).toBeUndefined();
    expect(
      declaredSettings({ index: { number_of_shards: 2, number_of_replicas: 0 } }, { number_of_replicas: 1 }),
    ).toEqual({ "index.number_of_shards": "2", "index.number_of_replicas": "1" });
  });
  it("restores the DestinationIndex's final settings with the declared ones over them", () => {
    expect(
      restoredSettings(
        { "index.number_of_replicas": "1", "index.refresh_interval": "1s" },
        { refresh_interval: "30s" },
      ),
    ).toEqual({ "index.number_of_replicas": "1", "index.refresh_interval": "30s" });
  });
});
