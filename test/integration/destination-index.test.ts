// DestinationIndex against real engines: an Elasticsearch 7.10 source and an OpenSearch 2.19 destination (and the
// ES 7.10 node as its own destination, under another index name), and an Elasticsearch 6.8 source whose single
// mapping type is unwrapped for the typeless ES 7.10 node. The provider's methods are called directly, in
// the order and with the values the Pulumi dynamic-provider host uses (check -> create, check -> diff -> update,
// read, delete).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { destinationIndexProvider as provider } from "../../provider/destination-index";
import type { DestinationIndexOutputs } from "../../provider/destination-index";
import { listSourceIndices } from "../../provider/indices";
import { startEngine } from "../world/engines";

type Engine = Awaited<ReturnType<typeof startEngine>>;
let source: Engine;
let osDest: Engine;
let src: Cluster;
let os: Cluster;
const logs: string[] = [];
const consoleBefore = { log: console.log, warn: console.warn };

// The embedded nodes carry no analysis-common module: the analyzer uses only built-in filters.
const SOURCE_BODY = {
  settings: {
    number_of_shards: 2,
    number_of_replicas: 1,
    refresh_interval: "30s",
    max_result_window: 20000,
    analysis: { analyzer: { folded: { type: "custom", tokenizer: "standard", filter: ["lowercase", "stop"] } } },
  },
  mappings: {
    properties: { title: { type: "text", analyzer: "folded" }, ts: { type: "date" }, tag: { type: "keyword" } },
  },
};

async function checked(news: Record<string, unknown>) {
  const r = await provider.check!({}, news);
  expect(r.failures ?? []).toEqual([]);
  return r.inputs;
}

async function liveSettings(c: Cluster, index: string): Promise<Record<string, any>> {
  const res = await c.request<any>({
    method: "GET",
    path: `/${index}/_settings`,
    querystring: { flat_settings: true },
  });
  return res[index].settings;
}

async function liveMapping(c: Cluster, index: string): Promise<Record<string, any>> {
  const res = await c.request<any>({ method: "GET", path: `/${index}/_mapping` });
  return res[index].mappings;
}

const exists = async (c: Cluster, index: string) =>
  (await c.request({ method: "GET", path: `/${index}`, ignore: [404] })) !== undefined;

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  osDest = await startEngine({ engine: "opensearch", version: "2.19.x" });
  src = connect({ url: source.url }, "source");
  os = connect({ url: osDest.url }, "destination");
  await src.request({ method: "PUT", path: "/articles", body: SOURCE_BODY });
  await src.request({
    method: "PUT",
    path: "/.internal-thing",
    body: { settings: { number_of_shards: 1, number_of_replicas: 0 } },
  });
  await src.request({
    method: "POST",
    path: "/articles/_doc/a1",
    querystring: { refresh: true },
    body: { title: "Hello", ts: "2024-01-01", tag: "x" },
  });
  // Capture what the provider tells the CLI (pulumi.log falls back to the console outside an engine).
  console.log = (...a: unknown[]) => void logs.push(a.join(" "));
  console.warn = (...a: unknown[]) => void logs.push(a.join(" "));
});

afterAll(async () => {
  Object.assign(console, consoleBefore);
  await src?.close();
  await os?.close();
  await osDest?.stop();
  await source?.stop();
});

describe("DestinationIndex: Elasticsearch 7.10 -> OpenSearch 2.19", () => {
  let outs: DestinationIndexOutputs;

  it("creates the index from the source: shards, analysis and mappings copied, load settings applied", async () => {
    const inputs = await checked({
      cluster: { url: osDest.url },
      index: "articles",
      copyFrom: { cluster: { url: source.url }, index: "articles" },
    });
    const created = await provider.create(inputs);
    outs = created.outs;
    expect(created.id).toBe("articles");

    const live = await liveSettings(os, "articles");
    expect(live["index.number_of_shards"]).toBe("2");
    expect(live["index.number_of_replicas"]).toBe("0");
    expect(live["index.refresh_interval"]).toBe("-1");
    expect(live["index.max_result_window"]).toBe("20000");
    expect(live["index.analysis.analyzer.folded.tokenizer"]).toBe("standard");
    // ES 7.10 gives every index a tier preference; OpenSearch would read it as an allocation filter.
    expect(Object.keys(live).filter((k) => k.includes("_tier_preference"))).toEqual([]);
    expect(live["index.uuid"]).toBe(outs.uuid);
    expect((await liveMapping(os, "articles")).properties.title).toEqual({ type: "text", analyzer: "folded" });

    expect(outs.finalSettings).toEqual({ "index.number_of_replicas": "1", "index.refresh_interval": "30s" });
    expect(outs.sourceInfo?.version).toBe("7.10.2");
    expect(outs.destInfo.flavor).toBe("opensearch");
    const health = await os.request<any>({
      method: "GET",
      path: "/_cluster/health/articles",
      querystring: { wait_for_status: "green", timeout: "30s" },
    });
    expect(health.status).toBe("green");
  });

  it("refuses an index that already exists and says how to adopt it", async () => {
    const inputs = await checked({
      cluster: { url: osDest.url },
      index: "articles",
      settings: { number_of_shards: 2 },
    });
    await expect(provider.create(inputs)).rejects.toThrow(
      /index "articles" already exists on destination http:\/\/127\.0\.0\.1:\d+\. To take it over .* set adoptExisting: true/,
    );
  });

  it("adopts an existing index with adoptExisting, applying dynamic settings and new fields", async () => {
    await os.request({
      method: "PUT",
      path: "/preexisting",
      body: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: { properties: { a: { type: "keyword" } } },
      },
    });
    const inputs = await checked({
      cluster: { url: osDest.url },
      index: "preexisting",
      adoptExisting: true,
      deletionProtection: false,
      settings: { number_of_shards: 1, max_result_window: 777 },
      mappings: { properties: { a: { type: "keyword" }, b: { type: "long" } } },
    });
    const { outs: adopted } = await provider.create(inputs);
    expect(adopted.adopted).toBe(true);
    expect((await liveSettings(os, "preexisting"))["index.max_result_window"]).toBe("777");
    expect((await liveMapping(os, "preexisting")).properties.b).toEqual({ type: "long" });
    // A static difference cannot be adopted.
    const bad = await checked({
      cluster: { url: osDest.url },
      index: "preexisting",
      adoptExisting: true,
      settings: { number_of_shards: 3 },
    });
    await expect(provider.create(bad)).rejects.toThrow('cannot adopt index "preexisting"');
    await provider.delete!("preexisting", adopted);
  });

  it("previews a shard-count change as a replacement and says why", async () => {
    const inputs = await checked({
      cluster: { url: osDest.url },
      index: "articles",
      copyFrom: { cluster: { url: source.url }, index: "articles" },
      settings: { number_of_shards: 4 },
    });
    logs.length = 0;
    const diff = await provider.diff!("articles", outs, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: ["settings"], deleteBeforeReplace: true });
    expect(logs.join("\n")).toContain('will be REPLACED because: index.number_of_shards changes from "2" to "4"');
    expect(logs.join("\n")).toContain("deletionProtection is on");
  });

  it("updates replicas in place: the final value while loading, the live value once loaded", async () => {
    const inputs = await checked({
      cluster: { url: osDest.url },
      index: "articles",
      copyFrom: { cluster: { url: source.url }, index: "articles" },
      settings: { number_of_replicas: 2 },
    });
    const diff = await provider.diff!("articles", outs, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    outs = (await provider.update!("articles", outs, inputs)).outs;
    expect(outs.finalSettings["index.number_of_replicas"]).toBe("2");
    expect((await liveSettings(os, "articles"))["index.number_of_replicas"]).toBe("0");

    // What the migration does after the load: restore the final settings. Then a change goes live.
    await os.request({ method: "PUT", path: "/articles/_settings", body: outs.finalSettings });
    const again = await checked({
      cluster: { url: osDest.url },
      index: "articles",
      copyFrom: { cluster: { url: source.url }, index: "articles" },
      settings: { number_of_replicas: 1 },
    });
    outs = (await provider.update!("articles", outs, again)).outs;
    expect((await liveSettings(os, "articles"))["index.number_of_replicas"]).toBe("1");
  });

  it("adds a mapping field in place", async () => {
    const inputs = await checked({
      cluster: { url: osDest.url },
      index: "articles",
      copyFrom: { cluster: { url: source.url }, index: "articles" },
      settings: { number_of_replicas: 0 },
      mappings: { properties: { views: { type: "long" } } },
    });
    const diff = await provider.diff!("articles", outs, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const uuidBefore = outs.uuid;
    outs = (await provider.update!("articles", outs, inputs)).outs;
    expect((await liveMapping(os, "articles")).properties.views).toEqual({ type: "long" });
    expect(outs.uuid).toBe(uuidBefore);
  });

  it("reports drift on refresh, but not the load settings", async () => {
    await os.request({
      method: "PUT",
      path: "/articles/_settings",
      body: { "index.max_result_window": 5000, "index.refresh_interval": "-1" },
    });
    const read = await provider.read!("articles", outs);
    expect(read.props.settings["index.max_result_window"]).toBe("5000");
    expect(read.props.settings["index.refresh_interval"]).toBe("30s");
    const inputs = await checked({
      cluster: { url: osDest.url },
      index: "articles",
      copyFrom: { cluster: { url: source.url }, index: "articles" },
      settings: { number_of_replicas: 0 },
      mappings: { properties: { views: { type: "long" } } },
    });
    const diff = await provider.diff!("articles", read.props, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    outs = (await provider.update!("articles", read.props, inputs)).outs;
    expect((await liveSettings(os, "articles"))["index.max_result_window"]).toBe("20000");
  });

  it("refuses to delete while protected and leaves the index", async () => {
    await expect(provider.delete!("articles", outs)).rejects.toThrow(
      "is protected (deletionProtection is on): the index and its documents stay",
    );
    expect(await exists(os, "articles")).toBe(true);
  });

  it("with protection off, deletes only the destination index", async () => {
    const inputs = await checked({
      cluster: { url: osDest.url },
      index: "articles",
      copyFrom: { cluster: { url: source.url }, index: "articles" },
      settings: { number_of_replicas: 0 },
      mappings: { properties: { views: { type: "long" } } },
      deletionProtection: false,
    });
    outs = (await provider.update!("articles", outs, inputs)).outs;
    await provider.delete!("articles", outs);
    expect(await exists(os, "articles")).toBe(false);
    expect(await exists(src, "articles")).toBe(true);
    expect((await src.request<any>({ method: "GET", path: "/articles/_count" })).count).toBe(1);
  });
});

describe("DestinationIndex: Elasticsearch 7.10 -> Elasticsearch 7.10", () => {
  it("copies settings and mappings into another index and finalSettings keeps the source's values", async () => {
    const inputs = await checked({
      cluster: { url: source.url },
      index: "articles-copy",
      deletionProtection: false,
      copyFrom: { cluster: { url: source.url }, index: "articles" },
      aliases: ["articles-current"],
    });
    const { outs } = await provider.create(inputs);
    const live = await liveSettings(src, "articles-copy");
    expect(live["index.number_of_shards"]).toBe("2");
    expect(live["index.refresh_interval"]).toBe("-1");
    expect(outs.finalSettings).toEqual({ "index.number_of_replicas": "1", "index.refresh_interval": "30s" });
    expect(
      Object.keys((await src.request<any>({ method: "GET", path: "/articles-copy/_alias" }))["articles-copy"].aliases),
    ).toEqual(["articles-current"]);
    await provider.delete!("articles-copy", outs);
    expect(await exists(src, "articles-copy")).toBe(false);
  });

  it("fails with the source named when copyFrom.index does not exist", async () => {
    const inputs = await checked({
      cluster: { url: source.url },
      index: "nope-copy",
      copyFrom: { cluster: { url: source.url }, index: "nope" },
    });
    await expect(provider.create(inputs)).rejects.toThrow(
      /copyFrom\.index "nope" does not exist on source http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(await exists(src, "nope-copy")).toBe(false);
  });
});

describe("listSourceIndices", () => {
  it("lists open, non-system indices and reports the skipped ones", async () => {
    await src.request({ method: "POST", path: "/_refresh" });
    const list = await listSourceIndices(src);
    expect(list.indices.map((i) => i.name)).toContain("articles");
    expect(list.indices.find((i) => i.name === "articles")?.docs).toBe(1);
    expect(list.skippedSystem).toContain(".internal-thing");
  });
});

describe("DestinationIndex: Elasticsearch 6.8 -> Elasticsearch 7.10", () => {
  let es6: Engine;
  let src6: Cluster;

  beforeAll(async () => {
    es6 = await startEngine({ engine: "elasticsearch", version: "6.8.x" });
    src6 = connect({ url: es6.url }, "source");
    await src6.request({
      method: "PUT",
      path: "/tweets",
      body: {
        settings: {
          number_of_shards: 3,
          number_of_replicas: 0,
          analysis: { analyzer: { a: { type: "custom", tokenizer: "standard", filter: ["standard", "lowercase"] } } },
        },
        mappings: { tweet: { properties: { text: { type: "text", analyzer: "a" }, user: { type: "keyword" } } } },
      },
    });
    await src6.request({
      method: "PUT",
      path: "/posts",
      body: {
        mappings: { _doc: { properties: { day: { type: "date", format: "YYYY-MM-dd" }, at: { type: "date" } } } },
      },
    });
  });

  afterAll(async () => {
    await src6?.close();
    await es6?.stop();
  });

  it("unwraps the 6.x mapping type and drops the removed `standard` token filter", async () => {
    const inputs = await checked({
      cluster: { url: source.url },
      index: "tweets",
      copyFrom: { cluster: { url: es6.url }, index: "tweets" },
      deletionProtection: false,
    });
    logs.length = 0;
    const { outs } = await provider.create(inputs);
    expect((await liveMapping(src, "tweets")).properties).toEqual({
      text: { type: "text", analyzer: "a" },
      user: { type: "keyword" },
    });
    const live = await liveSettings(src, "tweets");
    expect(live["index.number_of_shards"]).toBe("3");
    expect(live["index.analysis.analyzer.a.filter"]).toEqual(["lowercase"]);
    expect(logs.join("\n")).toContain(
      'DestinationIndex "tweets": not copied from the source: setting index.analysis.analyzer.a.filter[standard]',
    );
    expect(outs.copied?.typeName).toBe("tweet");
    expect(outs.sourceInfo?.major).toBe(6);
    await provider.delete!("tweets", outs);
    expect(await exists(src, "tweets")).toBe(false);
  });

  it("warns at preview about a 6.x date format whose meaning changes, naming the field and the fix", async () => {
    logs.length = 0;
    await checked({
      cluster: { url: source.url },
      index: "posts",
      copyFrom: { cluster: { url: es6.url }, index: "posts" },
    });
    const text = logs.join("\n");
    expect(text).toContain(
      'DestinationIndex "posts": field day of the source has the 6.x date format "YYYY-MM-dd": Y was the year in Joda and is the week-based year in java.time',
    );
    expect(text).toContain("write y (e.g. yyyy-MM-dd)");
    expect(text).not.toContain("field at ");
  });
});
