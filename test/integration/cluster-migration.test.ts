// What ClusterMigration's preview tells about a real source: the counts a user reads are top-level documents (a cart
// with three nested lines is one document, where `_cat/indices` counts four), in the index list, the info line and the
// copy estimates alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listForMigration } from "../../components/migration/list";
import { describePlan, planClusterMigration } from "../../components/migration/plan";
import { sourceIndexSizes } from "../../provider/migrated-index/facts";
import { startEngine, type EngineNode } from "../world/engines";
import { esJson, seedDocuments } from "../world/fixtures";

let source: EngineNode;

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.x" });
  await esJson(source.url, "PUT", "/carts", { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { properties: { lines: { type: "nested" } } } });
  // 80 carts of 3 lines each: 320 Lucene documents.
  await seedDocuments(source.url, "carts", { count: 80, doc: (n) => ({ n, lines: [1, 2, 3].map((k) => ({ sku: `s${k}`, qty: n + k })) }) });
});

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
    expect(line).toBe('ClusterMigration "shop": 1 index, 80 documents at the source: carts (80); all new at the destination: 80 documents to copy');
    // The copy estimate of a new index moves the whole index: 80 documents, too.
    expect((await sourceIndexSizes({ url: source.url })).get("carts")?.docs).toBe(80);
  });
});
