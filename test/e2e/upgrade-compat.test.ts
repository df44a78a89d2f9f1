// State written by the previous release keeps working after an upgrade. Pulumi stores each dynamic resource's
// provider in the state as JavaScript, and `pulumi refresh` and `destroy` run that stored text, not the program's:
// the release before the stable runtime (commit 185f010, package 0.1.0) stored providers that require internal
// files (`pulumi-es-migrate/dist/provider/...`), which this release still exports for them (the compatibility
// entries in package.json). A stack is created with that release's packed package, the program's project is
// upgraded to the working tree's package, and preview, refresh, up and destroy run on it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, seedDocuments } from "../world/fixtures";
import { emptyProject, npmInstall, packCommit, packWorkingTree } from "../world/package";
import { createStack, type TestStack } from "../world/pulumi";

/** The last commit whose providers were serialized with their internal requires. */
const PREVIOUS_RELEASE = "185f010";

let engine: EngineNode;
let project: string;
let stack: TestStack;

/**
 * Each dynamic resource's stored provider text, by resource name, from `pulumi stack export`: in its outputs (what
 * refresh and destroy run) or in its inputs (the program's latest).
 */
async function storedProviders(where: "outputs" | "inputs" = "outputs"): Promise<Record<string, string>> {
  const resources = (await stack.exportState()).deployment.resources ?? [];
  const texts: Record<string, string> = {};
  for (const r of resources)
    if (typeof r[where]?.__provider === "string") texts[r.urn.split("::").pop()] = r[where].__provider;
  return texts;
}

function report(when: string, providers: Record<string, string>): void {
  for (const [name, text] of Object.entries(providers))
    console.log(`${when}: ${name} stores a ${text.length}-byte provider`);
}

const requiresInternalFiles = (text: string) => /require\("pulumi-es-migrate\/dist\//.test(text);

beforeAll(async () => {
  engine = await startEngine({ engine: "opensearch", version: "2.19.x" });
  await seedDocuments(engine.url, "events", { count: 300 });
  project = emptyProject("upgrade");
  npmInstall(project, [packCommit(PREVIOUS_RELEASE)]);
  stack = await createStack({
    program: { dir: path.join(__dirname, "programs", "local-copy") },
    nodeModules: path.join(project, "node_modules"),
    config: { url: engine.url },
  });
});

afterAll(async () => {
  await stack?.remove();
  await engine?.stop();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe(`a stack made with the previous release (${PREVIOUS_RELEASE}), upgraded to this package`, () => {
  it("is deployed by the previous release, which stores providers that require internal files", async () => {
    await stack.up();
    expect(await countDocs(engine.url, "events-copy")).toBe(300);
    const providers = await storedProviders();
    report("previous release", providers);
    expect(Object.keys(providers).sort()).toEqual(["copy", "events-copy"]);
    for (const text of Object.values(providers)) expect(requiresInternalFiles(text)).toBe(true);
  });

  it("after the upgrade: preview, refresh (running the stored providers), up and destroy all work", async () => {
    const packs = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-es-migrate-pack-"));
    try {
      npmInstall(project, [packWorkingTree(packs)]);
    } finally {
      fs.rmSync(packs, { recursive: true, force: true });
    }
    // Nothing changed in the program or the data: the new provider text alone is no change.
    const preview = await stack.previewEvents();
    expect(preview.changes).toEqual({ same: 3 });

    // refresh reads each resource with the provider the state holds: the previous release's text.
    expect(Object.values(await storedProviders()).every(requiresInternalFiles)).toBe(true);
    const refresh = await stack.refreshEvents();
    expect(refresh.changes.delete).toBeUndefined();
    expect(refresh.diagnostics.filter((d) => d.severity === "error")).toEqual([]);

    await seedDocuments(engine.url, "events", { startId: 300, count: 20 });
    // The copy's identity did not change, so up leaves it; the index is still there and holds what was copied.
    await stack.up();
    expect(await countDocs(engine.url, "events-copy")).toBe(300);
    // The inputs now carry this release's small delegate; the outputs keep the stored text until a resource is
    // updated, so the destroy below runs the previous release's text once more.
    const latest = await storedProviders("inputs");
    report("after the upgrade (inputs)", latest);
    for (const text of Object.values(latest))
      expect([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toContain("pulumi-es-migrate/runtime");
    expect(Object.values(await storedProviders()).every(requiresInternalFiles)).toBe(true);

    await stack.destroy();
    expect((await stack.exportState()).deployment.resources ?? []).toEqual([]);
    // deletionProtection is off in the program: destroy deleted the destination index, never the source.
    expect((await esJson(engine.url, "GET", "/_cat/indices?format=json")).map((i: any) => i.index)).not.toContain(
      "events-copy",
    );
    expect(await countDocs(engine.url, "events")).toBe(320);
  });
});
