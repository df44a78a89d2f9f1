// Reindex through the real Pulumi CLI: a program with one incremental Reindex from an Elasticsearch 7.10 source into
// an OpenSearch 2.19 destination. What a user sees: the preview's count of waiting documents, `up` copying only
// those, a quiet preview afterwards, an interrupted `up` picked up by the next one, and no secret in the state.
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { startEngine } from "../world/engines";
import { countDocs, seedDocuments } from "../world/fixtures";
import { createStack, messages, opOf, type TestStack } from "../world/pulumi";

type Engine = Awaited<ReturnType<typeof startEngine>>;
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;

const program = `
const pulumi = require("@pulumi/pulumi");
const { Reindex } = require("pulumi-es-migrate/provider");
const cfg = new pulumi.Config();
const copy = new Reindex("copy", {
  cluster: { url: cfg.require("dest") },
  destIndex: cfg.require("destIndex"),
  source: { index: "events", remote: { host: cfg.require("src"), username: "reader", password: cfg.requireSecret("password") } },
  mode: { type: "incremental", field: "ts" },
  requestsPerSecond: cfg.getNumber("rps"),
});
exports.created = copy.created;
exports.updated = copy.updated;
exports.watermark = copy.watermark;
exports.taskIds = copy.taskIds;
`;

let source: Engine;
let dest: Engine;
let src: Cluster;
let stack: TestStack;

async function seed(from: number, to: number, ts?: number): Promise<void> {
  await seedDocuments(source.url, "events", {
    startId: from,
    count: to - from,
    idPrefix: "e",
    doc: (i) => ({ n: i, ts: ts ?? i }),
  });
}

async function count(index: string): Promise<number> {
  return countDocs(dest.url, index);
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  src = connect({ url: source.url }, "source");
  await src.request({
    method: "PUT",
    path: "/events",
    body: {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { n: { type: "long" }, ts: { type: "long" } } },
    },
  });
  await seed(0, 5000);
  stack = await createStack({
    program,
    config: { dest: dest.url, src: source.url, destIndex: "events", password: { secret: PASSWORD } },
  });
});

afterAll(async () => {
  await stack?.remove();
  await src?.close();
  await dest?.stop();
  await source?.stop();
});

describe("Reindex with the Pulumi CLI", () => {
  it("up copies everything, prints its progress, and keeps the password out of the state", async () => {
    const up = await stack.upEvents();
    expect(up.changes).toEqual({ create: 2 });
    const lines = messages(up).join("\n");
    expect(lines).toMatch(/reindex events -> events: started 1 task\(s\)/);
    expect(lines).toMatch(/verified \(ids\): 5,000 document\(s\) at the source, 5,000 at the destination/);
    expect(await stack.outputs()).toMatchObject({ created: 5000, watermark: 4999 });
    expect(await count("events")).toBe(5000);
    expect(await stack.stateText()).not.toContain(PASSWORD);
  });

  it("preview counts the documents waiting; up copies only those; the next preview has nothing to do", async () => {
    await seed(5000, 5040); // 40 new
    await seed(100, 110, 9000); // 10 updated past the watermark
    const preview = await stack.previewEvents();
    expect(messages(preview, "info")).toContain(
      "reindex events -> events: 50 document(s) waiting at the source in the window from 4999 minus 5m: 40 new, 10 changed",
    );
    expect(opOf(preview, "copy")).toBe("update");

    await stack.up();
    // The task's own counts: 40 created, 10 updated. The window (ts from 4999 - 300000, in milliseconds for a numeric
    // field) holds every document; those the destination holds in the same version are skipped (external versions).
    expect(await stack.outputs()).toMatchObject({ created: 40, updated: 10, watermark: 9000 });
    expect(await count("events")).toBe(5040);
    expect((await stack.previewEvents()).changes).toEqual({ same: 2 });
  });

  it("an up killed mid-copy is picked up by the next up, which attaches to the running task", async () => {
    await stack.destroy();
    expect(await count("events")).toBe(5040); // destroy never deletes copied data
    await stack.setConfig("destIndex", "events-again");
    await stack.setConfig("rps", "500");
    const first = stack.start(["up", "--yes", "--skip-preview", "--non-interactive"]);
    await first.waitForOutput(/started 1 task\(s\): (\S+)/, 120_000);
    const taskId = /started 1 task\(s\): (\S+)/.exec(first.output())![1];
    first.signal("SIGKILL");
    await first.result;
    // A killed CLI leaves the file backend's lock behind (Ctrl-C twice in a terminal would not).
    const lockDir = `${stack.stateDir}/.pulumi/locks`;
    await rm(lockDir, { recursive: true, force: true });

    const { stdout } = await stack.up();
    expect(stdout).toContain(`attaching to the reindex task(s) already running into events-again: ${taskId}`);
    expect(await stack.outputs()).toMatchObject({ taskIds: [taskId] });
    expect(await count("events-again")).toBe(5040);
  });
});
