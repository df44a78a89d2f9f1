// SnapshotMigration through the real Pulumi CLI: Elasticsearch 7.10.2 into OpenSearch 2.19 through a shared `fs`
// repository (one folder in both nodes' path.repo). A 200,000-document index is snapshotted and restored, 5,000
// documents written after the snapshot are found by preview and caught up by the next up (a Reindex window on a
// timestamp field, run as a remote reindex), both sides are read and compared (ids and _source), a preview after that plans nothing, and
// once the cutover is recorded an up leaves what the application wrote at the destination, and destroy (protection
// off) removes the snapshot and both registrations while the source and the live restored index stay.
// A ClusterMigration with method "snapshot" from Elasticsearch 6.8 is refused at preview by the version rule.
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readSources, seedDocuments } from "../world/fixtures";
import { createStack, type TestStack } from "../world/pulumi";

const program = `
const pulumi = require("@pulumi/pulumi");
const { SnapshotMigration } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const m = new SnapshotMigration("big", {
  source: { url: cfg.require("src") },
  destination: { url: cfg.require("dest") },
  sourceRemote: { host: cfg.require("src") },
  repository: { name: "migration", type: "fs", settings: { location: cfg.require("repo") } },
  indices: ["events"],
  catchUp: { field: "ts", lookback: "1m" },
  phase: cfg.get("phase"),
  deletionProtection: cfg.getBoolean("protect"),
});
exports.snapshotName = m.snapshotName;
exports.indexResults = m.indexResults;
exports.durations = m.durations;
exports.verified = m.verified;
`;

const clusterProgram = `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
new ClusterMigration("old", {
  source: { url: cfg.require("src") },
  destination: { url: cfg.require("dest") },
  method: "snapshot",
  snapshot: { repository: { name: "old", type: "fs", settings: { location: cfg.require("repo") } } },
});
`;

const DOCS = 200_000;
const LATER = 5_000;
let repo: string;
let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;

const doc = (ts: number) => (n: number) => ({
  n,
  tenant: `t${n % 13}`,
  msg: `event ${n}`,
  ts: new Date(ts + n).toISOString(),
});

beforeAll(async () => {
  repo = await fs.mkdtemp(path.join(os.tmpdir(), "snapshot-repo-"));
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2", settings: { "path.repo": repo } });
  // The destination may pull from the source: the catch-up runs as a remote reindex (sourceRemote).
  dest = await startEngine({
    engine: "opensearch",
    version: "2.19.x",
    allow: [new URL(source.url).host],
    settings: { "path.repo": repo },
  });
  await esJson(source.url, "PUT", "/events", {
    settings: { number_of_shards: 2, number_of_replicas: 0, refresh_interval: "-1" },
    mappings: {
      properties: { n: { type: "long" }, tenant: { type: "keyword" }, msg: { type: "text" }, ts: { type: "date" } },
    },
  });
  // A day old: before the snapshot's window.
  await seedDocuments(source.url, "events", {
    count: DOCS,
    idPrefix: "e",
    batch: 20_000,
    doc: doc(Date.now() - 86_400_000),
  });
  await esJson(source.url, "PUT", "/events/_settings", { index: { refresh_interval: "1s" } });
  stack = await createStack({ program, config: { src: source.url, dest: dest.url, repo } });
}, 600_000);

afterAll(async () => {
  await stack?.remove();
  await Promise.all([dest?.stop(), source?.stop()]);
  if (repo !== undefined) await fs.rm(repo, { recursive: true, force: true });
});

async function expectSameDocuments(index: string): Promise<number> {
  const [a, b] = await Promise.all([readSources(source.url, index), readSources(dest.url, index)]);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [id, s] of a) expect(b.get(id), id).toEqual(s);
  return a.size;
}

describe("SnapshotMigration with the Pulumi CLI (Elasticsearch 7.10 -> OpenSearch 2.19, fs repository)", () => {
  it("preview says what would happen", async () => {
    const { stdout } = await stack.preview();
    expect(stdout).toMatch(
      /snapshot migration es-migrate-big: snapshot events \(200,000 documents, [\d.]+ MB\) into repository migration \(fs\) at the source, restore at the destination, then catch up what was written since the snapshot began \(ts from its start minus 1m\) and verify \(ids\)/,
    );
    expect(stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/es-migrate:SnapshotMigration\s+big\s+create/);
  });

  it("up snapshots, restores and verifies; load settings are lifted after", async () => {
    await stack.up();
    expect(await countDocs(dest.url, "events")).toBe(DOCS);
    const out = (await stack.outputs()) as any;
    expect(out.snapshotName).toBe("es-migrate-big");
    expect(out.verified).toBe(true);
    expect(out.indexResults).toEqual([
      expect.objectContaining({
        index: "events",
        destIndex: "events",
        restoredCount: DOCS,
        sourceCount: DOCS,
        destCount: DOCS,
        caughtUp: 0,
        verified: true,
      }),
    ]);
    expect(out.indexResults[0].sizeBytes).toBeGreaterThan(1_000_000);
    expect(out.durations.snapshotSeconds).toBeGreaterThan(0);
    expect(out.durations.restoreSeconds).toBeGreaterThan(0);
    const settings = (await esJson(dest.url, "GET", "/events/_settings?flat_settings=true")).events.settings;
    expect(settings["index.number_of_replicas"]).toBe("0"); // the source's
    expect(settings["index.refresh_interval"]).toBe("1s"); // the source's, after the load's -1
    expect(settings["index.version.created"]).toBe("7100299"); // restored, not rewritten
  });

  it("documents written since the snapshot wait at preview and are caught up by the next up", async () => {
    await seedDocuments(source.url, "events", { count: LATER, startId: DOCS, idPrefix: "e", doc: doc(Date.now()) });
    const { stdout } = await stack.preview();
    expect(stdout).toContain(
      `events -> events: ${LATER.toLocaleString("en-US")} document(s) waiting at the source in the window from`,
    );
    expect(stdout).toMatch(/~\s+pulumi-nodejs:dynamic\/es-migrate:SnapshotMigration\s+big\s+update/);
    const { stdout: up } = await stack.up();
    expect(up).toMatch(/reindex events -> events: started 1 task\(s\)/); // the catch-up, pulled by the destination
    expect(await expectSameDocuments("events")).toBe(DOCS + LATER);
    const out = (await stack.outputs()) as any;
    expect(out.indexResults[0]).toMatchObject({
      restoredCount: DOCS,
      sourceCount: DOCS + LATER,
      destCount: DOCS + LATER,
      caughtUp: LATER,
      verified: true,
    });
  });

  it("a preview after that plans nothing", async () => {
    expect((await stack.preview()).stdout).toMatch(/Resources:\s+2 unchanged/);
  });

  it("once cut over, an up leaves the application's writes and copies nothing more; the next preview plans nothing", async () => {
    // The application now writes at the destination (2 new documents, 1 deleted); the frozen source gets 3 late ones.
    const app = { tenant: "app", msg: "written after cutover", ts: new Date().toISOString() };
    const lines: object[] = [
      { index: { _id: "app-1" } },
      { n: -1, ...app },
      { index: { _id: "app-2" } },
      { n: -2, ...app },
      { delete: { _id: "e0" } },
    ];
    await esJson(dest.url, "POST", "/events/_bulk?refresh=true", lines.map((l) => JSON.stringify(l) + "\n").join(""));
    await seedDocuments(source.url, "events", { count: 3, startId: DOCS + LATER, idPrefix: "e", doc: doc(Date.now()) });
    await stack.setConfig("phase", "cutover-done");
    await stack.setConfig("protect", "false");
    const { stdout: up } = await stack.up();
    expect(up).toContain('snapshot migration es-migrate-big: phase "cutover-done": this up records the cutover');
    expect((await stack.outputs()) as any).toMatchObject({ verified: true });
    const mapping = await esJson(dest.url, "GET", "/events/_mapping");
    expect(mapping.events.mappings._meta["pulumi-es-migrate"]).toMatchObject({ by: "phase" });
    expect(await countDocs(dest.url, "events")).toBe(DOCS + LATER - 1 + 2);
    const { stdout } = await stack.preview();
    expect(stdout).toMatch(/snapshot migration es-migrate-big: cut over at \S+: the destination is live/);
    expect(stdout).toMatch(/Resources:\s+2 unchanged/);
  });

  it("destroy removes the snapshot and both registrations; the source and the live restored index stay (protection off)", async () => {
    const indexFiles = async () =>
      (await fs.readdir(repo))
        .filter((f) => /^index-\d+$/.test(f))
        .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
    const latest = async () => JSON.parse(await fs.readFile(path.join(repo, (await indexFiles()).pop()!), "utf8"));
    expect((await latest()).snapshots.map((s: any) => s.name)).toEqual(["es-migrate-big"]);
    await stack.destroy();
    expect(await esJson(source.url, "GET", "/_snapshot")).toEqual({});
    expect(await esJson(dest.url, "GET", "/_snapshot")).toEqual({});
    expect((await latest()).snapshots).toEqual([]);
    expect(await countDocs(source.url, "events")).toBe(DOCS + LATER + 3);
    expect(await countDocs(dest.url, "events")).toBe(DOCS + LATER - 1 + 2);
  });
});

describe("after an interrupted up (a snapshot taken and restored, no state)", () => {
  let resumed: TestStack;
  afterAll(async () => {
    await resumed?.remove();
  });

  it("uses the snapshot and the restored index it finds instead of taking them again; without protection destroy deletes the restored index", async () => {
    const before = await countDocs(source.url, "events");
    // What an up interrupted after the restore leaves: the registrations, the snapshot, the restored index.
    const repository = { type: "fs", settings: { location: path.join(repo, "resume") } };
    await esJson(source.url, "PUT", "/_snapshot/resume", repository);
    await esJson(dest.url, "PUT", "/_snapshot/resume", {
      ...repository,
      settings: { ...repository.settings, readonly: true },
    });
    const taken = (
      await esJson(source.url, "PUT", "/_snapshot/resume/es-migrate-resumed?wait_for_completion=true", {
        indices: "events",
        include_global_state: false,
      })
    ).snapshot;
    await esJson(dest.url, "POST", "/_snapshot/resume/es-migrate-resumed/_restore?wait_for_completion=true", {
      indices: "events",
      rename_pattern: "events",
      rename_replacement: "events-resumed",
      index_settings: { "index.number_of_replicas": 0 },
    });
    resumed = await createStack({
      program: `
const pulumi = require("@pulumi/pulumi");
const { SnapshotMigration } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const m = new SnapshotMigration("resumed", {
  source: { url: cfg.require("src") },
  destination: { url: cfg.require("dest") },
  repository: { name: "resume", type: "fs", settings: { location: cfg.require("repo") } },
  indices: ["events"],
  rename: { pattern: "events", replacement: "events-resumed" },
  deletionProtection: false,
});
exports.startedAt = m.snapshotStartedAt;
exports.indexResults = m.indexResults;
`,
      config: { src: source.url, dest: dest.url, repo: path.join(repo, "resume") },
    });
    const { stdout } = await resumed.up();
    expect(stdout).toContain("snapshot es-migrate-resumed of events: already taken (SUCCESS): restoring from it");
    expect(stdout).toContain("events-resumed already restored (an earlier run)");
    const out = (await resumed.outputs()) as any;
    expect(out.startedAt).toBe(new Date(taken.start_time_in_millis).toISOString());
    expect(out.indexResults[0]).toMatchObject({ destIndex: "events-resumed", destCount: before, verified: true });
    // Without catchUp, new source documents show at preview by count, and up's verification copies them.
    await seedDocuments(source.url, "events", { count: 3, startId: before, idPrefix: "e", doc: doc(Date.now()) });
    expect((await resumed.preview()).stdout).toContain(
      "events -> events-resumed: 3 more document(s) at the source than at the destination",
    );
    await resumed.up();
    expect(((await resumed.outputs()) as any).indexResults[0]).toMatchObject({
      destCount: before + 3,
      verified: true,
    });
    await resumed.destroy();
    expect(
      await esJson(dest.url, "HEAD", "/events-resumed").then(
        () => true,
        () => false,
      ),
    ).toBe(false);
    expect(await countDocs(source.url, "events")).toBe(before + 3);
  });
});

describe('ClusterMigration method: "snapshot" from Elasticsearch 6.8', () => {
  let old: EngineNode;
  let oldStack: TestStack;
  afterAll(async () => {
    await oldStack?.remove();
    await old?.stop();
  });

  it("is refused at preview by the version rule, naming the versions and reindex", async () => {
    old = await startEngine({ engine: "elasticsearch", version: "6.8.23", settings: { "path.repo": repo } });
    await seedDocuments(old.url, "legacy", { count: 10 });
    oldStack = await createStack({ program: clusterProgram, config: { src: old.url, dest: dest.url, repo } });
    const res = await oldStack.preview({ check: false });
    const text = res.stdout + res.stderr;
    expect(res.code).not.toBe(0);
    expect(text).toContain(
      "legacy was created by Elasticsearch 6.8 (index.version.created at the source; the cluster runs Elasticsearch 6.8.23): OpenSearch 2.19",
    );
    expect(text).toContain("restores only indices created by Elasticsearch 7.0 or newer");
    expect(text).toContain('method: "reindex"');
    // Nothing was registered or taken.
    expect(await esJson(old.url, "GET", "/_snapshot")).toEqual({});
  });
});
