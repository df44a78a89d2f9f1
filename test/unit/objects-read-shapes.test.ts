// How each engine answers the GET of each object kind, read into one canonical body: the same definition read from
// Elasticsearch 6.8, 7.10 or OpenSearch, or declared by a user, compares equal.
import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../provider/connection/types";
import { canonicalBody, listAnswerEntries, oneAnswerEntry, systemReason } from "../../provider/objects";
import type { ObjectKind } from "../../provider/objects";

const ES5: ClusterInfo = { flavor: "elasticsearch", version: "5.6.16", major: 5, minor: 6 };
const ES6: ClusterInfo = { flavor: "elasticsearch", version: "6.8.23", major: 6, minor: 8 };
const ES7: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };
const OS2: ClusterInfo = { flavor: "opensearch", version: "2.19.6", major: 2, minor: 19 };

const TYPELESS_LEGACY = {
  index_patterns: ["logs-*"],
  settings: { "index.number_of_shards": "2" },
  mappings: { properties: { tag: { type: "keyword" } } },
  aliases: { logs: {} },
};

describe("legacy templates read the same from every release", () => {
  it.each<[string, ClusterInfo | undefined, Record<string, unknown>]>([
    [
      "Elasticsearch 7.10 (typeless, server defaults)",
      ES7,
      {
        order: 0,
        index_patterns: ["logs-*"],
        settings: { index: { number_of_shards: "2" } },
        mappings: { properties: { tag: { type: "keyword" } } },
        aliases: { logs: {} },
      },
    ],
    [
      "OpenSearch 2.19",
      OS2,
      {
        order: 0,
        index_patterns: ["logs-*"],
        settings: { index: { number_of_shards: "2" } },
        mappings: { properties: { tag: { type: "keyword" } } },
        aliases: { logs: {} },
      },
    ],
    [
      "Elasticsearch 6.8 (mapping under its type)",
      ES6,
      {
        order: 0,
        index_patterns: ["logs-*"],
        settings: { index: { number_of_shards: "2" } },
        mappings: { doc: { properties: { tag: { type: "keyword" } } } },
        aliases: { logs: {} },
      },
    ],
    [
      "Elasticsearch 5.6 (`template` instead of index_patterns)",
      ES5,
      {
        order: 0,
        template: "logs-*",
        settings: { index: { number_of_shards: "2" } },
        mappings: { doc: { properties: { tag: { type: "keyword" } } } },
        aliases: { logs: {} },
      },
    ],
    [
      "a user's declaration (nested settings, numbers)",
      undefined,
      {
        index_patterns: ["logs-*"],
        settings: { number_of_shards: 2 },
        mappings: { properties: { tag: { type: "keyword" } } },
        aliases: { logs: {} },
      },
    ],
  ])("%s", (_what, info, raw) => {
    const c = canonicalBody("legacyTemplate", raw, info);
    expect(c.problems).toEqual([]);
    expect(c.body).toEqual(TYPELESS_LEGACY);
  });

  it("keeps the 6.x mapping type's name apart, for a 6.x destination", () => {
    expect(
      canonicalBody("legacyTemplate", { index_patterns: ["a-*"], mappings: { event: { properties: {} } } }, ES6)
        .typeName,
    ).toBe("event");
  });

  it("names a template with several mapping types as a problem", () => {
    const c = canonicalBody(
      "legacyTemplate",
      { template: "a-*", mappings: { user: { properties: {} }, tweet: { properties: {} } } },
      ES5,
    );
    expect(c.problems).toEqual([expect.stringContaining("2 mapping types (user, tweet)")]);
  });

  it("keeps an order other than 0 and drops the default", () => {
    expect(canonicalBody("legacyTemplate", { index_patterns: ["a"], order: 5 }, ES7).body).toEqual({
      index_patterns: ["a"],
      order: 5,
    });
    expect(
      canonicalBody("legacyTemplate", { index_patterns: ["a"], order: 0, settings: {}, mappings: {}, aliases: {} }, ES7)
        .body,
    ).toEqual({ index_patterns: ["a"] });
  });
});

describe("composable and component templates", () => {
  it("reads an index template without the empty parts a server answers", () => {
    const raw = {
      index_patterns: ["app-*"],
      composed_of: [],
      template: { settings: { index: { number_of_replicas: "0" } }, mappings: {}, aliases: {} },
      priority: 10,
    };
    expect(canonicalBody("indexTemplate", raw, ES7).body).toEqual({
      index_patterns: ["app-*"],
      priority: 10,
      template: { settings: { "index.number_of_replicas": "0" } },
    });
  });

  it("reads a data stream template the same from OpenSearch (timestamp field filled in) and Elasticsearch (hidden false), a custom field kept", () => {
    const body = (data_stream: Record<string, unknown>) =>
      canonicalBody("indexTemplate", { index_patterns: ["events-*"], data_stream }).body;
    expect(body({ timestamp_field: { name: "@timestamp" } })).toEqual(body({}));
    expect(body({ hidden: false })).toEqual(body({}));
    expect(body({ timestamp_field: { name: "ts" } }).data_stream).toEqual({ timestamp_field: { name: "ts" } });
  });

  it("keeps a component template's template even when empty (the engines require it)", () => {
    expect(canonicalBody("componentTemplate", { template: {} }, OS2).body).toEqual({ template: {} });
  });

  it("reads alias routing in either spelling the same", () => {
    const declared = canonicalBody("indexTemplate", {
      index_patterns: ["a"],
      template: { aliases: { r: { routing: "1" } } },
    });
    const served = canonicalBody(
      "indexTemplate",
      { index_patterns: ["a"], template: { aliases: { r: { index_routing: "1", search_routing: "1" } } } },
      ES7,
    );
    expect(served.body).toEqual(declared.body);
  });
});

describe("pipelines, scripts and aliases", () => {
  it("keeps a pipeline's processors in their order, key order aside", () => {
    const a = canonicalBody("pipeline", {
      processors: [{ set: { value: 1, field: "a" } }, { lowercase: { field: "b" } }],
      description: "d",
    });
    expect(JSON.stringify(a.body)).toBe(
      JSON.stringify({
        description: "d",
        processors: [{ set: { field: "a", value: 1 } }, { lowercase: { field: "b" } }],
      }),
    );
  });

  it.each<[string, unknown, Record<string, unknown>]>([
    [
      "GET _scripts answer",
      { _id: "s", found: true, script: { lang: "painless", source: "doc['a'].value" } },
      { lang: "painless", source: "doc['a'].value" },
    ],
    [
      "cluster-state entry",
      { lang: "painless", source: "doc['a'].value", options: {} },
      { lang: "painless", source: "doc['a'].value" },
    ],
    [
      "a mustache object source, stored as text with the server's content type",
      {
        lang: "mustache",
        source: { query: { match_all: {} } },
        options: { content_type: "application/json; charset=UTF-8" },
      },
      { lang: "mustache", source: '{"query":{"match_all":{}}}' },
    ],
  ])("reads a stored script from a %s", (_what, raw, body) => {
    expect(canonicalBody("script", raw).body).toEqual(body);
  });

  it("groups GET _alias's per-index answer by alias name", () => {
    const answer = {
      "logs-1": {
        aliases: {
          logs: { is_write_index: false },
          "logs-filtered": { filter: { term: { a: 1 } }, index_routing: "2", search_routing: "2" },
        },
      },
      "logs-2": { aliases: { logs: { is_write_index: true } } },
      other: { aliases: {} },
    };
    const entries = listAnswerEntries("alias", answer);
    expect(entries.map(([n]) => n)).toEqual(["logs", "logs-filtered"]);
    expect(canonicalBody("alias", entries[1][1]).body).toEqual({
      "logs-1": { filter: { term: { a: 1 } }, routing: "2" },
    });
    expect(canonicalBody("alias", entries[0][1]).body).toEqual({
      "logs-1": { is_write_index: false },
      "logs-2": { is_write_index: true },
    });
  });
});

describe("list and single answers of each kind", () => {
  it.each<[ObjectKind, unknown, string[]]>([
    ["indexTemplate", { index_templates: [{ name: "a", index_template: { index_patterns: ["a"] } }] }, ["a"]],
    ["componentTemplate", { component_templates: [{ name: "c", component_template: { template: {} } }] }, ["c"]],
    ["legacyTemplate", { t1: { index_patterns: ["x"] }, t2: { template: "y" } }, ["t1", "t2"]],
    ["pipeline", { p: { processors: [] } }, ["p"]],
    ["pipeline", undefined, []],
    ["script", { metadata: { stored_scripts: { s: { lang: "painless", source: "1" } } } }, ["s"]],
    ["script", {}, []],
  ])("lists %s objects", (kind, answer, names) => {
    expect(listAnswerEntries(kind, answer).map(([n]) => n)).toEqual(names);
  });

  it("reads a missing stored script as absent", () => {
    expect(oneAnswerEntry("script", "s", { _id: "s", found: false })).toBeUndefined();
    expect(oneAnswerEntry("legacyTemplate", "t", {})).toBeUndefined();
  });
});

describe("which objects are the engine's own", () => {
  it.each<[ObjectKind, string, Record<string, unknown>, boolean]>([
    ["legacyTemplate", ".monitoring-es", {}, true],
    ["indexTemplate", "logs", { _meta: { managed: true } }, true],
    ["indexTemplate", "logs-app", { _meta: { owner: "team" } }, false],
    ["pipeline", "xpack_monitoring_7", {}, true],
    ["pipeline", "stamp", {}, false],
    ["legacyTemplate", "ilm-history", {}, true],
    ["alias", ".kibana", {}, true],
    ["alias", "logs", {}, false],
  ])("%s %s is the engine's: %s", (kind, name, body, system) => {
    expect(systemReason(kind, name, body) !== undefined).toBe(system);
  });
});
