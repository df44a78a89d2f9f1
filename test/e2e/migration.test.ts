// ClusterMigration through the real Pulumi CLI: an Elasticsearch 7.10 source with three small indices into
// OpenSearch 2.19. What a user sees: the preview listing every index and its documents, up copying and finishing
// (final settings restored, alias cut over from an old index), a second up with nothing to do, refresh showing no
// drift (the index part and the finish part agree on the restored values and the moved alias), a delta copied by
// the next up, and no password in the state. ClusterMigration declares one MigratedIndex per index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import { changedSteps, createStack, messages, type TestStack } from "../world/pulumi";

const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;

const program = `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate/components/migration");
const cfg = new pulumi.Config();
const cm = new ClusterMigration("cm", {
  source: { url: cfg.require("src"), username: "reader", password: cfg.requireSecret("password") },
  destination: { url: cfg.require("dest") },
  exclude: ["skip-*"],
  defaults: { mode: { type: "incremental", field: "ts" }, deletionProtection: false },
  overrides: { orders: { destIndex: "orders-v2", alias: "orders" } },
  concurrency: 2,
});
exports.indices = cm.indices;
exports.skipped = cm.skipped;
exports.summary = cm.summary;
`;

let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;
const INDICES = { articles: 300, events: 200, orders: 100 };

async function seed(index: string, from: number, count: number): Promise<void> {
  await seedDocuments(source.url, index, { startId: from, count, idPrefix: `${index}-`, doc: (n) => ({ n, ts: n }) });
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  for (const [index, count] of Object.entries(INDICES)) {
    await esJson(source.url, "PUT", `/${index}`, {
      settings: { number_of_shards: 1, number_of_replicas: index === "articles" ? 1 : 0 },
      mappings: { properties: { n: { type: "long" }, ts: { type: "long" } } },
    });
    await seed(index, 0, count);
  }
  await seed("skip-me", 0, 5);
  // Readers use the alias "orders" on an older index at the destination: the migration cuts it over.
  await esJson(dest.url, "PUT", "/orders-v1", {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    aliases: { orders: { is_write_index: true } },
  });
  stack = await createStack({ program, config: { src: source.url, dest: dest.url, password: { secret: PASSWORD } } });
});

afterAll(async () => {
  await stack?.remove();
  await dest?.stop();
  await source?.stop();
});

describe("ClusterMigration with the Pulumi CLI", () => {
  it("preview lists every index that would be migrated and its documents", async () => {
    const preview = await stack.previewEvents();
    expect(messages(preview).join("\n")).toContain(
      'ClusterMigration "cm": 3 indices, 600 documents at the source: articles (300), events (200), orders -> orders-v2 (100); all new at the destination: 600 documents to copy',
    );
    // One resource per index (the destination index, the copy and the finish in one).
    expect(changedSteps(preview).sort()).toEqual(
      ["cm: create", ...Object.keys(INDICES).map((index) => `cm-${index}: create`)].sort(),
    );
    expect(
      preview.steps
        .filter((s) => s.name.startsWith("cm-"))
        .every((s) => s.type === "pulumi-nodejs:dynamic/es-migrate:MigratedIndex"),
    ).toBe(true);
    expect(preview.changes).toEqual({ create: 5 });
    // What each copy moves and takes, before any run by the default model, with the running total of the clusters.
    const said = messages(preview).join("\n");
    expect(said).toMatch(
      /estimate events -> events: 200 document\(s\) \([\d.]+ KB\) to copy, about [\d.]+s at [\d,]+ docs\/s plus [\d.]+s fixed \(the default model: no run yet\)/,
    );
    expect(said).toMatch(/running total for these clusters: 3 indices, 600 document\(s\)/);
  });

  it("up copies, restores the final settings and cuts the alias over", async () => {
    await stack.up();
    for (const [index, count] of Object.entries(INDICES)) {
      const destIndex = index === "orders" ? "orders-v2" : index;
      expect(await readIds(dest.url, destIndex)).toEqual(await readIds(source.url, index));
      expect(await countDocs(dest.url, destIndex)).toBe(count);
    }
    const settings = (await esJson(dest.url, "GET", "/articles/_settings?flat_settings=true")).articles.settings;
    expect(settings["index.number_of_replicas"]).toBe("1"); // the source's value, back from the load's 0
    expect(settings["index.refresh_interval"]).toBe("1s"); // back from the load's -1
    expect(Object.keys(await esJson(dest.url, "GET", "/_alias/orders"))).toEqual(["orders-v2"]);
    const out = (await stack.outputs()) as any;
    expect(out.indices).toEqual(["articles", "events", "orders"]);
    expect(out.summary.totals).toMatchObject({
      indices: 3,
      sourceCount: 600,
      destCount: 600,
      created: 600,
      verified: true,
    });
    // The estimate the up made before copying, beside the rate fitted on its run (the next estimate's).
    const events = out.summary.rows.find((r: any) => r.index === "events");
    expect(events.estimate).toMatchObject({ documents: 200, rate: { fixedSeconds: 0.45, measured: false, runs: 0 } });
    expect(events.bytesPerSecond).toBeGreaterThan(0);
    expect(out.summary.totals.estimatedSeconds).toBeGreaterThan(0);
    expect(await stack.stateText()).not.toContain(PASSWORD);
  });

  it("a second up has nothing to do, and refresh sees no drift to undo", async () => {
    expect((await stack.previewEvents()).changes).toEqual({ same: 5 });
    await stack.refresh();
    expect((await stack.previewEvents()).changes).toEqual({ same: 5 });
    expect(Object.keys(await esJson(dest.url, "GET", "/_alias/orders"))).toEqual(["orders-v2"]);
  });

  it("the next up copies only the delta and finishes only that index", async () => {
    await seed("events", 200, 25);
    const preview = await stack.previewEvents();
    expect(messages(preview).join("\n")).toContain(
      "reindex events -> events: 25 document(s) waiting at the source in the window from 199 minus 5m: 25 new, 0 changed",
    );
    expect(changedSteps(preview)).toEqual(["cm-events: update"]);
    // Only the waiting documents, by the model fitted on the first run.
    const said = messages(preview).join("\n");
    expect(said).toMatch(
      /estimate events -> events: 25 document\(s\) \([\d.]+ KB\) to copy, about [\d.]+s at [\d,]+ docs\/s plus [\d.]+s fixed \(fitted on this index's 1 run\(s\)\); running total for these clusters: 1 index, 25 document\(s\)/,
    );
    expect(said).not.toMatch(/estimate articles/);
    const up = await stack.upEvents();
    expect(changedSteps(up)).toEqual(["cm-events: update"]);
    const lines = messages(up);
    expect(lines.some((l) => /finish events on destination .*settings restored, 225 document\(s\)/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("finish articles on destination"))).toBe(false);
    expect(await countDocs(dest.url, "events")).toBe(225);
    const rows = ((await stack.outputs()) as any).summary.rows;
    expect(rows.find((r: any) => r.index === "events")).toMatchObject({
      created: 25,
      destCount: 225,
      verified: true,
      watermark: 224,
    });
  });
});
