import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/connection";
import { aliasActions, checkDestinationIndexInputs, finalSettingsOf, planDiff } from "../../provider/destination-index";
import { createSettings } from "../../provider/destination-index/plan";
import type { DestinationIndexOutputs } from "../../provider/destination-index";

const cluster = { url: "http://127.0.0.1:9201", username: "elastic", password: "s3cret-pw" };
const ok = { cluster, index: "logs" };

function failuresOf(input: Record<string, unknown>): string[] {
  return checkDestinationIndexInputs(input).failures.map((f) => `${f.property}: ${f.reason}`);
}

describe("check accepts and normalizes", () => {
  it("fills in the defaults", () => {
    const { inputs, failures } = checkDestinationIndexInputs(ok);
    expect(failures).toEqual([]);
    expect(inputs.loadSettings).toEqual({ "index.number_of_replicas": "0", "index.refresh_interval": "-1" });
    expect(inputs.deletionProtection).toBe(true);
    expect(inputs.adoptExisting).toBe(false);
  });

  it("puts settings in canonical form and aliases in object form", () => {
    const { inputs } = checkDestinationIndexInputs({
      ...ok,
      settings: { number_of_shards: 2, index: { refresh_interval: "5s" } },
      aliases: ["current"],
    });
    expect(inputs.settings).toEqual({ "index.number_of_shards": "2", "index.refresh_interval": "5s" });
    expect(inputs.aliases).toEqual({ current: {} });
  });

  it("passes unknown values (preview) without failures", () => {
    const { failures } = checkDestinationIndexInputs({
      cluster: UNKNOWN,
      index: UNKNOWN,
      copyFrom: { cluster: { url: UNKNOWN, username: "u", password: UNKNOWN }, index: UNKNOWN },
      settings: { number_of_shards: UNKNOWN },
      mappings: { properties: { a: { type: UNKNOWN } } },
      aliases: UNKNOWN,
      loadSettings: UNKNOWN,
      deletionProtection: UNKNOWN,
    });
    expect(failures).toEqual([]);
  });
});

describe("check rejects bad inputs before anything is created, naming the field", () => {
  it.each([
    ["a missing cluster", { index: "logs" }, "cluster: cluster is required"],
    ["a cluster URL without scheme", { cluster: { url: "localhost:9200" }, index: "logs" }, "cluster: cluster.url"],
    [
      "basic auth and an API key",
      { cluster: { url: "http://h:9200", username: "u", password: "p", apiKey: "k" }, index: "logs" },
      "cluster: cluster.apiKey",
    ],
    ["a missing index", { cluster }, "index: index is required"],
    ["an uppercase index name", { ...ok, index: "Logs" }, 'index: index "Logs" has uppercase letters'],
    ["a wildcard index name", { ...ok, index: "logs-*" }, 'contains "*"'],
    ["an index name starting with _", { ...ok, index: "_logs" }, "cannot start with -, _ or +"],
    ["copyFrom without index", { ...ok, copyFrom: { cluster } }, "copyFrom: copyFrom.index is required"],
    [
      "copyFrom with a bad source URL",
      { ...ok, copyFrom: { cluster: { url: "http://src" }, index: "a" } },
      "copyFrom.cluster: copyFrom.cluster.url",
    ],
    ["copyFrom naming several indices", { ...ok, copyFrom: { cluster, index: "logs-*" } }, "names several indices"],
    [
      "copyFrom pointing at the destination itself",
      { ...ok, copyFrom: { cluster, index: "logs" } },
      "points at the destination index itself",
    ],
    [
      "copyFrom with an unknown field",
      { ...ok, copyFrom: { cluster, index: "a", type: "doc" } },
      "copyFrom has unknown field(s) type",
    ],
    [
      "settings that are not an object",
      { ...ok, settings: "number_of_shards=3" },
      "settings: settings must be an object",
    ],
    ["a setting given twice", { ...ok, settings: { number_of_shards: 1, "index.number_of_shards": 2 } }, "given twice"],
    ["a read-only setting", { ...ok, settings: { uuid: "x" } }, 'settings: "index.uuid" is read-only'],
    [
      "a typed mapping",
      { ...ok, mappings: { _doc: { properties: { a: { type: "text" } } } } },
      'wrapped in a mapping type ("_doc")',
    ],
    [
      "a field that is not an object",
      { ...ok, mappings: { properties: { a: "text" } } },
      'mappings field "a" must be an object',
    ],
    [
      "a field type that is not a string",
      { ...ok, mappings: { properties: { a: { type: 5 } } } },
      'mappings field "a" has a type that is not a string',
    ],
    ["aliases of the wrong shape", { ...ok, aliases: "current" }, "aliases must be a list of names or an object"],
    [
      "an alias option that does not exist",
      { ...ok, aliases: { current: { writeIndex: true } } },
      "unknown option(s) writeIndex",
    ],
    [
      "a static load setting",
      { ...ok, loadSettings: { number_of_shards: 1 } },
      'loadSettings: "index.number_of_shards" is not a dynamic setting',
    ],
    [
      "deletionProtection that is not a boolean",
      { ...ok, deletionProtection: "no" },
      "deletionProtection: deletionProtection must be true or false",
    ],
    ["adoptExisting that is not a boolean", { ...ok, adoptExisting: 1 }, "adoptExisting must be true or false"],
    ["an unknown field", { ...ok, shards: 3 }, "unknown field(s) shards"],
  ])("%s", (_name, input, message) => {
    expect(failuresOf(input as Record<string, unknown>).join("\n")).toContain(message);
  });

  it("never echoes the password in a failure", () => {
    const text = failuresOf({
      cluster: { url: "localhost:9200", username: "u", password: "s3cret-pw" },
      index: "Bad*",
    }).join("\n");
    expect(text).not.toContain("s3cret-pw");
  });
});

describe("planDiff", () => {
  const olds: DestinationIndexOutputs = {
    cluster,
    index: "logs",
    loadSettings: { "index.number_of_replicas": "0", "index.refresh_interval": "-1" },
    deletionProtection: false,
    adoptExisting: false,
    aliases: {},
    uuid: "u1",
    settings: { "index.number_of_shards": "1", "index.number_of_replicas": "1" },
    mappings: { properties: { title: { type: "text" } } },
    finalSettings: { "index.number_of_replicas": "1", "index.refresh_interval": "1s" },
    engineSettings: {},
    destInfo: { flavor: "opensearch", version: "2.19.1", major: 2, minor: 19 },
    adopted: false,
  };
  const news = checkDestinationIndexInputs({
    cluster,
    index: "logs",
    settings: { number_of_shards: 1, number_of_replicas: 1 },
    mappings: { properties: { title: { type: "text" } } },
    deletionProtection: false,
  }).inputs;

  it.each([
    ["nothing changed", {}, false, [], 0],
    [
      "a shard count change replaces",
      { settings: { "index.number_of_shards": "3", "index.number_of_replicas": "1" } },
      true,
      ["settings"],
      0,
    ],
    [
      "a replicas change updates",
      { settings: { "index.number_of_shards": "1", "index.number_of_replicas": "2" } },
      true,
      [],
      1,
    ],
    [
      "an added field updates",
      { mappings: { properties: { title: { type: "text" }, n: { type: "long" } } } },
      true,
      [],
      1,
    ],
    [
      "a field type change replaces",
      { mappings: { properties: { title: { type: "keyword" } } } },
      true,
      ["mappings"],
      0,
    ],
    ["a new index name replaces", { index: "logs2" }, true, ["index"], 0],
    [
      "another destination URL replaces",
      { cluster: { ...cluster, url: "http://127.0.0.1:9202" } },
      true,
      ["cluster"],
      0,
    ],
    ["a new password updates", { cluster: { ...cluster, password: "other" } }, true, [], 1],
    ["an alias updates", { aliases: { current: {} } }, true, [], 1],
    ["turning protection on updates", { deletionProtection: true }, true, [], 1],
  ])("%s", (_name, change, changes, replaces, updates) => {
    const plan = planDiff(olds, { ...news, ...change } as any, undefined);
    expect(plan.changes).toBe(changes);
    expect(plan.replaces).toEqual(replaces);
    expect(plan.updateReasons).toHaveLength(updates as number);
  });

  it("gives the replacement reason with the setting and both values", () => {
    const plan = planDiff(
      olds,
      { ...news, settings: { "index.number_of_shards": "3", "index.number_of_replicas": "1" } },
      undefined,
    );
    expect(plan.replaceReasons).toEqual([
      'index.number_of_shards changes from "1" to "3" (static: set only when the index is created)',
    ]);
  });

  it("does not crash on unknown inputs and leaves the decision for later", () => {
    const plan = planDiff(
      olds,
      { ...news, index: UNKNOWN, settings: { "index.number_of_shards": UNKNOWN } } as any,
      "unknown",
    );
    expect(plan.changes).toBe(true);
    expect(plan.replaces).toEqual([]);
    expect(plan.undecided).toEqual(["index", "settings/mappings"]);
  });

  it("compares with the copied snapshot when copyFrom stays", () => {
    const copied = {
      settings: { "index.number_of_shards": "1", "index.number_of_replicas": "1" },
      mappings: { properties: { title: { type: "text" } } },
    };
    const plan = planDiff(olds, { ...news, settings: undefined, mappings: undefined }, copied);
    expect(plan.changes).toBe(false);
  });
});

describe("finalSettingsOf", () => {
  it.each([
    [
      "declared values",
      { "index.number_of_replicas": "2", "index.refresh_interval": "30s" },
      { "index.number_of_replicas": "2", "index.refresh_interval": "30s" },
    ],
    [
      "engine defaults when nothing was declared",
      {},
      { "index.number_of_replicas": "1", "index.refresh_interval": "1s" },
    ],
  ])("restores %s", (_name, settings, expected) => {
    expect(finalSettingsOf(settings, { "index.number_of_replicas": "0", "index.refresh_interval": "-1" })).toEqual(
      expected,
    );
  });

  it("holds a copied auto_expand_replicas back during the load and restores it after", () => {
    const settings = { "index.auto_expand_replicas": "0-1", "index.number_of_shards": "2" };
    const load = { "index.number_of_replicas": "0", "index.refresh_interval": "-1" };
    expect(createSettings(settings, load)).toMatchObject({
      "index.auto_expand_replicas": "false",
      "index.number_of_replicas": "0",
    });
    expect(finalSettingsOf(settings, load)).toEqual({
      "index.auto_expand_replicas": "0-1",
      "index.number_of_replicas": "1",
      "index.refresh_interval": "1s",
    });
    // Nothing to hold back when the source does not auto-expand, or the load leaves replicas alone.
    expect(createSettings({ "index.auto_expand_replicas": "false" }, load)["index.auto_expand_replicas"]).toBe("false");
    expect(createSettings(settings, { "index.refresh_interval": "-1" })["index.auto_expand_replicas"]).toBe("0-1");
  });

  it("resets a load setting without a known default (null)", () => {
    expect(finalSettingsOf({}, { "index.translog.flush_threshold_size": "1gb" })).toEqual({
      "index.translog.flush_threshold_size": null,
    });
  });
});

describe("aliasActions", () => {
  it("adds new, removes dropped and re-adds changed aliases", () => {
    expect(
      aliasActions(
        "logs",
        { old: {}, keep: {}, moved: { routing: "1" } },
        { keep: {}, moved: { routing: "2" }, fresh: { is_write_index: true } },
      ),
    ).toEqual([
      { remove: { index: "logs", alias: "old" } },
      { add: { index: "logs", alias: "moved", routing: "2" } },
      { add: { index: "logs", alias: "fresh", is_write_index: true } },
    ]);
  });
});
