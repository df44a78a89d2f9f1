// A data stream migrated by ClusterMigration through the real Pulumi CLI: an OpenSearch 1.3 source with a data
// stream (its composable template) and a plain index into OpenSearch 2.19. What a logging user sees: preview lists
// the stream with its documents (its backing index never as a "system index"), up creates the template and the
// stream at the destination and copies every document (ids and _source equal), the destination's stream takes the
// application's appends, documents appended at the source wait at the next preview (exactly those), the next up
// copies them, and a final preview plans nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readIds, readSources, seedDocuments } from "../world/fixtures";
import { changedSteps, createStack, messages, type TestStack } from "../world/pulumi";

const program = `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate/components/migration");
const cfg = new pulumi.Config();
const cm = new ClusterMigration("cm", {
  source: { url: cfg.require("src") },
  destination: { url: cfg.require("dest") },
  defaults: { deletionProtection: false },
});
exports.indices = cm.indices;
exports.dataStreams = cm.dataStreams;
exports.skipped = cm.skipped;
exports.summary = cm.summary;
`;

const STREAM = "events-app";
let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;
// The stream's first documents are an hour old; later appends carry the time they are written.
const hourAgo = Date.now() - 3_600_000;

async function append(url: string, from: number, count: number, at: (n: number) => number): Promise<void> {
  await seedDocuments(url, STREAM, {
    startId: from,
    count,
    idPrefix: "ev-",
    op: "create",
    doc: (n) => ({
      "@timestamp": new Date(at(n)).toISOString(),
      msg: `event ${n}`,
      level: n % 3 === 0 ? "warn" : "info",
    }),
  });
}

beforeAll(async () => {
  [source, dest] = await Promise.all([
    startEngine({ engine: "opensearch", version: "1.3.x" }),
    startEngine({ engine: "opensearch", version: "2.19.x", allow: ["127.0.0.1:*"] }),
  ]);
  await esJson(source.url, "PUT", "/_index_template/events-tpl", {
    index_patterns: ["events-*"],
    data_stream: {},
    priority: 100,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { msg: { type: "keyword" }, level: { type: "keyword" } } },
    },
  });
  await esJson(source.url, "PUT", `/_data_stream/${STREAM}`);
  await append(source.url, 0, 120, (n) => hourAgo + n * 1000);
  await esJson(source.url, "PUT", "/orders", { settings: { number_of_shards: 1, number_of_replicas: 0 } });
  await seedDocuments(source.url, "orders", { count: 30, idPrefix: "o-" });
  stack = await createStack({ program, config: { src: source.url, dest: dest.url } });
});

afterAll(async () => {
  await stack?.remove();
  await Promise.all([dest?.stop(), source?.stop()]);
});

describe("a data stream migrated with ClusterMigration through the Pulumi CLI", () => {
  it("preview lists the stream with its documents, never its backing index as a system index", async () => {
    const preview = await stack.previewEvents();
    const said = messages(preview).join("\n");
    expect(said).toContain(
      `ClusterMigration "cm": 1 data stream, 120 documents at the source: ${STREAM} (120, template events-tpl, windows on @timestamp)`,
    );
    expect(said).not.toContain(".ds-events-app");
    // The stream's template is one resource: the cluster objects' IndexTemplate child, which the stream is created from.
    expect(changedSteps(preview).sort()).toEqual([
      "cm-ds-events-app-copy: create",
      "cm-ds-events-app: create",
      "cm-index-template-events-tpl: create",
      "cm-orders: create",
      "cm: create",
    ]);
  });

  it("up creates the template and the stream at the destination and copies every document", async () => {
    await stack.up();
    const streams = (await esJson(dest.url, "GET", `/_data_stream/${STREAM}`)).data_streams;
    expect(streams.map((s: any) => [s.name, s.template])).toEqual([[STREAM, "events-tpl"]]);
    expect(await readSources(dest.url, STREAM)).toEqual(await readSources(source.url, STREAM));
    expect(await readIds(dest.url, "orders")).toEqual(await readIds(source.url, "orders"));
    const out = (await stack.outputs()) as any;
    expect(out.dataStreams).toEqual([STREAM]);
    expect(out.indices).toEqual(["orders"]);
    expect(out.skipped).toEqual([]);
    expect(out.summary.rows.find((r: any) => r.index === STREAM)).toMatchObject({
      dataStream: true,
      created: 120,
      sourceCount: 120,
      destCount: 120,
      verified: true,
    });
    expect(out.summary.totals).toMatchObject({ indices: 2, sourceCount: 150, verified: true });
  });

  it("the destination's stream takes appends; what the source appends waits, and the next up copies exactly that", async () => {
    // The application, cut over, writes into the destination's stream (op_type create is implied by POST _doc).
    const appended = await esJson(dest.url, "POST", `/${STREAM}/_doc?refresh=true`, {
      "@timestamp": new Date().toISOString(),
      msg: "written at the destination",
      level: "info",
    });
    expect(appended.result).toBe("created");
    expect(appended._index).toMatch(/^\.ds-events-app-0+1$/);
    await append(source.url, 120, 15, (n) => Date.now() + n);

    const preview = await stack.previewEvents();
    expect(messages(preview).join("\n")).toMatch(
      /reindex events-app -> events-app: 15 document\(s\) waiting at the source in the window from \S+ minus 5m: 15 new, 0 changed/,
    );
    expect(changedSteps(preview)).toEqual(["cm-ds-events-app-copy: update"]);

    await stack.up();
    const atSource = await readSources(source.url, STREAM);
    const atDest = await readSources(dest.url, STREAM);
    expect(atDest.size).toBe(136);
    for (const [id, doc] of atSource) expect(atDest.get(id), id).toEqual(doc);
    expect(await countDocs(dest.url, STREAM)).toBe(136);
    const row = ((await stack.outputs()) as any).summary.rows.find((r: any) => r.index === STREAM);
    expect(row).toMatchObject({ created: 15, sourceCount: 135, verified: true });
  });

  it("a final preview plans nothing", async () => {
    const preview = await stack.previewEvents();
    expect(changedSteps(preview)).toEqual([]);
  });
});
