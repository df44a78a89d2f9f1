// A YAML program migrates one index through the es-migrate provider plugin, under the real CLI and Pulumi's YAML
// language host, from a project without node_modules (as a Python, Go or YAML user's is): the preview lists the
// component and its children (custom resources of the plugin), up copies and finishes, the next preview says how
// many new source documents wait, the next up copies them, and after the cutover is recorded destroy leaves the
// destination's data. The state holds no secret in plain text. One node is source and destination (the client
// transport: no remote-reindex whitelist needed); the copy itself is tested in reindex.test.ts.
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../world/cache";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import { changedSteps, createStack, messages, type TestStack } from "../world/pulumi";
import { ensurePulumiYaml } from "../world/pulumi-yaml";

const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

let node: EngineNode;
let stack: TestStack;

const seed = (from: number, count: number) =>
  seedDocuments(node.url, "orders", { startId: from, count, doc: (n) => ({ n, ts: n }) });

beforeAll(async () => {
  node = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  await esJson(node.url, "PUT", "/orders", {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: { properties: { n: { type: "long" }, ts: { type: "long" } } },
  });
  await seed(0, 100);
  stack = await createStack({
    program: { dir: path.join(__dirname, "programs", "yaml-index-migration") },
    binDir: await ensurePulumiYaml(),
    nodeModules: false,
    config: { cluster: node.url, password: { secret: PASSWORD } },
  });
  await fs.symlink(path.join(repoRoot, "plugin"), path.join(stack.dir, "plugin"));
});

afterAll(async () => {
  await stack?.remove();
  await node?.stop();
});

describe("a YAML program using the es-migrate plugin", () => {
  it("previews the migration as the component and its three children, served by the plugin", async () => {
    const preview = await stack.previewEvents();
    const resources = preview.steps.filter((s) => !s.type.startsWith("pulumi:providers:"));
    expect(resources.map((s) => `${s.name} ${s.type}`).sort()).toEqual([
      "orders es-migrate:index:IndexMigration",
      "orders-copy es-migrate:index:Reindex",
      "orders-finish es-migrate:index:MigrationFinish",
      "orders-index es-migrate:index:DestinationIndex",
      "yaml-index-migration-test pulumi:pulumi:Stack",
    ]);
    expect(preview.changes).toEqual({ create: 5 });
  });

  it("up copies and finishes the index, with the summary as the TypeScript component reports it", async () => {
    await stack.up();
    expect(await readIds(node.url, "orders-v2")).toEqual(await readIds(node.url, "orders"));
    const { summary } = (await stack.outputs()) as { summary: Record<string, unknown> };
    expect(summary).toMatchObject({
      index: "orders",
      destIndex: "orders-v2",
      created: 100,
      destCount: 100,
      verified: true,
    });
    expect((await stack.previewEvents()).changes).toEqual({ same: 5 });
  });

  it("keeps every connection secret in the state, as the TypeScript API does", async () => {
    expect(await stack.stateText()).not.toContain(PASSWORD);
    const resources = (await stack.exportState()).deployment.resources as any[];
    const byType = (type: string) => resources.find((r) => r.type === `es-migrate:index:${type}`);
    for (const [type, keys] of [
      ["DestinationIndex", ["cluster", "copyFrom"]],
      ["Reindex", ["cluster", "source"]],
      ["MigrationFinish", ["cluster"]],
    ] as const) {
      for (const key of keys) {
        expect(byType(type).inputs[key], `${type} input ${key}`).toMatchObject(SECRET_SIG);
        expect(byType(type).outputs[key], `${type} output ${key}`).toMatchObject(SECRET_SIG);
      }
    }
  });

  it("the next preview says how many new source documents wait, and the next up copies only them", async () => {
    await seed(100, 25);
    const preview = await stack.previewEvents();
    expect(messages(preview).join("\n")).toContain("reindex orders -> orders-v2: 25 document(s) waiting at the source");
    expect(changedSteps(preview)).toContain("orders-copy: update");
    await stack.up();
    expect(await countDocs(node.url, "orders-v2")).toBe(125);
    const { summary } = (await stack.outputs()) as { summary: Record<string, unknown> };
    expect(summary).toMatchObject({ created: 25, destCount: 125, verified: true, watermark: 124 });
  });

  it("after the cutover is recorded, destroy leaves the destination index and its documents", async () => {
    await stack.setConfig("phase", "cutover-done");
    await stack.up();
    const destroy = await stack.destroyEvents();
    expect(destroy.changes).toMatchObject({ delete: 5 });
    expect(await countDocs(node.url, "orders-v2")).toBe(125);
    expect(await stack.stateText()).not.toContain(PASSWORD);
  });
});
