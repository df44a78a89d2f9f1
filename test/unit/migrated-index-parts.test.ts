// MigratedIndex's pure split into its parts: each part's inputs from the grouped inputs (and the parts before it),
// each part's state stored without its connections and given them back, what a replacement names, when an existing
// index is an interrupted up's own, the summary row; and ClusterMigration's grouping of one index's options.
import { describe, expect, it } from "vitest";
import { groupOptions } from "../../components/migration/plan";
import {
  copyOlds,
  copyPartInputs,
  copySetupUnchanged,
  copyStateOf,
  finishPartInputs,
  indexOlds,
  indexPartInputs,
  indexStateOf,
  replacedProperties,
  summaryOf,
  wearsLoadSettings,
} from "../../provider/migrated-index/parts";
import { factKey } from "../../provider/migrated-index/facts";
import type { MigratedIndexInputs } from "../../provider/migrated-index/types";

const connections = {
  destination: { url: "http://dest:9200", password: "dest-pw" },
  source: { url: "http://src:9200", password: "src-pw" },
  remote: { host: "http://src:9200", password: "src-pw" },
};
const inputs = (over: Partial<MigratedIndexInputs> = {}): MigratedIndexInputs => ({
  connections,
  sourceIndex: "logs",
  destIndex: "logs-v2",
  target: {},
  copy: { mode: { type: "incremental", field: "ts" }, query: { term: { t: 1 } }, size: 500, verify: "content" },
  finish: { alias: "logs", finalSettings: { number_of_replicas: 2 } },
  ...over,
});

describe("the parts' inputs", () => {
  it("copies the index from the source, protected by default, with the final settings declared too", () => {
    expect(indexPartInputs(inputs())).toEqual({
      cluster: connections.destination,
      index: "logs-v2",
      copyFrom: { cluster: connections.source, index: "logs" },
      settings: { "index.number_of_replicas": "2" },
      deletionProtection: true,
    });
    expect(indexPartInputs(inputs({ finish: {}, target: { deletionProtection: false, loadSettings: {} } }))).toEqual({
      cluster: connections.destination,
      index: "logs-v2",
      copyFrom: { cluster: connections.source, index: "logs" },
      loadSettings: {},
      deletionProtection: false,
    });
  });

  it("keys the copy on the index's uuid, with query and size under source and every other option passed through", () => {
    expect(
      copyPartInputs(
        inputs({
          copy: {
            mode: { type: "full" },
            query: { term: { t: 1 } },
            size: 500,
            deletes: "reconcile",
            maxDeletePercent: 2,
            scroll: "1h",
            verify: "ids",
          },
        }),
        "u-1",
      ),
    ).toEqual({
      cluster: connections.destination,
      destIndex: "logs-v2",
      destIndexUuid: "u-1",
      source: {
        index: "logs",
        remote: connections.remote,
        cluster: connections.source,
        query: { term: { t: 1 } },
        size: 500,
      },
      mode: { type: "full" },
      deletes: "reconcile",
      maxDeletePercent: 2,
      scroll: "1h",
      verify: "ids",
    });
  });

  it.each([
    [
      "a verified copy: like with like, and the run identity as trigger",
      {
        verification: { sourceCount: 100, extraKept: 3 },
        taskIds: ["n:1"],
        watermark: 42,
        created: 90,
        updated: 10,
        durationSeconds: 4,
      },
      { sourceCount: 100, extra: 3, query: { term: { t: 1 } } },
      { taskIds: ["n:1"], watermark: 42, created: 90, updated: 10, durationSeconds: 4 },
    ],
    [
      "a copy without verification: counts reported, not compared",
      { taskIds: [], created: 0, updated: 0, durationSeconds: 1 },
      undefined,
      { taskIds: [], created: 0, updated: 0, durationSeconds: 1 },
    ],
  ])("finishes %s", (_what, copy, verify, trigger) => {
    const f = finishPartInputs(
      inputs(),
      { finalSettings: { "index.number_of_replicas": "1", "index.refresh_interval": "1s" } },
      copy as any,
    );
    expect(f).toEqual({
      cluster: connections.destination,
      index: "logs-v2",
      // The index's final values, with the declared ones over them.
      finalSettings: { "index.number_of_replicas": "2", "index.refresh_interval": "1s" },
      alias: "logs",
      ...(verify ? { verify } : {}),
      trigger,
    });
  });
});

describe("the parts' state", () => {
  it("stores no connection, and gives the recorded ones back", () => {
    const idx = indexStateOf({
      cluster: connections.destination,
      copyFrom: { cluster: connections.source, index: "logs" },
      index: "logs-v2",
      uuid: "u",
    } as any);
    expect(JSON.stringify(idx)).not.toMatch(/pw/);
    const copy = copyStateOf({
      cluster: connections.destination,
      destIndex: "logs-v2",
      source: { index: "logs", remote: connections.remote, cluster: connections.source, query: { match_all: {} } },
      taskIds: ["n:1"],
    } as any);
    expect(JSON.stringify(copy)).not.toMatch(/pw/);
    expect(copy.source).toEqual({ index: "logs", query: { match_all: {} } });
    const olds = { ...inputs(), indexState: idx, copyState: copy };
    expect(indexOlds(olds)).toMatchObject({
      cluster: connections.destination,
      copyFrom: { cluster: connections.source, index: "logs" },
      uuid: "u",
    });
    expect(copyOlds(olds).source).toEqual({
      index: "logs",
      remote: connections.remote,
      cluster: connections.source,
      query: { match_all: {} },
    });
  });

  it.each([
    [["settings"], ["target"]],
    [["mappings", "settings"], ["target"]],
    [["index"], ["destIndex"]],
    [
      ["cluster", "copyFrom"],
      ["connections", "sourceIndex"],
    ],
  ])("a replacement of the index because of %j names %j", (part, own) => {
    expect(replacedProperties(part)).toEqual(own);
  });

  it.each([
    [
      "wears the load settings",
      { "index.number_of_replicas": "0", "index.refresh_interval": "-1", "index.number_of_shards": "1" },
      { "index.number_of_replicas": "0", "index.refresh_interval": "-1" },
      true,
    ],
    [
      "was finished (final settings back)",
      { "index.number_of_replicas": "1" },
      { "index.number_of_replicas": "0", "index.refresh_interval": "-1" },
      false,
    ],
    ["has no load settings to tell by", { "index.number_of_replicas": "0" }, {}, false],
  ])("an existing index that %s is taken as an interrupted up's own: %s", (_what, live, load, taken) => {
    expect(wearsLoadSettings(live, load)).toBe(taken);
  });

  it.each([
    ["a new index", undefined, inputs(), false],
    ["nothing changed (the finish's alias aside)", inputs(), inputs({ finish: { alias: "other" } }), true],
    [
      "another look-back",
      inputs(),
      inputs({ copy: { mode: { type: "incremental", field: "ts", lookback: "1h" } } }),
      false,
    ],
    [
      "another destination password",
      inputs(),
      inputs({ connections: { ...connections, destination: { url: "http://dest:9200", password: "new" } } }),
      false,
    ],
  ])("the copy's setup is unchanged (no live checks again) for %s: %s", (_what, olds, news, unchanged) => {
    expect(copySetupUnchanged(olds, news)).toBe(unchanged);
  });

  it("sums up a run", () => {
    const row = summaryOf(inputs(), {
      indexState: { uuid: "u" } as any,
      copyState: { created: 90, updated: 10, durationSeconds: 4, watermark: 42 } as any,
      finishState: { sourceCount: 100, destCount: 100, verified: true } as any,
    });
    expect(row).toEqual({
      index: "logs",
      destIndex: "logs-v2",
      uuid: "u",
      sourceCount: 100,
      destCount: 100,
      created: 90,
      updated: 10,
      durationSeconds: 4,
      docsPerSecond: 25,
      verified: true,
      watermark: 42,
    });
  });
});

describe("groupOptions", () => {
  it.each([
    [{}, { target: {}, copy: {}, finish: {} }],
    [
      {
        destIndex: "x",
        mode: { type: "full" as const },
        partitions: { field: "ts", count: 2 },
        loadSettings: {},
        deletionProtection: false,
        alias: "a",
        finalSettings: { number_of_replicas: 1 },
        verify: "ids" as const,
        scroll: "1h",
        settings: { codec: "best_compression" },
      },
      {
        target: { loadSettings: {}, deletionProtection: false, settings: { codec: "best_compression" } },
        copy: { mode: { type: "full" }, partitions: { field: "ts", count: 2 }, verify: "ids", scroll: "1h" },
        finish: { alias: "a", finalSettings: { number_of_replicas: 1 } },
      },
    ],
  ])("puts %j in the destination index's, the copy's and the finish's groups", (options, groups) => {
    expect(groupOptions(options)).toEqual(groups);
  });
});

describe("facts asked once per cluster", () => {
  it.each([
    ["GET /", { method: "GET", path: "/" }, true],
    ["the node settings", { method: "GET", path: "/_nodes/settings", querystring: { flat_settings: true } }, true],
    ["an index's mapping", { method: "GET", path: "/logs/_mapping" }, false],
    ["a POST", { method: "POST", path: "/" }, false],
  ])("%s is a fact: %s", (_what, req, fact) => {
    expect(factKey({ url: "http://d:9200" }, req as any) !== undefined).toBe(fact);
  });

  it("keys facts on the whole connection: another password is another cluster as far as answers go", () => {
    const req = { method: "GET" as const, path: "/" };
    expect(factKey({ url: "http://d:9200", password: "a" }, req)).not.toBe(
      factKey({ url: "http://d:9200", password: "b" }, req),
    );
  });
});

describe("check failures under MigratedIndex's own property names", () => {
  it.each([
    ["target", "loadSettings", "target.loadSettings"],
    ["target", "cluster", "connections"],
    ["target", "index", "destIndex"],
    ["copy", "mode.lookback", "copy.mode.lookback"],
    ["copy", "maxDeletePercent", "copy.maxDeletePercent"],
    ["copy", "source.query", "copy.query"],
    ["copy", "source.remote.host", "connections"],
    ["finish", "alias", "finish.alias"],
  ] as const)("%s's %s is reported as %s", async (part, property, own) => {
    const { renamed } = await import("../../provider/migrated-index/provider.js");
    expect(renamed(part, [{ property, reason: "r" }])).toEqual([{ property: own, reason: "r" }]);
  });
});
