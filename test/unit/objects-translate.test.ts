// Translating a source object for a destination: what changes with the versions and engines, and what cannot be
// translated (named, never guessed).
import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../provider/connection/types";
import { processorTypes, translateObject, writeRequests, deleteRequests } from "../../provider/objects";
import type { ClusterObject } from "../../provider/objects";

const ES6: ClusterInfo = { flavor: "elasticsearch", version: "6.8.23", major: 6, minor: 8 };
const ES77: ClusterInfo = { flavor: "elasticsearch", version: "7.7.1", major: 7, minor: 7 };
const ES78: ClusterInfo = { flavor: "elasticsearch", version: "7.8.1", major: 7, minor: 8 };
const ES7: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };
const OS2: ClusterInfo = { flavor: "opensearch", version: "2.19.6", major: 2, minor: 19 };

const legacy6: ClusterObject = {
  kind: "legacyTemplate",
  name: "events",
  typeName: "event",
  body: { index_patterns: ["events-*"], mappings: { _all: { enabled: false }, properties: { msg: { type: "text", include_in_all: false } } } },
};

describe("templates across versions", () => {
  it("strips what 7.0 removed from a 6.x template for a typeless destination, naming each", () => {
    const t = translateObject(legacy6, { sourceInfo: ES6, destInfo: OS2 });
    expect(t.cannot).toEqual([]);
    expect(t.body.mappings).toEqual({ properties: { msg: { type: "text" } } });
    expect(t.dropped).toEqual([expect.stringMatching(/^mappings\._all: /), expect.stringMatching(/^mappings\.properties\.msg\.include_in_all: /)]);
  });

  it("keeps a 6.x template as it is for a 6.x destination, its type written back", () => {
    const t = translateObject(legacy6, { sourceInfo: ES6, destInfo: ES6 });
    expect(t.body).toEqual(legacy6.body);
    expect(writeRequests("legacyTemplate", "events", t.body, ES6, { typeName: "event" })[0].body).toEqual({ index_patterns: ["events-*"], mappings: { event: legacy6.body.mappings } });
    expect(writeRequests("legacyTemplate", "events", t.body, OS2)[0].body).toEqual(t.body);
  });

  it.each<[string, ClusterInfo, boolean]>([
    ["Elasticsearch 6.8", ES6, false],
    ["Elasticsearch 7.7", ES77, false],
    ["Elasticsearch 7.8", ES78, true],
    ["OpenSearch 2.19", OS2, true],
  ])("a composable template goes to %s: %s", (_what, dest, ok) => {
    const t = translateObject({ kind: "indexTemplate", name: "app", body: { index_patterns: ["app-*"] } }, { sourceInfo: ES7, destInfo: dest });
    expect(t.cannot.length === 0).toBe(ok);
    if (!ok) expect(t.cannot[0]).toMatch(/has no composable index templates \(_index_template came with Elasticsearch 7\.8\).*LegacyIndexTemplate/);
  });

  it("cannot copy a data-stream template to a release without data streams", () => {
    const t = translateObject({ kind: "indexTemplate", name: "ds", body: { index_patterns: ["ds-*"], data_stream: {} } }, { sourceInfo: ES7, destInfo: ES78 });
    expect(t.cannot).toEqual([expect.stringContaining("creates data streams")]);
  });

  it("leaves ILM and allocation settings out for OpenSearch, saying why", () => {
    const body = { index_patterns: ["a"], template: { settings: { "index.lifecycle.name": "hot", "index.routing.allocation.include._tier_preference": "data_hot", "index.number_of_shards": "1" } } };
    const t = translateObject({ kind: "indexTemplate", name: "a", body }, { sourceInfo: ES7, destInfo: OS2 });
    expect(t.body.template).toEqual({ settings: { "index.number_of_shards": "1" } });
    expect(t.dropped).toEqual([expect.stringMatching(/^template\.settings\.index\.lifecycle\.name: OpenSearch has no index lifecycle management/), expect.stringMatching(/^template\.settings\.index\.routing\.allocation\.include\._tier_preference: allocation filters/)]);
  });

  it("keeps ILM settings between Elasticsearch clusters", () => {
    const body = { index_patterns: ["a"], settings: { "index.lifecycle.name": "hot" } };
    expect(translateObject({ kind: "legacyTemplate", name: "a", body }, { sourceInfo: ES7, destInfo: ES7 }).body).toEqual(body);
  });

  it("passes on what the source could not read (several mapping types)", () => {
    const t = translateObject({ kind: "legacyTemplate", name: "m", body: { index_patterns: ["m"] }, problems: ["its mappings have 2 mapping types (a, b)"] }, { sourceInfo: ES6, destInfo: OS2 });
    expect(t.cannot).toEqual(["its mappings have 2 mapping types (a, b)"]);
  });
});

describe("pipelines and the destination's processors", () => {
  const pipeline: ClusterObject = {
    kind: "pipeline",
    name: "geo",
    body: { processors: [{ set: { field: "a", value: 1 } }, { foreach: { field: "ips", processor: { geoip: { field: "_ingest._value" } } } }, { rename: { field: "b", target_field: "c", on_failure: [{ fail: { message: "x" } }] } }], on_failure: [{ remove: { field: "d" } }] },
  };

  it("collects every processor type, nested ones included", () => {
    expect(processorTypes(pipeline.body)).toEqual(["fail", "foreach", "geoip", "remove", "rename", "set"]);
  });

  it("names the processors the destination's nodes lack", () => {
    const t = translateObject(pipeline, { sourceInfo: ES7, destInfo: OS2, processors: ["fail", "foreach", "remove", "rename", "set"] });
    expect(t.cannot).toEqual([expect.stringContaining('have no "geoip" processor')]);
  });

  it("copies the pipeline when every processor is there, and when the processors are not known", () => {
    expect(translateObject(pipeline, { sourceInfo: ES7, destInfo: OS2, processors: ["fail", "foreach", "geoip", "remove", "rename", "set"] }).cannot).toEqual([]);
    expect(translateObject(pipeline, { sourceInfo: ES7, destInfo: OS2 }).cannot).toEqual([]);
  });
});

describe("aliases", () => {
  const alias: ClusterObject = { kind: "alias", name: "logs", body: { "logs-1": { is_write_index: true, is_hidden: false }, "logs-0": { filter: { term: { a: 1 } } } } };

  it("points at the indices under their destination names", () => {
    expect(translateObject(alias, { sourceInfo: ES7, destInfo: OS2, indexNames: { "logs-1": "logs-1-v2" } }).body).toEqual({ "logs-1-v2": { is_write_index: true, is_hidden: false }, "logs-0": { filter: { term: { a: 1 } } } });
  });

  it("leaves is_hidden out for a destination before 7.7", () => {
    const t = translateObject(alias, { sourceInfo: ES7, destInfo: ES6 });
    expect(t.body["logs-1"]).toEqual({ is_write_index: true });
    expect(t.dropped).toEqual([expect.stringContaining("logs-1.is_hidden")]);
  });

  it("moves an alias in one atomic request, taking it off indices it no longer names", () => {
    const [req] = writeRequests("alias", "logs", { "logs-2": { is_write_index: true } }, OS2, { previous: { "logs-1": { is_write_index: true } } });
    expect(req).toEqual({ method: "POST", path: "/_aliases", body: { actions: [{ remove: { index: "logs-1", alias: "logs" } }, { add: { index: "logs-2", alias: "logs", is_write_index: true } }] } });
  });

  it("removes the alias only, never an index", () => {
    const reqs = deleteRequests("alias", "logs", ["logs-1", "logs-2"]);
    expect(JSON.stringify(reqs)).not.toContain("remove_index");
    expect(reqs).toEqual([{ method: "POST", path: "/_aliases", body: { actions: [{ remove: { index: "logs-1", alias: "logs" } }, { remove: { index: "logs-2", alias: "logs" } }] } }]);
    expect(deleteRequests("alias", "logs", [])).toEqual([]);
  });

  it("writes a stored script under `script` and deletes each other kind by its path", () => {
    expect(writeRequests("script", "s", { lang: "painless", source: "1" }, OS2)).toEqual([{ method: "PUT", path: "/_scripts/s", body: { script: { lang: "painless", source: "1" } } }]);
    expect(deleteRequests("pipeline", "p")).toEqual([{ method: "DELETE", path: "/_ingest/pipeline/p", ignore: [404] }]);
  });
});

describe("stored scripts and the destination's languages", () => {
  const script: ClusterObject = { kind: "script", name: "score", body: { lang: "painless", source: "doc['a'].value * 2" } };

  it("cannot copy a script whose language the destination lacks", () => {
    expect(translateObject(script, { sourceInfo: ES7, destInfo: OS2, scriptLanguages: ["expression"] }).cannot).toEqual([expect.stringContaining('no "painless" script language (it has expression)')]);
  });

  it("copies it when the language is there, or when the languages are not known (no _script_language before 7.6)", () => {
    expect(translateObject(script, { sourceInfo: ES7, destInfo: OS2, scriptLanguages: ["expression", "painless"] }).cannot).toEqual([]);
    expect(translateObject(script, { sourceInfo: ES7, destInfo: ES6 }).cannot).toEqual([]);
  });
});
