// Cluster objects against real engines: an Elasticsearch 7.10 source and an OpenSearch 2.19 destination (templates
// of the three kinds, aliases with filter, routing and a write index, a pipeline named by an index), and an
// Elasticsearch 6.8 legacy template with a mapping type copied to the same destination. The provider's methods are
// called as the Pulumi dynamic-provider host calls them (check -> create, check -> diff -> update, read, delete).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as pulumi from "@pulumi/pulumi";
import {
  describeObjectPlan,
  objectProvider,
  planObjects,
  readClusterObjects,
  readIngestProcessors,
  type ObjectKind,
  type ObjectOutputs,
} from "../../provider/objects";
import { startEngine } from "../world/engines";
import { countDocs, esJson, seedDocuments } from "../world/fixtures";
import { seedRealisticSource } from "../world/realistic-source";

type Engine = Awaited<ReturnType<typeof startEngine>>;
let es7: Engine;
let es6: Engine;
let os: Engine;
const logs: string[] = [];
const consoleBefore = { log: console.log, warn: console.warn };

const provider = (kind: ObjectKind): Required<pulumi.dynamic.ResourceProvider> =>
  objectProvider(kind) as Required<pulumi.dynamic.ResourceProvider>;

async function checked(kind: ObjectKind, news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  const r = await provider(kind).check(olds, news);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs;
}

/** check -> create, as `pulumi up` does for a new resource. */
async function created(kind: ObjectKind, news: Record<string, unknown>): Promise<ObjectOutputs> {
  const { outs } = await provider(kind).create(await checked(kind, news));
  return outs;
}

/** check -> diff against the recorded outputs: what a second preview plans. */
async function diffed(kind: ObjectKind, outs: ObjectOutputs, news: Record<string, unknown>) {
  return provider(kind).diff(outs.name, outs, await checked(kind, news, outs));
}

const get = (url: string, path: string) => esJson(url, "GET", path);

beforeAll(async () => {
  [es7, os, es6] = await Promise.all([
    startEngine({ engine: "elasticsearch", version: "7.10.2" }),
    startEngine({ engine: "opensearch", version: "2.19.x" }),
    startEngine({ engine: "elasticsearch", version: "6.8.x" }),
  ]);
  await esJson(es7.url, "PUT", "/_component_template/base", {
    template: {
      settings: { number_of_shards: 1 },
      mappings: { properties: { tag: { type: "keyword" }, ts: { type: "date" } } },
    },
  });
  await esJson(es7.url, "PUT", "/_index_template/app", {
    index_patterns: ["shop-*"],
    composed_of: ["base"],
    priority: 50,
    template: { aliases: { "app-all": {} } },
    _meta: { owner: "shop" },
  });
  await esJson(es7.url, "PUT", "/_template/old", {
    index_patterns: ["old-*"],
    order: 2,
    settings: { number_of_replicas: 0 },
    mappings: { properties: { msg: { type: "text" } } },
  });
  await esJson(es7.url, "PUT", "/_ingest/pipeline/stamp", {
    description: "tags orders",
    processors: [{ set: { field: "source", value: "shop" } }, { lowercase: { field: "sku", ignore_missing: true } }],
  });
  await esJson(es7.url, "PUT", "/_scripts/double", { script: { lang: "painless", source: "doc['n'].value * 2" } });
  await esJson(es7.url, "PUT", "/_scripts/by-tag", {
    script: { lang: "mustache", source: { query: { term: { tag: "{{tag}}" } } } },
  });
  await esJson(es6.url, "PUT", "/_template/events", {
    index_patterns: ["events-*"],
    mappings: { event: { _all: { enabled: false }, properties: { code: { type: "keyword" } } } },
  });
  // The migrated indices, at both ends (their documents were copied already), and the source's aliases over them.
  for (const url of [es7.url, os.url]) {
    for (const index of ["orders-1", "orders-2"])
      await seedDocuments(url, index, { count: 20, doc: (n) => ({ n, tag: n % 2 === 0 ? "even" : "odd" }) });
  }
  await esJson(es7.url, "POST", "/_aliases", {
    actions: [
      { add: { index: "orders-1", alias: "orders", is_write_index: false } },
      { add: { index: "orders-2", alias: "orders", is_write_index: true } },
      { add: { index: "orders-1", alias: "orders-even", filter: { term: { tag: "even" } }, routing: "1" } },
    ],
  });
  console.log = (...a: unknown[]) => void logs.push(a.join(" "));
  console.warn = (...a: unknown[]) => void logs.push(a.join(" "));
});

afterAll(async () => {
  Object.assign(console, consoleBefore);
  await Promise.all([es7?.stop(), es6?.stop(), os?.stop()]);
});

describe("cluster objects: Elasticsearch 7.10 -> OpenSearch 2.19", () => {
  const outs: Partial<Record<string, ObjectOutputs>> = {};
  const copy = (name: string, extra: Record<string, unknown> = {}) => ({
    destination: { url: os.url },
    name,
    copyFrom: { source: { url: es7.url } },
    ...extra,
  });

  it("creates each kind from the source, component before the composable template made of it", async () => {
    outs.base = await created("componentTemplate", copy("base"));
    outs.app = await created("indexTemplate", copy("app"));
    outs.old = await created("legacyTemplate", copy("old"));
    outs.orders = await created("alias", copy("orders"));
    outs.even = await created("alias", copy("orders-even"));

    expect((await get(os.url, "/_index_template/app")).index_templates[0].index_template).toMatchObject({
      index_patterns: ["shop-*"],
      composed_of: ["base"],
      priority: 50,
      _meta: { owner: "shop" },
    });
    expect((await get(os.url, "/_template/old")).old).toMatchObject({
      order: 2,
      index_patterns: ["old-*"],
      mappings: { properties: { msg: { type: "text" } } },
    });
    const aliases = await get(os.url, "/_alias/orders,orders-even");
    expect(aliases["orders-2"].aliases.orders).toEqual({ is_write_index: true });
    expect(aliases["orders-1"].aliases["orders-even"]).toEqual({
      filter: { term: { tag: "even" } },
      index_routing: "1",
      search_routing: "1",
    });
    expect(outs.app?.sourceInfo?.version).toBe("7.10.2");
    expect(outs.app?.adopted).toBe(false);
  });

  it("makes a new index at the destination from the copied templates", async () => {
    await esJson(os.url, "PUT", "/shop-2025");
    const index = (await get(os.url, "/shop-2025"))["shop-2025"];
    expect(index.mappings.properties.tag).toEqual({ type: "keyword" });
    expect(index.aliases).toEqual({ "app-all": {} });
    expect(index.settings.index.number_of_shards).toBe("1");
  });

  it("plans nothing on a second preview, and nothing after a refresh reads the live objects back", async () => {
    for (const [kind, key, name] of [
      ["componentTemplate", "base", "base"],
      ["indexTemplate", "app", "app"],
      ["legacyTemplate", "old", "old"],
      ["alias", "orders", "orders"],
      ["alias", "even", "orders-even"],
    ] as const) {
      expect((await diffed(kind, outs[key]!, copy(name))).changes, `${kind} ${name}`).toBe(false);
      const refreshed = await provider(kind).read(name, outs[key]!);
      expect(refreshed.id).toBe(name);
      expect(
        (await diffed(kind, refreshed.props as ObjectOutputs, copy(name))).changes,
        `${kind} ${name} after refresh`,
      ).toBe(false);
    }
  });

  it("discovers the source's objects and plans them as the same once they are at the destination", async () => {
    await esJson(es7.url, "PUT", "/_template/.internal", { index_patterns: [".internal-*"] });
    const source = await readClusterObjects({ url: es7.url }, { indices: ["orders-1", "orders-2"] });
    expect(source.objects.map((o) => `${o.kind} ${o.name}`).sort()).toEqual([
      "alias orders",
      "alias orders-even",
      "componentTemplate base",
      "indexTemplate app",
      "legacyTemplate old",
      "pipeline stamp",
      "script by-tag",
      "script double",
    ]);
    expect(source.skipped).toEqual([
      { kind: "legacyTemplate", name: ".internal", reason: expect.stringContaining('starts with "."') },
    ]);
    const dest = await readClusterObjects({ url: os.url });
    const rows = planObjects(source.objects, dest.objects, {
      sourceInfo: source.info,
      destInfo: dest.info,
      processors: await readIngestProcessors({ url: os.url }),
    });
    const actions = Object.fromEntries(rows.map((r) => [`${r.kind} ${r.name}`, r.action]));
    expect(actions).toMatchObject({
      "componentTemplate base": "same",
      "indexTemplate app": "same",
      "legacyTemplate old": "same",
      "alias orders": "same",
      "alias orders-even": "same",
      "pipeline stamp": "create",
      "script double": "create",
    });
    expect(describeObjectPlan(rows)).toMatch(/^Cluster objects \(8\): /);
  });

  it("updates in place when the source's definition changes, and says which keys", async () => {
    await esJson(es7.url, "PUT", "/_index_template/app", {
      index_patterns: ["shop-*"],
      composed_of: ["base"],
      priority: 60,
      template: { aliases: { "app-all": {} } },
      _meta: { owner: "shop" },
    });
    logs.length = 0;
    const d = await diffed("indexTemplate", outs.app!, copy("app"));
    expect(d).toMatchObject({ changes: true });
    expect(d.replaces ?? []).toEqual([]);
    expect(logs.join("\n")).toContain(
      'IndexTemplate "app" will be updated in place: priority change (the source\'s definition changed)',
    );
    const { outs: updated } = await provider("indexTemplate").update(
      "app",
      outs.app!,
      await checked("indexTemplate", copy("app"), outs.app!),
    );
    outs.app = updated as ObjectOutputs;
    expect((await get(os.url, "/_index_template/app")).index_templates[0].index_template.priority).toBe(60);
  });

  it("moves an alias's write index in place when the declared body changes", async () => {
    const declared = {
      destination: { url: os.url },
      name: "orders",
      body: { "orders-1": { is_write_index: true }, "orders-2": { is_write_index: false } },
    };
    const d = await diffed("alias", outs.orders!, declared);
    expect(d.changes).toBe(true);
    const { outs: updated } = await provider("alias").update(
      "orders",
      outs.orders!,
      await checked("alias", declared, outs.orders!),
    );
    outs.orders = updated as ObjectOutputs;
    const live = await get(os.url, "/_alias/orders");
    expect(live["orders-1"].aliases.orders).toEqual({ is_write_index: true });
    expect(live["orders-2"].aliases.orders).toEqual({ is_write_index: false });
  });

  it("copies a pipeline with real processors, and a write through an index's default pipeline is processed at the destination", async () => {
    outs.stamp = await created("pipeline", copy("stamp"));
    expect((await diffed("pipeline", outs.stamp, copy("stamp"))).changes).toBe(false);
    await esJson(os.url, "PUT", "/orders-new", { settings: { "index.default_pipeline": "stamp" } });
    await esJson(os.url, "PUT", "/orders-new/_doc/1?refresh=true", { sku: "AB-1" });
    expect((await get(os.url, "/orders-new/_doc/1"))._source).toEqual({ sku: "ab-1", source: "shop" });
  });

  it("refuses at preview a pipeline whose processor the destination's nodes lack, naming it", async () => {
    const r = await provider("pipeline").check(
      {},
      {
        destination: { url: os.url },
        name: "geo",
        body: { processors: [{ set: { field: "a", value: 1 } }, { geoip: { field: "ip" } }] },
      },
    );
    expect(r.failures).toEqual([
      {
        property: "body",
        reason: expect.stringMatching(
          /^ingest pipeline "geo" cannot be made on destination .*: the destination's ingest nodes have no "geoip" processor/,
        ),
      },
    ]);
  });

  it("copies a painless script and a mustache search template, which then answer at the destination", async () => {
    outs.double = await created("script", copy("double"));
    outs.byTag = await created("script", copy("by-tag"));
    for (const [key, name] of [
      ["double", "double"],
      ["byTag", "by-tag"],
    ])
      expect((await diffed("script", outs[key]!, copy(name))).changes, name).toBe(false);
    expect((await get(os.url, "/_scripts/double")).script).toEqual({ lang: "painless", source: "doc['n'].value * 2" });
    const found = await esJson(os.url, "POST", "/orders-1/_search/template", { id: "by-tag", params: { tag: "even" } });
    expect(found.hits.total.value).toBe(10);
    const scored = await esJson(os.url, "POST", "/orders-1/_search", {
      size: 1,
      sort: [{ n: "desc" }],
      script_fields: { twice: { script: { id: "double" } } },
    });
    expect(scored.hits.hits[0].fields.twice).toEqual([38]);
  });

  it("says which index is missing when an alias would point to one the destination lacks", async () => {
    const inputs = await checked("alias", { destination: { url: os.url }, name: "late", body: { "orders-9": {} } });
    await expect(provider("alias").create(inputs)).rejects.toThrow(
      /IndexAlias "late" cannot point to orders-9: destination .* has no such index\. Create them first/,
    );
  });

  it("refuses at preview an object that exists with another definition, naming it and the way out; adoptExisting takes it over", async () => {
    await esJson(os.url, "PUT", "/_template/theirs", {
      index_patterns: ["theirs-*"],
      settings: { number_of_shards: 3 },
    });
    const declared = {
      destination: { url: os.url },
      name: "theirs",
      body: { index_patterns: ["theirs-*"], settings: { number_of_shards: 1 } },
    };
    const r = await provider("legacyTemplate").check({}, declared);
    expect(r.failures).toEqual([
      {
        property: "name",
        reason: expect.stringMatching(
          /^legacy index template "theirs" already exists on destination http:\/\/127\.0\.0\.1:\d+ with another definition \(it differs in settings\)\. Nothing was changed\. .*set adoptExisting: true; or give this LegacyIndexTemplate another name\.$/,
        ),
      },
    ]);
    await expect(provider("legacyTemplate").create(r.inputs)).rejects.toThrow(
      /already exists .* with another definition/,
    );
    expect((await get(os.url, "/_template/theirs")).theirs.settings.index.number_of_shards).toBe("3");

    const adopted = await created("legacyTemplate", { ...declared, adoptExisting: true });
    expect(adopted.adopted).toBe(true);
    expect((await get(os.url, "/_template/theirs")).theirs.settings.index.number_of_shards).toBe("1");
  });

  it("adopts an object with the same definition silently", async () => {
    await esJson(os.url, "PUT", "/_component_template/same", {
      template: { mappings: { properties: { a: { type: "keyword" } } } },
    });
    const same = await created("componentTemplate", {
      destination: { url: os.url },
      name: "same",
      body: { template: { mappings: { properties: { a: { type: "keyword" } } } } },
    });
    expect(same.adopted).toBe(true);
  });

  it("refuses to delete a pipeline an index names, and deletes it once none does", async () => {
    const pipeline = await created("pipeline", {
      destination: { url: os.url },
      name: "noop",
      body: { description: "names only", processors: [] },
    });
    await esJson(os.url, "PUT", "/orders-2/_settings", { "index.default_pipeline": "noop" });
    await expect(provider("pipeline").delete("noop", pipeline)).rejects.toThrow(
      /IngestPipeline "noop" is not deleted: index orders-2 on destination .* name it in index.default_pipeline or index.final_pipeline/,
    );
    expect(await get(os.url, "/_ingest/pipeline/noop")).toHaveProperty("noop");
    await esJson(os.url, "PUT", "/orders-2/_settings", { "index.default_pipeline": null });
    await provider("pipeline").delete("noop", pipeline);
    await expect(get(os.url, "/_ingest/pipeline/noop")).rejects.toMatchObject({ status: 404 });
  });

  it("deletes an alias and templates without touching an index or a document", async () => {
    await provider("alias").delete("orders", outs.orders!);
    await provider("alias").delete("orders-even", outs.even!);
    await provider("indexTemplate").delete("app", outs.app!);
    expect(await countDocs(os.url, "orders-1")).toBe(20);
    expect(await countDocs(os.url, "orders-2")).toBe(20);
    expect(await countDocs(os.url, "shop-2025")).toBe(0);
    await expect(get(os.url, "/_alias/orders")).rejects.toMatchObject({ status: 404 });
    await expect(get(os.url, "/_index_template/app")).rejects.toMatchObject({ status: 404 });
    // The source is never written to.
    expect(await get(es7.url, "/_alias/orders")).toHaveProperty("orders-2");
  });
});

describe("cluster objects: the test world's realistic Elasticsearch 7.10 source", () => {
  it("discovers every template, pipeline, script and alias of its indices, and all of them can be made at OpenSearch 2.19", async () => {
    const seeded = await seedRealisticSource(es7.url, { without: ["closedIndex", "dotIndex"] });
    const indices = seeded.indices.map((i) => i.name);
    const found = await readClusterObjects({ url: es7.url }, { indices });
    const names = (kind: ObjectKind) => found.objects.filter((o) => o.kind === kind).map((o) => o.name);
    expect(names("legacyTemplate")).toEqual(expect.arrayContaining(seeded.legacyTemplates.map((t) => t.name)));
    expect(names("componentTemplate")).toEqual(expect.arrayContaining(seeded.componentTemplates));
    expect(names("indexTemplate")).toEqual(expect.arrayContaining(seeded.indexTemplates.map((t) => t.name)));
    expect(names("pipeline")).toEqual(expect.arrayContaining(seeded.pipelines.map((p) => p.name)));
    expect(names("script")).toEqual(expect.arrayContaining(seeded.scripts.map((x) => x.id)));
    // Aliases: exactly those of the migrated indices, each over its indices.
    const aliases = Object.fromEntries(
      found.objects.filter((o) => o.kind === "alias").map((o) => [o.name, Object.keys(o.body).sort()]),
    );
    expect(aliases).toEqual(Object.fromEntries(seeded.aliases.map((a) => [a.name, [...a.indices].sort()])));

    const dest = await readClusterObjects({ url: os.url });
    const rows = planObjects(found.objects, dest.objects, {
      sourceInfo: found.info,
      destInfo: dest.info,
      processors: await readIngestProcessors({ url: os.url }),
    });
    expect(rows.filter((r) => r.action === "cannot")).toEqual([]);
  });
});

describe("cluster objects: an Elasticsearch 6.8 legacy template with a mapping type -> OpenSearch 2.19", () => {
  it("unwraps the type, leaves out what 7.0 removed, and plans nothing the second time", async () => {
    const found = await readClusterObjects({ url: es6.url });
    expect(found.objects).toEqual([
      {
        kind: "legacyTemplate",
        name: "events",
        typeName: "event",
        body: {
          index_patterns: ["events-*"],
          mappings: { _all: { enabled: false }, properties: { code: { type: "keyword" } } },
        },
      },
    ]);
    const news = { destination: { url: os.url }, name: "events", copyFrom: { source: { url: es6.url } } };
    const outs = await created("legacyTemplate", news);
    expect(outs.typeName).toBe("event");
    expect(outs.dropped).toEqual([expect.stringMatching(/^mappings\._all: /)]);
    expect((await get(os.url, "/_template/events")).events.mappings).toEqual({
      properties: { code: { type: "keyword" } },
    });
    expect((await diffed("legacyTemplate", outs, news)).changes).toBe(false);
  });
});
