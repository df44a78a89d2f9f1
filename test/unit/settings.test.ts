import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../provider/connection/types";
import {
  SettingsShapeError,
  classifySettingChange,
  normalizeSettings,
  settingKind,
  settingsFromSource,
} from "../../provider/settings";

const ES6: ClusterInfo = { flavor: "elasticsearch", version: "6.8.23", major: 6, minor: 8 };
const ES7: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };
const ES8: ClusterInfo = { flavor: "elasticsearch", version: "8.15.0", major: 8, minor: 15 };
const OS2: ClusterInfo = { flavor: "opensearch", version: "2.19.1", major: 2, minor: 19 };

describe("settingKind", () => {
  it.each([
    ["index.number_of_shards", "static"],
    ["index.codec", "static"],
    ["index.routing_partition_size", "static"],
    ["index.sort.field", "static"],
    ["index.analysis.analyzer.folding.tokenizer", "static"],
    ["index.number_of_replicas", "dynamic"],
    ["index.refresh_interval", "dynamic"],
    ["index.max_result_window", "dynamic"],
    ["index.blocks.write", "dynamic"],
    ["index.routing.allocation.include._tier_preference", "dynamic"],
    ["index.uuid", "read-only"],
    ["index.creation_date", "read-only"],
    ["index.provided_name", "read-only"],
    ["index.version.created", "read-only"],
    ["index.version.upgraded", "read-only"],
    ["index.routing.allocation.initial_recovery._id", "read-only"],
    ["index.resize.source.name", "read-only"],
    ["index.some_plugin_setting", "unknown"],
  ])("%s is %s", (key, kind) => {
    expect(settingKind(key)).toBe(kind);
  });
});

describe("normalizeSettings", () => {
  it.each([
    ["short keys get the index. prefix", { number_of_shards: 3 }, { "index.number_of_shards": "3" }],
    [
      "nested index object",
      { index: { number_of_shards: "3", refresh_interval: "5s" } },
      { "index.number_of_shards": "3", "index.refresh_interval": "5s" },
    ],
    ["flat dotted keys", { "index.number_of_replicas": 0 }, { "index.number_of_replicas": "0" }],
    ["booleans become strings", { "index.blocks.write": true }, { "index.blocks.write": "true" }],
    ["null resets to default", { refresh_interval: null }, { "index.refresh_interval": null }],
    [
      "analysis is flattened with lists kept",
      { analysis: { analyzer: { folding: { tokenizer: "standard", filter: ["lowercase", "asciifolding"] } } } },
      {
        "index.analysis.analyzer.folding.filter": ["lowercase", "asciifolding"],
        "index.analysis.analyzer.folding.tokenizer": "standard",
      },
    ],
    ["nothing", undefined, {}],
  ])("%s", (_name, input, expected) => {
    expect(normalizeSettings(input as Record<string, unknown> | undefined)).toEqual(expected);
  });

  it.each([
    [
      "a setting given twice",
      { number_of_shards: 1, "index.number_of_shards": 2 },
      'setting "index.number_of_shards" is given twice',
    ],
    ["a list of objects", { sort: { field: [{ a: 1 }] } }, 'setting "index.sort.field[0]" has a value of type object'],
  ])("rejects %s, naming the setting", (_name, input, message) => {
    expect(() => normalizeSettings(input)).toThrow(SettingsShapeError);
    expect(() => normalizeSettings(input)).toThrow(message);
  });
});

describe("settingsFromSource", () => {
  // What GET /logs/_settings answers on an ES 7.10 node for an index created with shards, replicas and an analyzer.
  const es7Source = {
    index: {
      number_of_shards: "3",
      number_of_replicas: "1",
      refresh_interval: "30s",
      max_result_window: "50000",
      uuid: "qCn7bqB5Tj6mD2m0m2kF9w",
      creation_date: "1700000000000",
      provided_name: "logs",
      version: { created: "7100299" },
      routing: { allocation: { include: { _tier_preference: "data_content" }, initial_recovery: { _id: "n1" } } },
      resize: { source: { name: "big", uuid: "u" } },
      blocks: { write: "true" },
      lifecycle: { name: "logs-policy" },
      analysis: { analyzer: { folding: { tokenizer: "standard", filter: ["lowercase", "asciifolding"] } } },
    },
  };

  it("keeps shards, analysis and user settings and strips read-only bookkeeping", () => {
    const { settings } = settingsFromSource(es7Source, ES7, OS2);
    expect(settings).toEqual({
      "index.analysis.analyzer.folding.filter": ["lowercase", "asciifolding"],
      "index.analysis.analyzer.folding.tokenizer": "standard",
      "index.max_result_window": "50000",
      "index.number_of_replicas": "1",
      "index.number_of_shards": "3",
      "index.refresh_interval": "30s",
    });
  });

  it.each([
    ["index.blocks.write", "would stop the copy"],
    ["index.routing.allocation.include._tier_preference", "allocation filters"],
    ["index.lifecycle.name", "lifecycle policy may not exist"],
  ])("reports %s as not copied, saying why", (key, why) => {
    const { dropped } = settingsFromSource(es7Source, ES7, ES7);
    expect(dropped.find((d) => d.key === key)?.reason).toContain(why);
  });

  it("never reports read-only settings as dropped (they are never copied)", () => {
    const { dropped } = settingsFromSource(es7Source, ES7, ES7);
    expect(dropped.map((d) => d.key)).not.toContain("index.uuid");
  });

  it.each([
    [
      "OpenSearch-only setting into Elasticsearch",
      { index: { number_of_shards: "1", replication: { type: "DOCUMENT" } } },
      OS2,
      ES7,
      "index.replication.type",
    ],
    [
      "soft deletes off into OpenSearch 2",
      { index: { number_of_shards: "1", soft_deletes: { enabled: "false" } } },
      ES7,
      OS2,
      "index.soft_deletes.enabled",
    ],
    [
      "soft deletes off into Elasticsearch 8",
      { index: { number_of_shards: "1", soft_deletes: { enabled: "false" } } },
      ES7,
      ES8,
      "index.soft_deletes.enabled",
    ],
    [
      "mapping.single_type from 6.x",
      { index: { number_of_shards: "1", mapping: { single_type: "true" } } },
      ES6,
      ES7,
      "index.mapping.single_type",
    ],
  ])("drops %s", (_name, source, from, to, key) => {
    const { settings, dropped } = settingsFromSource(source, from, to);
    expect(settings).not.toHaveProperty([key]);
    expect(dropped.map((d) => d.key)).toContain(key);
  });

  it("keeps soft deletes off between Elasticsearch 7 clusters", () => {
    const { settings } = settingsFromSource({ index: { soft_deletes: { enabled: "false" } } }, ES7, ES7);
    expect(settings["index.soft_deletes.enabled"]).toBe("false");
  });

  it("removes the 6.x `standard` token filter from analyzers for 7+ destinations", () => {
    const source = {
      index: { analysis: { analyzer: { a: { tokenizer: "standard", filter: ["standard", "lowercase"] } } } },
    };
    expect(settingsFromSource(source, ES6, OS2).settings["index.analysis.analyzer.a.filter"]).toEqual(["lowercase"]);
    expect(settingsFromSource(source, ES6, ES6).settings["index.analysis.analyzer.a.filter"]).toEqual([
      "standard",
      "lowercase",
    ]);
  });
});

describe("classifySettingChange", () => {
  it.each([
    [
      "a shard count change replaces",
      { "index.number_of_shards": "1" },
      { "index.number_of_shards": "3" },
      [],
      ["index.number_of_shards"],
    ],
    ["a codec change replaces", {}, { "index.codec": "best_compression" }, [], ["index.codec"]],
    [
      "a new analyzer replaces",
      {},
      { "index.analysis.analyzer.a.tokenizer": "standard" },
      [],
      ["index.analysis.analyzer.a.tokenizer"],
    ],
    [
      "a replicas change updates",
      { "index.number_of_replicas": "1" },
      { "index.number_of_replicas": "2" },
      ["index.number_of_replicas"],
      [],
    ],
    [
      "a removed dynamic setting updates (reset)",
      { "index.refresh_interval": "30s" },
      {},
      ["index.refresh_interval"],
      [],
    ],
    ["an unknown setting replaces", {}, { "index.custom_plugin.knob": "x" }, [], ["index.custom_plugin.knob"]],
    ["read-only settings are ignored", { "index.uuid": "a" }, { "index.uuid": "b" }, [], []],
    ["a one-element list equals its value", { "index.sort.field": ["ts"] }, { "index.sort.field": "ts" }, [], []],
    [
      "a reordered sort replaces",
      { "index.sort.field": ["a", "b"] },
      { "index.sort.field": ["b", "a"] },
      [],
      ["index.sort.field"],
    ],
    [
      "mixed changes split",
      { "index.number_of_shards": "1", "index.max_result_window": "10000" },
      { "index.number_of_shards": "2", "index.max_result_window": "20000" },
      ["index.max_result_window"],
      ["index.number_of_shards"],
    ],
  ])("%s", (_name, old, next, update, replace) => {
    const c = classifySettingChange(old, next);
    expect(c.update.map((x) => x.key)).toEqual(update);
    expect(c.replace.map((x) => x.key)).toEqual(replace);
  });

  it("says what changes and why in the reason", () => {
    const c = classifySettingChange({ "index.number_of_shards": "1" }, { "index.number_of_shards": "3" });
    expect(c.replace[0].reason).toBe(
      'index.number_of_shards changes from "1" to "3" (static: set only when the index is created)',
    );
  });
});
