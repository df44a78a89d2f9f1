// One ClusterMigration with its defaults, through the real Pulumi CLI, from a realistic Elasticsearch 7.10 source
// (templates of each kind, ingest pipelines named by index settings, a stored script and a search template, filtered,
// routed and write aliases, nested documents, a join field, custom routing) into OpenSearch 2.19: the preview lists
// every object and what will happen to it, the up copies them with the documents, the application works at the
// destination (a new index gets its template's mappings, a write goes through its index's pipeline, aliases resolve
// with their filters and take writes, routed documents are found) and a second preview plans nothing. The same from a
// realistic OpenSearch 1.3 source with a data stream (it arrives as a stream and takes appends), with the strictest
// deletes, and then cut over: after \`phase: "cutover-done"\` a refresh and an up leave what the application changed at
// the destination (a template, a document appended to the stream).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { esJson, readIds } from "../world/fixtures";
import { changedSteps, createStack, messages, type TestStack } from "../world/pulumi";
import { checkApplicationWorks, seedRealisticSource, type SeededSource } from "../world/realistic-source";

const program = `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate/components/migration");
const cfg = new pulumi.Config();
const cm = new ClusterMigration("app", {
  source: { url: cfg.require("src") },
  destination: { url: cfg.require("dest") },
  ...(cfg.get("deletes") ? { defaults: { deletes: cfg.get("deletes") } } : {}),
  phase: cfg.get("phase"),
});
exports.summary = cm.summary;
`;

let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;
let seeded: SeededSource;

/** Each scenario its own pair of nodes, one pair running at a time. */
function nodes(from: Parameters<typeof startEngine>[0], config: Record<string, string> = {}): void {
  beforeAll(async () => {
    source = await startEngine(from);
    dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
    seeded = await seedRealisticSource(source.url);
    stack = await createStack({ program, config: { src: source.url, dest: dest.url, ...config } });
  });
  afterAll(async () => {
    await stack?.remove();
    await dest?.stop();
    await source?.stop();
  });
}

describe("ClusterMigration of a realistic Elasticsearch 7.10 cluster into OpenSearch 2.19, with its defaults", () => {
  nodes({ engine: "elasticsearch", version: "7.10.x" });
  it("previews every object in one block, and counts documents as the application does", async () => {
    const said = messages(await stack.previewEvents()).join("\n");
    const block = said
      .split("\n")
      .filter((l) => l.startsWith('ClusterMigration "app": Cluster objects') || l.startsWith("  "));
    for (const t of [...seeded.legacyTemplates, ...seeded.indexTemplates])
      expect(said).toMatch(new RegExp(`\\+ create\\s+(legacy|composable) index template "${t.name}"`));
    for (const c of seeded.componentTemplates)
      expect(said).toMatch(new RegExp(`\\+ create\\s+component template "${c}"`));
    for (const p of seeded.pipelines) expect(said).toMatch(new RegExp(`\\+ create\\s+ingest pipeline "${p.name}"`));
    for (const s of seeded.scripts) expect(said).toMatch(new RegExp(`\\+ create\\s+stored script "${s.id}"`));
    for (const a of seeded.aliases) expect(said).toMatch(new RegExp(`\\+ create\\s+alias "${a.name}"`));
    expect(block.length).toBeGreaterThan(0);
    // Nested documents are not documents to the application: the line counts what _count counts.
    for (const index of seeded.indices.filter((i) => i.luceneDocuments !== undefined))
      expect(said).toContain(`${index.name} (${index.documents})`);
    expect(said).toContain('held at "_none" during the load');
  });

  it("up leaves an application that works at the destination, and a second preview plans nothing", async () => {
    await stack.up();
    // Before the application's checks write to the destination (a write there is what a next up verifies).
    const second = await stack.previewEvents();
    expect(changedSteps(second), messages(second).join("\n")).toEqual([]);
    const objects = [
      seeded.legacyTemplates,
      seeded.indexTemplates,
      seeded.componentTemplates,
      seeded.pipelines,
      seeded.scripts,
      seeded.aliases,
    ].reduce((n, l) => n + l.length, 0);
    expect(messages(second).join("\n")).toContain(`Cluster objects (${objects}): ${objects} the same`);
    expect(await checkApplicationWorks(dest.url, seeded)).toEqual([]);
    // The pipelines held during the load are back on their indices.
    const orders = seeded.indices.find((i) => i.pipelines)!;
    const settings = (await esJson(dest.url, "GET", `/${orders.name}/_settings?flat_settings=true`))[orders.name]
      .settings;
    for (const p of seeded.pipelines.filter((x) => x.indices.includes(orders.name)))
      expect(settings[`index.${p.role}_pipeline`]).toBe(p.name);
  });
});

describe("ClusterMigration of a realistic OpenSearch 1.3 cluster with a data stream into OpenSearch 2.19, then cut over", () => {
  nodes({ engine: "opensearch", version: "1.3.x" }, { deletes: "reconcile" });

  it("up moves the data stream as a stream beside the objects, the application works, and a second preview plans nothing", async () => {
    expect(seeded.dataStreams.length).toBe(1);
    await stack.up();
    const second = await stack.previewEvents();
    expect(changedSteps(second), messages(second).join("\n")).toEqual([]);
    expect(await checkApplicationWorks(dest.url, seeded)).toEqual([]);
    // One resource owns the stream's template: the IndexTemplate child; the DataStream creates the stream from it.
    const resources: { type: string; outputs?: Record<string, any> }[] = (await stack.exportState()).deployment
      .resources;
    const stream = seeded.dataStreams[0];
    expect(
      resources.filter((r) => r.type.endsWith(":IndexTemplate") && r.outputs?.name === stream.template),
    ).toHaveLength(1);
    const dataStream = resources.find((r) => r.type.endsWith(":DataStream"))?.outputs;
    expect(dataStream).toMatchObject({ name: stream.name, templateName: stream.template, manageTemplate: false });
    expect(dataStream?.template).toBeUndefined();
  });

  it('after phase "cutover-done", refresh and up leave the template the application changed and the documents it appended', async () => {
    const stream = seeded.dataStreams[0];
    await stack.setConfig("phase", "cutover-done");
    await stack.up();
    // The application, now on the destination: a field added to the stream's template, one event appended.
    const template = (await esJson(dest.url, "GET", `/_index_template/${stream.template}`)).index_templates[0]
      .index_template;
    template.template.mappings.properties.app_field = { type: "keyword" };
    await esJson(dest.url, "PUT", `/_index_template/${stream.template}`, template);
    await esJson(dest.url, "POST", `/${stream.name}/_doc/ev-app?op_type=create&refresh=true`, {
      "@timestamp": "2026-03-01T00:00:00Z",
      kind: "app",
    });
    await stack.refresh();
    await stack.up();
    const after = (await esJson(dest.url, "GET", `/_index_template/${stream.template}`)).index_templates[0]
      .index_template;
    expect(after.template.mappings.properties.app_field).toEqual({ type: "keyword" });
    const ids = await readIds(dest.url, stream.name);
    expect(ids.has("ev-app")).toBe(true);
    expect(ids.size).toBe(stream.documents + 1);
    const next = await stack.previewEvents();
    expect(changedSteps(next), messages(next).join("\n")).toEqual([]);
  });
});
