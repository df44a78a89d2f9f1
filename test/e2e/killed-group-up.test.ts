// A `pulumi up` of a ClusterMigration with `groups` killed outright (SIGKILL of the CLI) after one index of the group
// had finished and while another still copied. The killed run leaves no record of the group in the state; the index
// that finished wears its final settings, so only what it carries in its mapping's `_meta` (this package's origin)
// tells it from an index someone else made. What a user does is what the CLI says (docs/failures.md): `pulumi cancel`,
// then a plain `pulumi up`, with no program edit (no adoptExisting); that up takes over both indices, finishes the
// job, and the next preview plans nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { esJson, readSources, seedDocuments } from "../world/fixtures";
import { createStack, messages, type TestStack } from "../world/pulumi";

const INDICES = { quick: 50, slow: 3000 };

// The slow index copies at 100 documents a second (about 30 s), so the quick one finishes while it runs.
const program = `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
new ClusterMigration("cm", {
  source: { url: cfg.require("src") },
  destination: { url: cfg.require("dest") },
  defaults: { mode: { type: "incremental", field: "ts" }, verify: "ids", deletionProtection: false },
  overrides: { slow: { requestsPerSecond: 100 } },
  concurrency: 2,
  groups: 1,
});
`;

let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  for (const [index, count] of Object.entries(INDICES)) {
    await esJson(source.url, "PUT", `/${index}`, {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { n: { type: "long" }, ts: { type: "long" } } },
    });
    await seedDocuments(source.url, index, { count, idPrefix: `${index}-`, doc: (n) => ({ n, ts: n }) });
    await esJson(source.url, "POST", `/${index}/_refresh`);
  }
  stack = await createStack({ program, config: { src: source.url, dest: dest.url } });
});

afterAll(async () => {
  await stack?.remove();
  await dest?.stop();
  await source?.stop();
});

describe("a grouped pulumi up killed outright", () => {
  it("is recovered by pulumi cancel and a plain up, with no program edit: both indices taken over, the job finished, the next preview plans nothing", async () => {
    const first = stack.start(["up", "--yes", "--skip-preview", "--non-interactive", "--color", "never"]);
    await first.waitForOutput(/finish quick on .*: settings restored/, 300_000);
    expect(first.output()).not.toMatch(/finish slow on .*: settings restored/);
    first.signal("SIGKILL", { cliOnly: true });
    await first.result;

    const locked = await stack.up({ check: false });
    expect(locked.stderr).toContain("delete the lock file with `pulumi cancel`");
    await stack.run(["cancel", "--yes"]);

    const next = await stack.upEvents();
    const lines = messages(next).join("\n");
    console.log(`the up after the kill: ${JSON.stringify(next.changes)}\n${messages(next, "warning").join("\n")}`);
    expect(lines).toMatch(
      /Attempting to deploy or update resources with \d+ pending operations from previous deployment/,
    );
    // The finished index: its origin in _meta, not its settings, says it is this migration's.
    expect(lines).toMatch(/index quick: created by this package at \S+ as the copy of quick .*taken over/);
    expect(lines).not.toContain("already exists");
    for (const index of Object.keys(INDICES)) {
      const [s, d] = await Promise.all([readSources(source.url, index), readSources(dest.url, index)]);
      expect([...d.keys()].sort(), index).toEqual([...s.keys()].sort());
    }

    expect((await stack.previewEvents()).changes).toEqual({ same: 3 });
    await stack.refresh({ args: ["--clear-pending-creates"] });
    expect((await stack.exportState()).deployment.pending_operations ?? []).toEqual([]);
    expect((await stack.previewEvents()).changes).toEqual({ same: 3 });
  });
});
