// What ClusterMigration relies on, against a real Elasticsearch 7.10 node (with its ingest modules): the counts a user
// reads are top-level documents (a cart with three nested lines is one document, where `_cat/indices` counts four), in
// the index list, the info line and the copy estimates alike; an index's ingest pipeline is held at "_none" while the
// copy loads and restored by the finish, after which the application's writes go through it again; and a template
// matching a migrated index (created before it) does not change the mappings copied from the source.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listForMigration } from "../../components/migration/list";
import { describePlan, planClusterMigration } from "../../components/migration/plan";
import { destinationIndexProvider } from "../../provider/destination-index";
import type { DestinationIndexOutputs } from "../../provider/destination-index";
import { checkFinishInputs, migrationFinishProvider } from "../../provider/finish";
import { sourceIndexSizes } from "../../provider/migrated-index/facts";
import { startEngine, type EngineNode } from "../world/engines";
import { esJson, seedDocuments } from "../world/fixtures";

let source: EngineNode;

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.x" });
  await esJson(source.url, "PUT", "/carts", {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: { properties: { lines: { type: "nested" } } },
  });
  // 80 carts of 3 lines each: 320 Lucene documents.
  await seedDocuments(source.url, "carts", {
    count: 80,
    doc: (n) => ({ n, lines: [1, 2, 3].map((k) => ({ sku: `s${k}`, qty: n + k })) }),
  });
});

/** A DestinationIndex copied from `from` into `to` on the same node, as a migration creates it. */
async function copyIndex(from: string, to: string): Promise<DestinationIndexOutputs> {
  const checked = await destinationIndexProvider.check!(
    {},
    {
      cluster: { url: source.url },
      index: to,
      copyFrom: { cluster: { url: source.url }, index: from },
      deletionProtection: false,
    },
  );
  expect(checked.failures ?? []).toEqual([]);
  return (await destinationIndexProvider.create!(checked.inputs)).outs as DestinationIndexOutputs;
}

afterAll(async () => {
  await source?.stop();
});

describe("ClusterMigration's preview on Elasticsearch 7.10 with nested documents", () => {
  it("counts 80 carts as 80 documents, where _cat/indices counts 320", async () => {
    const cat = await esJson(source.url, "GET", "/_cat/indices/carts?format=json&h=docs.count");
    expect(Number(cat[0]["docs.count"])).toBe(320);

    const list = await listForMigration({ url: source.url }, { include: ["carts"] }, "test");
    expect(list.indices.map((i) => [i.name, i.docs])).toEqual([["carts", 80]]);
    const line = describePlan("shop", planClusterMigration(list, {}), new Set());
    expect(line).toBe(
      'ClusterMigration "shop": 1 index, 80 documents at the source: carts (80); all new at the destination: 80 documents to copy',
    );
    // The copy estimate of a new index moves the whole index: 80 documents, too.
    expect((await sourceIndexSizes({ url: source.url })).get("carts")?.docs).toBe(80);
  });
});

describe("pipelines and templates around a migrated index on Elasticsearch 7.10", () => {
  it("holds the index's pipeline at _none during the load, and the finish restores it once it exists", async () => {
    await esJson(source.url, "PUT", "/orders", {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { total: { type: "long" } } },
    });
    await esJson(source.url, "PUT", "/_ingest/pipeline/orders-defaults", {
      processors: [{ set: { field: "currency", value: "EUR" } }],
    });
    await esJson(source.url, "PUT", "/orders/_settings", { "index.default_pipeline": "orders-defaults" });
    const outs = await copyIndex("orders", "orders-copy");
    const live = async () =>
      (await esJson(source.url, "GET", "/orders-copy/_settings?flat_settings=true"))["orders-copy"].settings;
    expect((await live())["index.default_pipeline"]).toBe("_none");
    // A document the copy writes is not processed a second time.
    await esJson(source.url, "PUT", "/orders-copy/_doc/copied?refresh=true", { total: 5 });
    expect((await esJson(source.url, "GET", "/orders-copy/_doc/copied"))._source).toEqual({ total: 5 });

    const finish = checkFinishInputs({
      cluster: { url: source.url },
      index: "orders-copy",
      finalSettings: outs.finalSettings,
    });
    expect(finish.failures).toEqual([]);
    // Without the pipeline the finish refuses, naming it, and leaves the hold in place.
    await esJson(source.url, "DELETE", "/_ingest/pipeline/orders-defaults");
    await expect(migrationFinishProvider.create!(finish.inputs)).rejects.toThrow(
      /index\.default_pipeline names the ingest pipeline "orders-defaults", which the destination does not have/,
    );
    expect((await live())["index.default_pipeline"]).toBe("_none");
    // Once it exists, the finish restores it and the application's writes go through it.
    await esJson(source.url, "PUT", "/_ingest/pipeline/orders-defaults", {
      processors: [{ set: { field: "currency", value: "EUR" } }],
    });
    await migrationFinishProvider.create!(finish.inputs);
    expect((await live())["index.default_pipeline"]).toBe("orders-defaults");
    await esJson(source.url, "PUT", "/orders-copy/_doc/new?refresh=true", { total: 7 });
    expect((await esJson(source.url, "GET", "/orders-copy/_doc/new"))._source).toEqual({ total: 7, currency: "EUR" });
  });

  it("keeps the copied mappings of an index created after a template that maps its fields otherwise", async () => {
    await esJson(source.url, "PUT", "/codes", {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { code: { type: "keyword" } } },
    });
    await esJson(source.url, "PUT", "/_template/codes-copy", {
      index_patterns: ["codes-*"],
      mappings: { properties: { code: { type: "text" }, note: { type: "keyword" } } },
    });
    await copyIndex("codes", "codes-copy");
    const props = (await esJson(source.url, "GET", "/codes-copy/_mapping"))["codes-copy"].mappings.properties;
    // The index's own (copied) mapping wins; what only the template has is added.
    expect(props.code).toEqual({ type: "keyword" });
    expect(props.note).toEqual({ type: "keyword" });
  });
});
