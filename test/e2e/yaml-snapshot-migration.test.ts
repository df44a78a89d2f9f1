// A YAML program declares a SnapshotMigration, a resource of the es-migrate plugin, under the real CLI and Pulumi's
// YAML language host, from a project without node_modules: the preview says what the snapshot would move (its name
// derived from the resource's, as the TypeScript class derives it), up snapshots, restores and verifies, the state
// holds the connections and the repository as secrets, and destroy removes the snapshot and both registrations while
// the restored index stays (deletionProtection's default). Two Elasticsearch 7.10.2 nodes share one `fs` repository
// folder, as in snapshot.test.ts; the snapshot itself (catch-up, versions, cutover) is tested there.
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../world/cache";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, EngineHttpError, esJson, seedDocuments } from "../world/fixtures";
import { createStack, messages, type TestStack } from "../world/pulumi";
import { ensurePulumiYaml } from "../world/pulumi-yaml";

const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const DOCS = 100;

let repo: string;
let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;

/** The HTTP status of a request that fails, or 200. */
const statusOf = (url: string, p: string) =>
  esJson(url, "GET", p).then(
    () => 200,
    (e: unknown) => (e instanceof EngineHttpError ? e.status : Promise.reject(e)),
  );

beforeAll(async () => {
  repo = await fs.mkdtemp(path.join(os.tmpdir(), "snapshot-repo-"));
  const node = () => startEngine({ engine: "elasticsearch", version: "7.10.2", settings: { "path.repo": repo } });
  [source, dest] = await Promise.all([node(), node()]);
  await esJson(source.url, "PUT", "/logs", { settings: { number_of_shards: 1, number_of_replicas: 0 } });
  await seedDocuments(source.url, "logs", { count: DOCS, doc: (n) => ({ n }) });
  stack = await createStack({
    program: { dir: path.join(__dirname, "programs", "yaml-snapshot-migration") },
    binDir: await ensurePulumiYaml(),
    nodeModules: false,
    config: { src: source.url, dest: dest.url, repo },
  });
  await fs.symlink(path.join(repoRoot, "plugin"), path.join(stack.dir, "plugin"));
}, 600_000);

afterAll(async () => {
  await stack?.remove();
  await Promise.all([source?.stop(), dest?.stop()]);
  if (repo !== undefined) await fs.rm(repo, { recursive: true, force: true });
});

describe("a YAML program declaring a SnapshotMigration through the es-migrate plugin", () => {
  it("previews it as a resource of the plugin, its snapshot named after the resource", async () => {
    const preview = await stack.previewEvents();
    const steps = preview.steps.filter((s) => !s.type.startsWith("pulumi:"));
    expect(steps.map((s) => `${s.name} ${s.type}`)).toEqual(["logs es-migrate:index:SnapshotMigration"]);
    expect(messages(preview).join("\n")).toMatch(
      /snapshot migration es-migrate-logs: snapshot logs \(100 documents, [\d.]+ MB\) into repository migration \(fs\)/,
    );
  });

  it("up snapshots, restores and verifies, with the outputs the TypeScript resource records", async () => {
    await stack.up();
    expect(await countDocs(dest.url, "logs")).toBe(DOCS);
    const out = (await stack.outputs()) as Record<string, any>;
    expect(out.snapshotName).toBe("es-migrate-logs");
    expect(out.verified).toBe(true);
    expect(out.indexResults).toEqual([
      expect.objectContaining({ index: "logs", destIndex: "logs", restoredCount: DOCS, destCount: DOCS }),
    ]);
    expect((await stack.previewEvents()).changes).toEqual({ same: 2 });
  });

  it("keeps the connections and the repository secret in the state, as the TypeScript class does", async () => {
    const resources = (await stack.exportState()).deployment.resources as any[];
    const migration = resources.find((r) => r.type === "es-migrate:index:SnapshotMigration");
    for (const key of ["source", "destination", "repository"]) {
      expect(migration.inputs[key], `input ${key}`).toMatchObject(SECRET_SIG);
      expect(migration.outputs[key], `output ${key}`).toMatchObject(SECRET_SIG);
    }
  });

  it("destroy removes the snapshot and both registrations, and leaves the restored index", async () => {
    const destroy = await stack.destroyEvents();
    expect(destroy.changes).toMatchObject({ delete: 2 });
    expect(await countDocs(dest.url, "logs")).toBe(DOCS);
    expect(await statusOf(source.url, "/_snapshot/migration")).toBe(404);
    expect(await statusOf(dest.url, "/_snapshot/migration")).toBe(404);
  });
});
