// The demo's flow as a test, with the real Pulumi CLI running the local example (a ClusterMigration) between a real
// Elasticsearch 7.10.2 source and a real OpenSearch 2.19 destination: counts and ID sets after a full and an
// incremental up, an up interrupted by Ctrl-C mid-copy and resumed, refresh showing drift, destroy with and
// without deletion protection, and no password in plain text anywhere. Smaller data than `npm run demo`.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS, reindexStates, timedRun, waitingTotal } from "../../scripts/demo/cli";
import { compareIndices, snapshotIds, userIndices, type IndexComparison } from "../../scripts/demo/compare";
import { demoIndexPlan, seedSource, writeSecondWave, SYSTEM_INDEX } from "../../scripts/demo/data";
import { createLocalStack, startClusters, type EngineNode, type LocalConfig } from "../../scripts/demo/world";
import { countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import type { PulumiResult, TestStack } from "../world/pulumi";

const PLAN = demoIndexPlan(20_000);
const NAMES = PLAN.map((p) => p.name);
const SOURCE_PASSWORD = `src-${randomBytes(8).toString("hex")}`;
const DEST_PASSWORD = `dst-${randomBytes(8).toString("hex")}`;
const WAVE = { added: 200, updated: 50 };

// The index the interrupted up copies: slow enough (throttled, 3 partitions) to be signalled mid-copy.
const SLOW = { index: "slow-events", docs: 9_000, partitions: 3, requestsPerSecond: 500 };

let source: EngineNode;
let destination: EngineNode;
let stack: TestStack;
let slowStack: TestStack | undefined;
let sourceBefore: Map<string, string[]>;
// Every CLI output of the file, checked for the passwords at the end.
const outputs: string[] = [];

function record(r: PulumiResult): PulumiResult {
  outputs.push(r.stdout, r.stderr);
  return r;
}

async function run(s: TestStack, args: string[], check = true): Promise<PulumiResult> {
  return record((await timedRun(s, args, { check })).result);
}

function equalRows(
  rows: IndexComparison[],
): Array<Pick<IndexComparison, "index" | "missing" | "extra"> & { counts: string }> {
  return rows.map((r) => ({
    index: r.index,
    counts: `${r.sourceCount}/${r.destCount}`,
    missing: r.missing,
    extra: r.extra,
  }));
}

function expectSameDocuments(rows: IndexComparison[]): void {
  expect(equalRows(rows)).toEqual(
    rows.map((r) => ({ index: r.index, counts: `${r.sourceCount}/${r.sourceCount}`, missing: [], extra: [] })),
  );
}

function config(extra: Partial<LocalConfig> = {}): LocalConfig {
  return {
    sourceUrl: source.url,
    destinationUrl: destination.url,
    sourceUsername: "reader",
    sourcePassword: SOURCE_PASSWORD,
    destinationUsername: "writer",
    destinationPassword: DEST_PASSWORD,
    mode: "incremental",
    incrementalField: "update_time",
    partitions: 2,
    ...extra,
  };
}

beforeAll(async () => {
  ({ source, destination } = await startClusters());
  await seedSource(source.url, PLAN);
  // The slow index: its own stack interrupts it; the main stack leaves it out.
  await esJson(source.url, "PUT", `/${SLOW.index}`, {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: { properties: { n: { type: "long" }, update_time: { type: "date" } } },
  });
  await seedDocuments(source.url, SLOW.index, {
    count: SLOW.docs,
    idPrefix: "s",
    doc: (n) => ({ n, update_time: Date.UTC(2024, 0, 1) + n * 1000 }),
  });
  stack = await createLocalStack(config({ exclude: [`${SLOW.index}*`] }));
});

afterAll(async () => {
  await stack?.remove();
  await slowStack?.remove();
  await destination?.stop();
  await source?.stop();
});

describe("the local example (ClusterMigration) with the real Pulumi CLI", () => {
  it("preview plans every index and skips the system one; up copies all documents, ID for ID", async () => {
    sourceBefore = await snapshotIds(source.url);
    const preview = await run(stack, COMMANDS.preview);
    for (const name of NAMES) expect(preview.stdout).toContain(`local-${name}`);
    expect(preview.stdout).toContain(SYSTEM_INDEX);
    expect(preview.stdout).not.toMatch(new RegExp(`local-${SYSTEM_INDEX.replace(".", "\\.")}`));

    await run(stack, COMMANDS.up);
    expectSameDocuments(await compareIndices(source.url, destination.url, NAMES));
    expect(await userIndices(destination.url)).toEqual([...NAMES].sort());
    // The 6.x-style index arrives typeless (OpenSearch 2 has no mapping types).
    const mapping = await esJson(destination.url, "GET", "/catalog/_mapping");
    // (Beside its fields, only the origin this package writes into `_meta`: which source index it is the copy of.)
    expect(Object.keys(mapping.catalog.mappings).sort()).toEqual(["_meta", "properties"]);
    expect(mapping.catalog.mappings._meta["pulumi-es-migrate"]).toMatchObject({ copyOf: "catalog" });
    const out = await stack.outputs();
    expect(out.skipped).toEqual([{ index: SYSTEM_INDEX, reason: "system" }]);
    expect((out.summary as any).totals).toMatchObject({
      indices: NAMES.length,
      sourceCount: 20_000,
      destCount: 20_000,
      verified: true,
    });
  });

  it("after more writes, preview counts the documents waiting and up copies only those", async () => {
    await writeSecondWave(source.url, PLAN, WAVE);
    const preview = await run(stack, COMMANDS.preview);
    expect(waitingTotal(preview.stdout)).toBe(NAMES.length * (WAVE.added + WAVE.updated));

    await run(stack, COMMANDS.up);
    const copies = await reindexStates(stack);
    expect(
      copies
        .map((c) => ({ index: c.destIndex, created: c.created, updated: c.updated }))
        .sort((a, b) => (a.index < b.index ? -1 : 1)),
    ).toEqual(
      // Exactly the documents written again: the rest of the look-back window is at the destination in the same
      // version already (external versioning skips it as a version conflict).
      [...NAMES].sort().map((index) => ({ index, created: WAVE.added, updated: WAVE.updated })),
    );
    expectSameDocuments(await compareIndices(source.url, destination.url, NAMES));
    expect((await run(stack, COMMANDS.preview)).stdout).not.toMatch(/to update|to create/);
  });

  it("Ctrl-C during a partitioned copy, then up again: it completes with one task per partition", async () => {
    slowStack = await createLocalStack(
      config({
        include: [SLOW.index],
        partitions: SLOW.partitions,
        requestsPerSecond: SLOW.requestsPerSecond,
        mode: "full",
      }),
    );
    const up = slowStack.start(COMMANDS.up);
    await up.waitForOutput(new RegExp(`started ${SLOW.partitions} task\\(s\\)`), 240_000);
    const copiedWhenSignalled = await countDocs(destination.url, SLOW.index);
    up.signal("SIGINT");
    const interrupted = record(await up.result);
    expect(copiedWhenSignalled).toBeLessThan(SLOW.docs);
    expect(interrupted.stdout + interrupted.stderr).toMatch(/cancel/i);

    await run(slowStack, COMMANDS.up);
    const [copy] = await reindexStates(slowStack);
    expect(copy.taskIds).toHaveLength(SLOW.partitions);
    // The destination's own record of the reindex tasks run into the index: one per partition, none started twice.
    const tasks = await esJson(destination.url, "POST", "/.tasks/_search", { size: 100, query: { match_all: {} } });
    const into = tasks.hits.hits
      .map((h: any) => h._source.task)
      .filter((t: any) => String(t.description).includes(`to [${SLOW.index}]`));
    expect(into.map((t: any) => `${t.node}:${t.id}`).sort()).toEqual([...copy.taskIds].sort());
    expect([...(await readIds(destination.url, SLOW.index))].sort()).toEqual(
      [...(await readIds(source.url, SLOW.index))].sort(),
    );
  });

  it("refresh shows a destination setting someone changed by hand", async () => {
    await esJson(destination.url, "PUT", "/orders/_settings", { index: { refresh_interval: "42s" } });
    const refresh = await run(stack, COMMANDS.refresh);
    expect(refresh.stdout).toMatch(/~\s+\d+ updated/);
    expect(refresh.stdout).toMatch(/orders/);
    const preview = await run(stack, COMMANDS.preview);
    expect(preview.stdout).toMatch(/~ 1 to update|~ \d+ to update/);
  });

  it("destroy with deletion protection refuses and deletes nothing; without it deletes the destination indices only", async () => {
    const destBefore = await snapshotIds(destination.url);
    const refused = await run(stack, COMMANDS.destroy, false);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/deletionProtection/);
    expect(await snapshotIds(destination.url)).toEqual(destBefore);
    expect(await snapshotIds(source.url)).toEqual(await sourceWithSecondWave());

    await stack.setConfig("deletionProtection", "false");
    await run(stack, COMMANDS.up);
    await run(stack, COMMANDS.destroy);
    expect(await userIndices(destination.url)).toEqual([SLOW.index]);
    expect(await snapshotIds(source.url)).toEqual(await sourceWithSecondWave());
  });

  it("no password appears in plain text in the state, the CLI output or the engines' logs", async () => {
    const texts = [
      ...outputs,
      await stack.stateText(),
      await slowStack!.stateText(),
      readFileSync(source.logFile, "utf8"),
      readFileSync(destination.logFile, "utf8"),
    ];
    expect(texts.join("\n").length).toBeGreaterThan(1000);
    for (const text of texts) {
      expect(text).not.toContain(SOURCE_PASSWORD);
      expect(text).not.toContain(DEST_PASSWORD);
    }
    // The state's history does hold secrets, encrypted (Pulumi's secret signature): the passwords reached the resources.
    expect(await stack.stateText()).toContain("4dabf18193072939515e22adb298388d");
  });
});

/** The source's IDs as they must be after the second wave: the first snapshot plus the added documents. */
async function sourceWithSecondWave(): Promise<Map<string, string[]>> {
  const expected = new Map(sourceBefore);
  for (const p of PLAN) {
    const added = Array.from({ length: WAVE.added }, (_, i) => `${p.name}-${p.docs + i}`);
    expected.set(p.name, [...expected.get(p.name)!, ...added].sort());
  }
  return expected;
}
