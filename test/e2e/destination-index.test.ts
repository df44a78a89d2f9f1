// DestinationIndex through the real Pulumi CLI: one program with two indices copied from an Elasticsearch 7.10
// source, one into OpenSearch 2.19 and one into the source's own cluster (another name, as an ES 7.10 destination).
// What a user sees: the create, a replica change and a new field updated in place, drift reported by refresh, a
// shard-count change previewed as a replacement with its reason, deletion protection holding on up and destroy,
// and with protection off a replacement and a destroy that delete only the destination indices. The connections
// carry a password (a config secret) that must appear nowhere in the state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, seedDocuments } from "../world/fixtures";
import { createStack, type TestStack } from "../world/pulumi";

const TYPE = "pulumi-nodejs:dynamic/es-migrate:DestinationIndex";
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;

// Config: os, src (URLs), password (secret), and what the steps change: shards, replicas, addField, protect.
const program = `
const pulumi = require("@pulumi/pulumi");
const { DestinationIndex } = require("pulumi-es-migrate/provider");
const cfg = new pulumi.Config();
const password = cfg.requireSecret("password");
const source = { url: cfg.require("src"), username: "migrator", password };
const settings = {};
if (cfg.get("shards")) settings.number_of_shards = cfg.requireNumber("shards");
if (cfg.get("replicas")) settings.number_of_replicas = cfg.requireNumber("replicas");
const mappings = cfg.getBoolean("addField") ? { properties: { views: { type: "long" } } } : undefined;
const deletionProtection = cfg.getBoolean("protect") ?? true;

const os = new DestinationIndex("os-articles", {
  cluster: { url: cfg.require("os"), username: "migrator", password },
  index: "articles",
  copyFrom: { cluster: source, index: "articles" },
  settings, mappings, deletionProtection,
});
// Into the source's own cluster under another name, created with its final settings (no load settings).
const es = new DestinationIndex("es-articles", {
  cluster: source,
  index: "articles-copy",
  copyFrom: { cluster: source, index: "articles" },
  loadSettings: {},
  settings, mappings, deletionProtection,
});
exports.osUuid = os.uuid;
exports.esUuid = es.uuid;
exports.osFinal = os.finalSettings;
`;

const SOURCE_INDEX = {
  settings: { number_of_shards: 2, number_of_replicas: 0, refresh_interval: "30s", max_result_window: 20000 },
  mappings: { properties: { title: { type: "text" }, ts: { type: "date" } } },
};

let source: EngineNode;
let dest: EngineNode;
let src: Cluster;
let os: Cluster;
let stack: TestStack;

async function live(
  c: Cluster,
  index: string,
): Promise<{ settings: Record<string, any>; mappings: Record<string, any> }> {
  const res = await c.request<any>({
    method: "GET",
    path: `/${index}`,
    querystring: { flat_settings: true },
    ignore: [404],
  });
  return res?.[index];
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x" });
  src = connect({ url: source.url }, "source");
  os = connect({ url: dest.url }, "destination");
  await src.request({ method: "PUT", path: "/articles", body: SOURCE_INDEX });
  await seedDocuments(source.url, "articles", { count: 20, doc: (n) => ({ title: `t${n}`, ts: n }) });
  stack = await createStack({ program, config: { os: dest.url, src: source.url, password: { secret: PASSWORD } } });
});

afterAll(async () => {
  await stack?.remove();
  await src?.close();
  await os?.close();
  await dest?.stop();
  await source?.stop();
});

describe("DestinationIndex with the Pulumi CLI", () => {
  let osUuid: string;
  let esUuid: string;

  it("up creates both indices from the ES 7.10 source, and the state holds no password", async () => {
    const up = await stack.upEvents();
    expect(up.changes).toEqual({ create: 3 });
    const out = await stack.outputs();
    osUuid = out.osUuid as string;
    esUuid = out.esUuid as string;

    const intoOs = await live(os, "articles");
    expect(intoOs.settings["index.uuid"]).toBe(osUuid);
    expect(intoOs.settings["index.number_of_shards"]).toBe("2");
    expect(intoOs.settings["index.refresh_interval"]).toBe("-1"); // load settings while the data comes
    expect(intoOs.mappings.properties).toEqual(SOURCE_INDEX.mappings.properties);
    expect(out.osFinal).toEqual({ "index.number_of_replicas": "0", "index.refresh_interval": "30s" });
    const intoEs = await live(src, "articles-copy");
    expect(intoEs.settings["index.uuid"]).toBe(esUuid);
    expect(intoEs.settings["index.number_of_shards"]).toBe("2");
    expect(intoEs.settings["index.refresh_interval"]).toBe("30s");

    expect(await stack.stateText()).not.toContain(PASSWORD);
    const resources = (await stack.exportState()).deployment.resources.filter((r: any) => r.type === TYPE);
    expect(resources).toHaveLength(2);
    for (const r of resources) {
      expect(r.inputs.cluster).toHaveProperty("ciphertext");
      expect(r.outputs.cluster).toHaveProperty("ciphertext");
      expect(r.outputs.copyFrom).toHaveProperty("ciphertext");
    }
  });

  it("a replicas change updates in place: same uuid", async () => {
    await stack.setConfig("replicas", "1");
    const preview = await stack.previewEvents();
    expect(preview.changes).toEqual({ same: 1, update: 2 });
    await stack.up();
    const out = await stack.outputs();
    expect(out).toMatchObject({ osUuid, esUuid });
    // Still loading on OpenSearch: the new value is what the migration restores; the ES copy has it live.
    expect(out.osFinal).toMatchObject({ "index.number_of_replicas": "1" });
    expect((await live(src, "articles-copy")).settings["index.number_of_replicas"]).toBe("1");
  });

  it("an added mapping field updates in place: same uuid, the field is live", async () => {
    await stack.setConfig("addField", "true");
    const preview = await stack.previewEvents();
    expect(preview.changes).toEqual({ same: 1, update: 2 });
    await stack.up();
    expect(await stack.outputs()).toMatchObject({ osUuid, esUuid });
    expect((await live(os, "articles")).mappings.properties.views).toEqual({ type: "long" });
    expect((await live(src, "articles-copy")).mappings.properties.views).toEqual({ type: "long" });
  });

  it("refresh reports a setting changed on the node, and the next up puts it back", async () => {
    await os.request({ method: "PUT", path: "/articles/_settings", body: { "index.max_result_window": 5000 } });
    const { stdout } = await stack.refresh();
    expect(stdout).toMatch(/~ {2}pulumi-nodejs:dynamic\/es-migrate:DestinationIndex os-articles updated/);
    expect(stdout).toMatch(/~ 1 updated\s+2 unchanged/);
    // The CLI diffs the refreshed state against the program: the provider's diff names the drifted setting.
    expect(stdout).toContain(
      'DestinationIndex "articles" will be updated in place: index.max_result_window changes from "5000" to "20000"',
    );
    const state = await stack.exportState();
    const rec = state.deployment.resources.find((r: any) => r.urn.endsWith("os-articles"));
    expect(rec.outputs.settings["index.max_result_window"]).toBe("5000");

    expect((await stack.previewEvents()).changes).toEqual({ same: 2, update: 1 });
    await stack.up();
    expect((await live(os, "articles")).settings["index.max_result_window"]).toBe("20000");
  });

  it("a shard-count change previews as a replacement and says why; with protection on, up fails and the index stays", async () => {
    await stack.setConfig("shards", "4");
    const preview = await stack.previewEvents();
    expect(preview.steps.some((s) => s.name === "os-articles" && s.op === "replace" && s.type === TYPE)).toBe(true);
    expect(preview.changes).toMatchObject({ replace: 2 });
    // pulumi.log.warn in the provider's diff has no engine connection there: the SDK prints it to stderr, and the
    // engine shows the line under the stack's diagnostics.
    expect(preview.stdout).toMatch(
      /Diagnostics:[\s\S]*warning: DestinationIndex "articles" will be REPLACED because: index\.number_of_shards changes from "2" to "4"/,
    );
    expect(preview.stdout).toContain(
      "deletionProtection is on, so the replacement will fail and the index stay: set deletionProtection: false and run `pulumi up` first.",
    );

    const up = await stack.up({ check: false });
    expect(up.code).not.toBe(0);
    // The update stops at the first refused delete (either index, in no fixed order).
    expect(up.stdout).toMatch(/error: DestinationIndex "articles(-copy)?" is protected \(deletionProtection is on\)/);
    expect(up.stdout + up.stderr).not.toContain(PASSWORD);
    expect((await live(os, "articles")).settings["index.uuid"]).toBe(osUuid);
    expect((await live(src, "articles-copy")).settings["index.uuid"]).toBe(esUuid);
  });

  it("destroy with protection on fails and leaves the indices", async () => {
    const result = await stack.destroy({ check: false });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("set deletionProtection: false and run `pulumi up` first");
    expect((await live(os, "articles")).settings["index.uuid"]).toBe(osUuid);
    expect((await live(src, "articles-copy")).settings["index.uuid"]).toBe(esUuid);
  });

  it("with protection off, the shard-count change replaces the indices (new uuid, 4 shards)", async () => {
    // Protection is read from the recorded state: turn it off first (with the old shard count), then replace.
    await stack.setConfig("shards", "2");
    await stack.setConfig("protect", "false");
    await stack.up();
    expect(await stack.outputs()).toMatchObject({ osUuid, esUuid });
    await stack.setConfig("shards", "4");
    const replaced = await stack.upEvents();
    expect(replaced.changes).toMatchObject({ replace: 2 });
    const out = await stack.outputs();
    expect(out.osUuid).not.toBe(osUuid);
    expect(out.esUuid).not.toBe(esUuid);
    expect((await live(os, "articles")).settings["index.number_of_shards"]).toBe("4");
    expect((await live(src, "articles-copy")).settings["index.number_of_shards"]).toBe("4");
  });

  it("destroy deletes only the destination indices: the source index and its documents stay", async () => {
    await stack.destroy();
    expect(await live(os, "articles")).toBeUndefined();
    expect(await live(src, "articles-copy")).toBeUndefined();
    expect(await countDocs(source.url, "articles")).toBe(20);
    expect(await stack.stateText()).not.toContain(PASSWORD);
  });
});
