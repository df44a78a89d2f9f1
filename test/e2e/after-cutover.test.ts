// After the cutover, through the real Pulumi CLI: a DestinationIndex + incremental Reindex (Elasticsearch 7.10 ->
// OpenSearch 2.19), `up`, then the source frozen with a write block (as a cutover leaves it) and the application
// writing to the destination: 3 documents created, 2 updated, 1 deleted. The program still declares the migration, as
// programs do after a cutover, and the next `up` is for an unrelated change. (a) With the strictest options (verify
// "content", deletes "reconcile") and the cutover recorded by `phase: "cutover-done"`: the up leaves all 6 writes, its
// preview planned nothing for the copy, and a later destroy leaves the index. (b) The same with the defaults (verify
// "ids", deletes "report"). (c) A cutover by hand (the source write-blocked, nothing recorded): preview and up stop
// with an error naming the writes and how to record the cutover; the 6 writes survive, and recording it then works.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readSources, seedDocuments } from "../world/fixtures";
import { createStack, messages, opOf, type TestStack } from "../world/pulumi";

const program = `
const pulumi = require("@pulumi/pulumi");
const { DestinationIndex, Reindex } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const cluster = { url: cfg.require("dest") };
const index = cfg.require("index");
const phase = cfg.get("phase");
const target = new DestinationIndex("index", { cluster, index: index + "-v2", copyFrom: { cluster: { url: cfg.require("src") }, index }, deletionProtection: false, phase });
new Reindex("copy", {
  cluster, destIndex: target.index, destIndexUuid: target.uuid, source: { index, remote: { host: cfg.require("src") } },
  mode: { type: "incremental", field: "update_time" }, verify: cfg.get("verify"), deletes: cfg.get("deletes"), phase,
});
// The unrelated change of the next up: an index of its own.
const extra = cfg.get("extra");
if (extra) new DestinationIndex("audit", { cluster, index: extra, settings: { number_of_shards: 1 }, deletionProtection: false });
`;

const DOCS = 100;
const STRICT = { verify: "content", deletes: "reconcile" };

let source: EngineNode;
let dest: EngineNode;
const stacks: TestStack[] = [];

/** A stack copying `<index>` into `<index>-v2`, brought up once (the sync phase). */
async function migrated(index: string, options: Record<string, string>): Promise<TestStack> {
  const old = Date.now() - 3_600_000;
  await esJson(source.url, "PUT", `/${index}`, {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: { properties: { n: { type: "long" }, update_time: { type: "date" } } },
  });
  await seedDocuments(source.url, index, {
    count: DOCS,
    idPrefix: "doc-",
    doc: (n) => ({ n, update_time: new Date(old + n * 1000).toISOString() }),
  });
  const stack = await createStack({ program, config: { src: source.url, dest: dest.url, index, ...options } });
  stacks.push(stack);
  await stack.up();
  expect(await countDocs(dest.url, `${index}-v2`)).toBe(DOCS);
  return stack;
}

const blockWrites = (index: string) => esJson(source.url, "PUT", `/${index}/_settings`, { "index.blocks.write": true });

/** The application, writing to the live destination: 3 created, 2 updated, 1 deleted. */
async function applicationWrites(index: string): Promise<void> {
  const now = new Date().toISOString();
  for (const id of ["app-1", "app-2", "app-3"])
    await esJson(dest.url, "PUT", `/${index}/_doc/${id}?refresh=true`, { n: -1, update_time: now, by: "app" });
  for (const id of ["doc-1", "doc-2"])
    await esJson(dest.url, "PUT", `/${index}/_doc/${id}?refresh=true`, { n: -2, update_time: now, by: "app" });
  await esJson(dest.url, "DELETE", `/${index}/_doc/doc-3?refresh=true`);
}

/** All 6 application writes are at the destination as the application left them. */
async function expectWritesKept(index: string): Promise<void> {
  const docs = await readSources(dest.url, index);
  for (const id of ["app-1", "app-2", "app-3", "doc-1", "doc-2"]) expect(docs.get(id), id).toMatchObject({ by: "app" });
  expect(docs.has("doc-3")).toBe(false);
  expect(docs.size).toBe(DOCS + 3 - 1);
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
}, 600_000);

afterAll(async () => {
  for (const s of stacks) await s.remove();
  await Promise.allSettled([source?.stop(), dest?.stop()]);
});

describe("an up after the cutover", () => {
  it("with verify content and deletes reconcile, the recorded cutover keeps every application write; destroy leaves the index", async () => {
    const stack = await migrated("orders", STRICT);
    await blockWrites("orders");
    await stack.setConfig("phase", "cutover-done");
    const recording = await stack.upEvents();
    expect(recording.changes).toMatchObject({ update: 2 });
    expect(messages(recording).join("\n")).toContain(
      'reindex orders -> orders-v2: phase "cutover-done": this up records the cutover',
    );
    const mapping = await esJson(dest.url, "GET", "/orders-v2/_mapping");
    expect(mapping["orders-v2"].mappings._meta["pulumi-es-migrate"]).toMatchObject({ by: "phase" });

    await applicationWrites("orders-v2");
    await stack.setConfig("extra", "audit-orders");
    const preview = await stack.previewEvents();
    expect(opOf(preview, "copy")).toBe("same");
    expect(opOf(preview, "index")).toBe("same");
    expect(opOf(preview, "audit")).toBe("create");
    expect(messages(preview).join("\n")).toMatch(
      /reindex orders -> orders-v2: cut over at \S+: the destination is live, this copy no longer runs/,
    );
    const up = await stack.upEvents();
    expect(up.changes).toMatchObject({ create: 1 });
    await expectWritesKept("orders-v2");

    // Removing the migration deletes nothing, deletionProtection off as it is (the unrelated index is deleted).
    const destroy = await stack.destroyEvents();
    expect(destroy.changes).toMatchObject({ delete: 4 }); // the stack, the index, the copy, the audit index
    expect((await fetch(`${dest.url}/audit-orders`, { method: "HEAD" })).status).toBe(404);
    await expectWritesKept("orders-v2");
  });

  it("with the defaults (verify ids, deletes report), the recorded cutover keeps every application write too", async () => {
    const stack = await migrated("events", {});
    await blockWrites("events");
    await stack.setConfig("phase", "cutover-done");
    await stack.up();
    await applicationWrites("events-v2");
    await stack.refresh();
    await stack.setConfig("extra", "audit-events");
    const preview = await stack.previewEvents();
    expect([opOf(preview, "copy"), opOf(preview, "index")]).toEqual(["same", "same"]);
    await stack.up();
    await expectWritesKept("events-v2");
  });

  it("a cutover by hand (the source write-blocked, nothing recorded) stops preview and up with the writes named; recording it then works", async () => {
    const stack = await migrated("users", STRICT);
    await blockWrites("users");
    await applicationWrites("users-v2");
    await stack.setConfig("extra", "audit-users");
    const preview = await stack.preview({ check: false });
    const up = await stack.up({ check: false });
    for (const run of [preview, up]) {
      expect(run.code).not.toBe(0);
      const text = run.stdout + run.stderr;
      expect(text).toContain("reindex users -> users-v2: the source is write-blocked (index.blocks.write on users)");
      expect(text).toContain("3 document(s) only at the destination (first: app-1, app-2, app-3)");
      expect(text).toContain("2 with other content than the source (first: doc-1, doc-2)");
      expect(text).toContain("1 source document(s) the destination no longer holds (first: doc-3)");
      expect(text).toContain('set phase: "cutover-done"');
    }
    await expectWritesKept("users-v2");

    await stack.setConfig("phase", "cutover-done");
    await stack.up();
    await expectWritesKept("users-v2");
    const after = await stack.previewEvents();
    expect(after.steps.filter((s) => s.op !== "same").map((s) => s.name)).toEqual([]);
  });
});
