// Cluster objects through the real Pulumi CLI: one small program declaring a composable template, an ingest
// pipeline and an alias on an OpenSearch 2.19 destination whose index already holds documents. `up` makes them,
// a second preview plans nothing, `destroy` removes the objects and leaves the index and its documents. The
// connection carries a password (a config secret) that must appear nowhere in the state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, seedDocuments } from "../world/fixtures";
import { createStack, type TestStack } from "../world/pulumi";

const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;

const program = `
const pulumi = require("@pulumi/pulumi");
const { IndexTemplate, IngestPipeline, IndexAlias } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const destination = { url: cfg.require("os"), username: "app", password: cfg.requireSecret("password") };

const pipeline = new IngestPipeline("stamp", { destination, name: "stamp", body: { description: "marks new orders", processors: [] } });
new IndexTemplate("orders", {
  destination,
  name: "orders",
  body: { index_patterns: ["orders-*"], priority: 10, template: { settings: { number_of_shards: 1, default_pipeline: "stamp" }, mappings: { properties: { sku: { type: "keyword" } } } } },
}, { dependsOn: [pipeline] });
new IndexAlias("orders-alias", { destination, name: "orders", body: { "orders-1": { is_write_index: true } } });
`;

let os: EngineNode;
let stack: TestStack;
const get = (path: string) => esJson(os.url, "GET", path);

beforeAll(async () => {
  os = await startEngine({ engine: "opensearch", version: "2.19.x" });
  await seedDocuments(os.url, "orders-1", { count: 10 });
  stack = await createStack({ program, config: { os: os.url, password: { secret: PASSWORD } } });
});

afterAll(async () => {
  await stack?.remove();
  await os?.stop();
});

describe("cluster objects with the Pulumi CLI", () => {
  it("up makes the template, the pipeline and the alias, and the state holds no password", async () => {
    const up = await stack.upEvents();
    expect(up.changes).toEqual({ create: 4 });
    expect((await get("/_index_template/orders")).index_templates[0].index_template.template.settings.index.default_pipeline).toBe("stamp");
    expect(await get("/_ingest/pipeline/stamp")).toEqual({ stamp: { description: "marks new orders", processors: [] } });
    expect((await get("/_alias/orders"))["orders-1"].aliases.orders).toEqual({ is_write_index: true });
    expect(await stack.stateText()).not.toContain(PASSWORD);
  });

  it("a second preview plans nothing", async () => {
    const preview = await stack.previewEvents();
    expect(preview.changes).toEqual({ same: 4 });
  });

  it("destroy removes the objects and leaves the index and its documents", async () => {
    await stack.destroy();
    await expect(get("/_index_template/orders")).rejects.toMatchObject({ status: 404 });
    await expect(get("/_ingest/pipeline/stamp")).rejects.toMatchObject({ status: 404 });
    await expect(get("/_alias/orders")).rejects.toMatchObject({ status: 404 });
    expect(await countDocs(os.url, "orders-1")).toBe(10);
  });
});
