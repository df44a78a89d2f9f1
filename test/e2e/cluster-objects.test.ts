// One ClusterMigration with its defaults, through the real Pulumi CLI, from a realistic Elasticsearch 7.10 source
// (templates of each kind, ingest pipelines named by index settings, a stored script and a search template, filtered,
// routed and write aliases, nested documents, a join field, custom routing) into OpenSearch 2.19: the preview lists
// every object and what will happen to it, the up copies them with the documents, the application works at the
// destination (a new index gets its template's mappings, a write goes through its index's pipeline, aliases resolve
// with their filters and take writes, routed documents are found) and a second preview plans nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { esJson } from "../world/fixtures";
import { changedSteps, createStack, messages, type TestStack } from "../world/pulumi";
import { checkApplicationWorks, seedRealisticSource, type SeededSource } from "../world/realistic-source";

const program = `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate/components/migration");
const cfg = new pulumi.Config();
const cm = new ClusterMigration("app", { source: { url: cfg.require("src") }, destination: { url: cfg.require("dest") } });
exports.summary = cm.summary;
`;

let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;
let seeded: SeededSource;

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.x" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  seeded = await seedRealisticSource(source.url);
  stack = await createStack({ program, config: { src: source.url, dest: dest.url } });
});

afterAll(async () => {
  await stack?.remove();
  await dest?.stop();
  await source?.stop();
});

describe("ClusterMigration of a realistic Elasticsearch 7.10 cluster into OpenSearch 2.19, with its defaults", () => {
  it("previews every object in one block, and counts documents as the application does", async () => {
    const said = messages(await stack.previewEvents()).join("\n");
    const block = said.split("\n").filter((l) => l.startsWith('ClusterMigration "app": Cluster objects') || l.startsWith("  "));
    for (const t of [...seeded.legacyTemplates, ...seeded.indexTemplates]) expect(said).toMatch(new RegExp(`\\+ create\\s+(legacy|composable) index template "${t.name}"`));
    for (const c of seeded.componentTemplates) expect(said).toMatch(new RegExp(`\\+ create\\s+component template "${c}"`));
    for (const p of seeded.pipelines) expect(said).toMatch(new RegExp(`\\+ create\\s+ingest pipeline "${p.name}"`));
    for (const s of seeded.scripts) expect(said).toMatch(new RegExp(`\\+ create\\s+stored script "${s.id}"`));
    for (const a of seeded.aliases) expect(said).toMatch(new RegExp(`\\+ create\\s+alias "${a.name}"`));
    expect(block.length).toBeGreaterThan(0);
    // Nested documents are not documents to the application: the line counts what _count counts.
    for (const index of seeded.indices.filter((i) => i.luceneDocuments !== undefined)) expect(said).toContain(`${index.name} (${index.documents})`);
    expect(said).toContain("held at \"_none\" during the load");
  });

  it("up leaves an application that works at the destination, and a second preview plans nothing", async () => {
    await stack.up();
    // Before the application's checks write to the destination (a write there is what a next up verifies).
    const second = await stack.previewEvents();
    expect(changedSteps(second), messages(second).join("\n")).toEqual([]);
    const objects = [seeded.legacyTemplates, seeded.indexTemplates, seeded.componentTemplates, seeded.pipelines, seeded.scripts, seeded.aliases].reduce((n, l) => n + l.length, 0);
    expect(messages(second).join("\n")).toContain(`Cluster objects (${objects}): ${objects} the same`);
    expect(await checkApplicationWorks(dest.url, seeded)).toEqual([]);
    // The pipelines held during the load are back on their indices.
    const orders = seeded.indices.find((i) => i.pipelines)!;
    const settings = (await esJson(dest.url, "GET", `/${orders.name}/_settings?flat_settings=true`))[orders.name].settings;
    for (const p of seeded.pipelines.filter((x) => x.indices.includes(orders.name))) expect(settings[`index.${p.role}_pipeline`]).toBe(p.name);
  });
});
