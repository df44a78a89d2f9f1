// ClusterMigration with `groups` through the real Pulumi CLI (ES 7.10 -> OpenSearch 2.19): the indices registered as
// three MigratedIndexGroup resources instead of one MigratedIndex each. What a user sees must not get poorer: every
// index and its documents in the preview, its estimate, what waits; up copies, verifies, finishes and cuts the alias
// over; a delta updates only the group that holds it and only its index inside it; a changed group count is refused;
// an index left out is deleted as a MigratedIndex would be; destroy refuses while protection is on, deleting nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupOf, loadMember } from "../../provider/migrated-index/group-members";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import { changedSteps, createStack, messages, type TestStack } from "../world/pulumi";

const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const GROUPS = 3;

const program = `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const cm = new ClusterMigration("cm", {
  source: { url: cfg.require("src"), username: "reader", password: cfg.requireSecret("password") },
  destination: { url: cfg.require("dest") },
  exclude: JSON.parse(cfg.get("exclude") || "[]"),
  defaults: { mode: { type: "incremental", field: "ts" }, deletionProtection: cfg.getBoolean("protect") ?? false },
  overrides: { orders: { destIndex: "orders-v2", alias: "orders" } },
  concurrency: 2,
  groups: cfg.getNumber("groups") ?? ${GROUPS},
});
exports.indices = cm.indices;
exports.summary = cm.summary;
`;

let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;
const INDICES = { articles: 300, events: 200, orders: 100 };
const groupName = (index: string) => `cm-group-${groupOf(index, GROUPS)}`;
const GROUP_TYPE = "pulumi-nodejs:dynamic/es-migrate:MigratedIndexGroup";

async function seed(index: string, from: number, count: number): Promise<void> {
  await seedDocuments(source.url, index, { startId: from, count, idPrefix: `${index}-`, doc: (n) => ({ n, ts: n }) });
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  for (const [index, count] of Object.entries(INDICES)) {
    await esJson(source.url, "PUT", `/${index}`, {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { n: { type: "long" }, ts: { type: "long" } } },
    });
    await seed(index, 0, count);
  }
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

describe("ClusterMigration with groups", () => {
  it("the test's indices are spread over more than one group (else it would prove little)", () => {
    expect(new Set(Object.keys(INDICES).map(groupName)).size).toBeGreaterThan(1);
  });

  it("preview registers one resource per group and still tells every index, its documents and estimate", async () => {
    const preview = await stack.previewEvents();
    const said = messages(preview).join("\n");
    expect(said).toContain(
      'ClusterMigration "cm": 3 indices, 600 documents at the source: articles (300), events (200), orders -> orders-v2 (100); all new at the destination: 600 documents to copy',
    );
    const groups = Array.from({ length: GROUPS }, (_, k) => `cm-group-${k}`);
    expect(changedSteps(preview).sort()).toEqual(["cm: create", ...groups.map((g) => `${g}: create`)].sort());
    expect(preview.steps.filter((s) => s.name.startsWith("cm-group-")).every((s) => s.type === GROUP_TYPE)).toBe(true);
    for (const [index, docs] of Object.entries(INDICES)) {
      const destIndex = index === "orders" ? "orders-v2" : index;
      expect(said).toMatch(
        new RegExp(
          `estimate ${index} -> ${destIndex}: ${docs} document\\(s\\) \\([\\d.]+ KB\\) to copy, about [\\d.]+s at [\\d,]+ docs/s plus [\\d.]+s fixed \\(the default model`,
        ),
      );
    }
  });

  it("up copies every index, verifies, finishes and cuts the alias over; nothing secret in the state", async () => {
    await stack.up();
    for (const [index, count] of Object.entries(INDICES)) {
      const destIndex = index === "orders" ? "orders-v2" : index;
      expect(await readIds(dest.url, destIndex)).toEqual(await readIds(source.url, index));
      expect(await countDocs(dest.url, destIndex)).toBe(count);
    }
    expect(Object.keys(await esJson(dest.url, "GET", "/_alias/orders"))).toEqual(["orders-v2"]);
    const out = (await stack.outputs()) as any;
    expect(out.summary.totals).toMatchObject({
      indices: 3,
      sourceCount: 600,
      destCount: 600,
      created: 600,
      verified: true,
    });
    expect(out.summary.rows.map((r: any) => r.index).sort()).toEqual(Object.keys(INDICES));
    const state = await stack.exportState();
    const group = state.deployment.resources.find(
      (r: any) => r.type === GROUP_TYPE && r.urn.endsWith(`::${groupName("events")}`),
    );
    expect(Object.keys(group.outputs.members)).toContain("events");
    // Each index's record is stored as its JSON text (one protobuf string instead of hundreds of values).
    expect(typeof group.outputs.members.events).toBe("string");
    expect(loadMember(group.outputs.members.events).copyState!.verification).toMatchObject({ level: "ids" });
    expect(await stack.stateText()).not.toContain(PASSWORD);
  });

  it("a preview with nothing new plans nothing, and refresh keeps it so", async () => {
    expect((await stack.previewEvents()).changes).toEqual({ same: 2 + GROUPS });
    await stack.refresh();
    expect((await stack.previewEvents()).changes).toEqual({ same: 2 + GROUPS });
  });

  it("a delta updates the one group that holds it, and only that index inside it", async () => {
    await seed("events", 200, 25);
    const preview = await stack.previewEvents();
    expect(messages(preview).join("\n")).toContain(
      "reindex events -> events: 25 document(s) waiting at the source in the window from 199 minus 5m: 25 new, 0 changed",
    );
    expect(changedSteps(preview)).toEqual([`${groupName("events")}: update`]);
    const up = await stack.upEvents();
    expect(changedSteps(up)).toEqual([`${groupName("events")}: update`]);
    const lines = messages(up);
    expect(lines.some((l) => /finish events on destination .*settings restored, 225 document\(s\)/.test(l))).toBe(true);
    // orders shares the group with events (the check above) but had nothing waiting: not run again.
    expect(groupName("orders")).toBe(groupName("events"));
    expect(
      lines.some(
        (l) => l.includes("finish orders-v2 on destination") || l.includes("reindex orders -> orders-v2: run"),
      ),
    ).toBe(false);
    expect(await countDocs(dest.url, "events")).toBe(225);
    const rows = ((await stack.outputs()) as any).summary.rows;
    expect(rows.find((r: any) => r.index === "events")).toMatchObject({
      created: 25,
      destCount: 225,
      verified: true,
      watermark: 224,
    });
  });

  it("another group count is refused at preview, naming the count the stack was registered with", async () => {
    await stack.setConfig("groups", "2");
    const preview = await stack.preview({ check: false });
    await stack.setConfig("groups", String(GROUPS));
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain(
      `was registered as ${GROUPS} group(s); 2 would move indices between groups`,
    );
    expect((await stack.previewEvents()).changes).toEqual({ same: 2 + GROUPS });
  });

  it("an index left out is deleted from its group; destroy under protection deletes nothing", async () => {
    await stack.setConfig("exclude", JSON.stringify(["articles"]));
    const up = await stack.upEvents();
    // The component records its args (exclude changed) as before; of the resources, only the group holding articles.
    expect(changedSteps(up).sort()).toEqual([`${groupName("articles")}: update`, "cm: update"].sort());
    expect(messages(up).join("\n")).toContain(
      "index articles -> articles: no longer in this migration: the up deletes its destination index",
    );
    await expect(esJson(dest.url, "GET", "/articles")).rejects.toMatchObject({ status: 404 });
    const state = await stack.exportState();
    const group = state.deployment.resources.find(
      (r: any) => r.type === GROUP_TYPE && r.urn.endsWith(`::${groupName("articles")}`),
    );
    expect(Object.keys(group.outputs.members)).not.toContain("articles");

    await stack.setConfig("protect", "true");
    await stack.up();
    const destroy = await stack.destroy({ check: false });
    expect(destroy.code).not.toBe(0);
    expect(destroy.stdout + destroy.stderr).toMatch(
      /protected \(deletionProtection is on\): (events, orders-v2|orders-v2, events)\. Nothing was deleted/,
    );
    expect(await countDocs(dest.url, "events")).toBe(225);
    expect(await countDocs(dest.url, "orders-v2")).toBe(100);

    await stack.setConfig("protect", "false");
    await stack.up();
    await stack.destroy();
    expect((await stack.exportState()).deployment.resources ?? []).toEqual([]);
    const left = await esJson(dest.url, "GET", "/_cat/indices?format=json");
    expect(
      left.map((i: any) => i.index).filter((i: string) => ["events", "orders-v2", "articles"].includes(i)),
    ).toEqual([]);
    expect(await countDocs(source.url, "events")).toBe(225);
  });
});
