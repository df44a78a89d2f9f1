// The shared "realistic source" fixture on the two source lines the migrations start from: everything it seeds works
// for its application at the source itself (so checkApplicationWorks can judge a destination), its inventory lists
// what was seeded, nested documents make Lucene's count differ from the documents', and a broken application (a
// deleted pipeline, a removed alias) is reported. One node per line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { esJson } from "../world/fixtures";
import {
  checkApplicationWorks,
  objectInventory,
  seedRealisticSource,
  type SeededSource,
} from "../world/realistic-source";

describe.each([
  { engine: "elasticsearch" as const, version: "7.10.2", label: "Elasticsearch 7.10.2" },
  { engine: "opensearch" as const, version: "1.3.x", label: "OpenSearch 1.3" },
])("a realistic source on $label", ({ engine, version }) => {
  let node: EngineNode;
  let seeded: SeededSource;

  beforeAll(async () => {
    node = await startEngine({ engine, version });
    seeded = await seedRealisticSource(node.url);
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("works for its application at the source itself: checkApplicationWorks finds nothing wrong", async () => {
    expect(await checkApplicationWorks(node.url, seeded)).toEqual([]);
    // The checks' probes leave no document behind.
    expect(await checkApplicationWorks(node.url, seeded)).toEqual([]);
  });

  it("seeds every kind of object the engine has, and the inventory lists them", async () => {
    const inventory = await objectInventory(node.url);
    expect(inventory.legacyTemplates).toEqual(seeded.legacyTemplates.map((t) => t.name).sort());
    expect(inventory.componentTemplates).toEqual(["orders-mappings", "orders-settings"]);
    expect(inventory.indexTemplates).toEqual(seeded.indexTemplates.map((t) => t.name).sort());
    expect(inventory.pipelines).toEqual(["audit-final", "orders-defaults"]);
    expect(inventory.scripts).toEqual(["order-total-times", "orders-of-customer"]);
    for (const alias of seeded.aliases) expect(inventory.aliases[alias.name]).toEqual([...alias.indices].sort());
    expect(inventory.dataStreams).toEqual(engine === "opensearch" ? ["events-app"] : []);
    expect(seeded.aliases.map((a) => a.name)).toEqual([
      "app-logs",
      "app-logs-write",
      "orders-paid",
      "customers-eu",
      "orders-internal",
    ]);
    const documents = [...seeded.indices, ...seeded.dataStreams].reduce((n, i) => n + i.documents, 0);
    expect(documents).toBe(engine === "opensearch" ? 340 : 290);
  });

  it("holds a closed index, a dot index, and nested documents that Lucene counts apart", async () => {
    const cat = await esJson(
      node.url,
      "GET",
      "/_cat/indices?format=json&expand_wildcards=all&h=index,status,docs.count",
    );
    const row = (name: string) => cat.find((r: { index: string }) => r.index === name);
    expect(row(seeded.closedIndices[0].name).status).toBe("close");
    expect(row(seeded.dotIndices[0].name)["docs.count"]).toBe("3");
    const carts = seeded.indices.find((i) => i.luceneDocuments)!;
    expect({
      lucene: Number(row(carts.name)["docs.count"]),
      count: (await esJson(node.url, "GET", `/${carts.name}/_count`)).count,
    }).toEqual({
      lucene: 120,
      count: 30,
    });
  });

  it("reports what a broken application would notice: a deleted pipeline, a removed alias", async () => {
    await esJson(node.url, "DELETE", "/_ingest/pipeline/orders-defaults");
    await esJson(node.url, "POST", "/_aliases", {
      actions: [{ remove: { index: "orders-2026.01", alias: "orders-paid" } }],
    });
    const failures = await checkApplicationWorks(node.url, seeded);
    expect(failures).toEqual([
      "alias orders-paid: does not exist",
      expect.stringMatching(
        /^default pipeline orders-defaults of orders-2026\.01: .*pipeline with id \[orders-defaults\] does not exist/,
      ),
      expect.stringMatching(
        /^final pipeline audit-final of orders-2026\.01: .*pipeline with id \[orders-defaults\] does not exist/,
      ),
    ]);
  });
});
