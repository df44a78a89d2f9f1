// Reindex against real engines: a source Elasticsearch 7.10 node and destinations (OpenSearch 2.19, Elasticsearch
// 7.10) with the source in their allow list. Provider methods are called directly (create/diff/update/delete), as
// the Pulumi dynamic provider host calls them. One source and one destination per engine are shared by the file.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { reindexProvider } from "../../provider/reindex/provider";
import { FAILED_DOCUMENTS_INDEX } from "../../provider/reindex/refused";
import { runReindex } from "../../provider/reindex/run";
import { validateInputs } from "../../provider/reindex/validate";
import { startEngine } from "../world/engines";
import { readIds, seedDocuments } from "../world/fixtures";

const BIG = Number(process.env.REINDEX_TEST_DOCS ?? 100_000);
type Engine = Awaited<ReturnType<typeof startEngine>>;

let source: Engine;
let osDest: Engine;
let src: Cluster;
let os: Cluster;
const quiet = { info: () => undefined, warn: () => undefined };
const logged: string[] = [];
const capture = { info: (m: string) => void logged.push(m), warn: (m: string) => void logged.push(`warn: ${m}`) };

/** Documents d<from>..d<to-1>: `n` = i, `ts` = i (a growing number), `tag` missing on every 10th. */
async function seed(
  c: Cluster,
  index: string,
  from: number,
  to: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const url = c === src ? source.url : osDest.url;
  await seedDocuments(url, index, {
    startId: from,
    count: to - from,
    doc: (i) => ({ n: i, ts: i, ...(i % 10 === 0 ? {} : { tag: `t${i % 3}` }), ...extra }),
  });
}

async function ids(c: Cluster, index: string): Promise<Set<string>> {
  return readIds(c === src ? source.url : osDest.url, index);
}

async function fresh(c: Cluster, index: string): Promise<void> {
  await c.request({ method: "DELETE", path: `/${index}`, ignore: [404] });
  await c.request({
    method: "PUT",
    path: `/${index}`,
    body: {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { n: { type: "long" }, ts: { type: "long" }, tag: { type: "keyword" } } },
    },
  });
}

function inputsFor(
  dest: Engine,
  destIndex: string,
  extra: Record<string, unknown> = {},
  sourceExtra: Record<string, unknown> = {},
) {
  const { inputs, failures } = validateInputs({
    cluster: { url: dest.url },
    destIndex,
    source: { index: "big", remote: { host: source.url }, ...sourceExtra },
    ...extra,
  });
  expect(failures).toEqual([]);
  return inputs;
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  osDest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  src = connect({ url: source.url }, "source");
  os = connect({ url: osDest.url }, "destination");
  await fresh(src, "big");
  await seed(src, "big", 0, BIG);
});

afterAll(async () => {
  await src?.close();
  await os?.close();
  await osDest?.stop();
  await source?.stop();
});

describe("Reindex ES 7.10 -> OpenSearch 2.19", () => {
  it(`copies ${BIG} documents: counts and ID sets equal, the started task named in the log`, async () => {
    await fresh(os, "full");
    logged.length = 0;
    const res = await runReindex(inputsFor(osDest, "full"), { log: capture, progressEveryMs: 2000 });
    expect(res).toMatchObject({ status: "complete", created: BIG, sourceCount: BIG, destCount: BIG, failures: [] });
    expect(res.taskIds).toHaveLength(1);
    expect(await ids(os, "full")).toEqual(await ids(src, "big"));
    expect(logged.some((l) => /started 1 task/.test(l))).toBe(true);
  });

  it("4 partitions give the same ID set as one task, with 4 tasks", async () => {
    await fresh(os, "parts");
    const res = await runReindex(inputsFor(osDest, "parts", { partitions: { field: "n", count: 4 } }), { log: quiet });
    expect(res.taskIds).toHaveLength(4);
    expect(res.created).toBe(BIG);
    expect(await ids(os, "parts")).toEqual(await ids(os, "full"));
  });

  it("partitions without a count: as many as the destination's write threads call for, of equal depth on a skewed date field, and kept by later runs", async () => {
    // 2,000 documents: 200 spread over a year, 1,800 within its last hour; 20 without the field.
    const start = Date.UTC(2025, 0, 1);
    const hour = 3_600_000;
    await src.request({ method: "DELETE", path: "/skewed", ignore: [404] });
    await src.request({
      method: "PUT",
      path: "/skewed",
      body: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: { properties: { at: { type: "date" } } },
      },
    });
    await seedDocuments(source.url, "skewed", {
      count: 2000,
      doc: (i) =>
        i % 100 === 99
          ? { n: i }
          : { n: i, at: new Date(i < 200 ? start + i * 43 * hour : start + 8600 * hour + i * 1000).toISOString() },
    });
    await fresh(os, "skewed");
    const skewed = (extra: Record<string, unknown>) =>
      inputsFor(osDest, "skewed", { partitions: { field: "at" }, ...extra }, { index: "skewed" });
    const res = await runReindex(skewed({}), { log: quiet });
    const count = res.partitionCount!.count;
    expect(res.partitionCount!.reason).toMatch(/write thread/);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(res.partitionStates).toHaveLength(count);
    // Equal width would give the first partition(s) about 200 documents and the last nearly all of the others.
    for (const part of res.partitionStates) expect(Math.abs(part.total - 2000 / count)).toBeLessThan(2000 / count / 3);
    expect(res).toMatchObject({ status: "complete", created: 2000, sourceCount: 2000, destCount: 2000 });
    // A later run keeps the recorded count, whatever the destination has now.
    await fresh(os, "skewed");
    const again = await runReindex(skewed({}), { log: quiet, partitionCount: { count: 3, reason: "kept" } });
    expect(again.partitionStates).toHaveLength(3);
    expect(again.partitionCount).toEqual({ count: 3, reason: "kept" });
    expect(again.destCount).toBe(2000);
  });

  it("missingField copies exactly the documents without the field", async () => {
    await fresh(os, "missing");
    const res = await runReindex(inputsFor(osDest, "missing", { mode: { type: "missingField", field: "tag" } }), {
      log: quiet,
    });
    const expected = [...(await ids(src, "big"))].filter((id) => Number(id.slice(1)) % 10 === 0);
    expect(res.created).toBe(expected.length);
    expect([...(await ids(os, "missing"))].sort()).toEqual(expected.sort());
  });

  it("incremental: diff counts the waiting documents exactly, update copies the window and moves the watermark", async () => {
    await fresh(src, "inc");
    await fresh(os, "inc");
    await seed(src, "inc", 0, 1000);
    // A look-back of 10 in the field's units: the next window starts at 999 - 10.
    const inputs = inputsFor(
      osDest,
      "inc",
      { mode: { type: "incremental", field: "ts", lookback: 10 } },
      { index: "inc" },
    );
    // A new copy's preview estimates the whole source index by the default model.
    const checking = vi.spyOn(console, "log");
    // (check takes the program's raw inputs, as the engine sends them.)
    await reindexProvider.check!(
      {},
      {
        cluster: { url: osDest.url },
        destIndex: "inc",
        source: { index: "inc", remote: { host: source.url } },
        mode: { type: "incremental", field: "ts", lookback: 10 },
      },
    );
    expect(checking.mock.calls.flat().join("\n")).toMatch(
      /estimate inc -> inc: 1,000 document\(s\) \([\d.]+ KB\) to copy, about [\d.]+s at [\d,]+ docs\/s plus [\d.]+s fixed \(the default model: no run yet\)/,
    );
    checking.mockRestore();
    const created = await reindexProvider.create!(inputs);
    expect(created.outs).toMatchObject({ status: "complete", created: 1000, watermark: 999, versioning: "external" });
    // The run is kept for the next estimates: its documents, their bytes and its time.
    expect(created.outs.copyRuns).toEqual([
      { documents: 1000, bytes: expect.any(Number), seconds: created.outs.durationSeconds },
    ]);
    expect(created.outs.verification).toMatchObject({
      level: "ids",
      sourceCount: 1000,
      destCount: 1000,
      missing: 0,
      extra: 0,
    });
    expect(await reindexProvider.diff!(created.id, created.outs, inputs)).toMatchObject({ changes: false });

    await seed(src, "inc", 1000, 1050); // 50 new
    await seed(src, "inc", 990, 1000, { ts: 2000 }); // 10 updated: their ts moves past the watermark
    // The provider's stdout lines are what the Pulumi CLI shows during preview.
    const printed = vi.spyOn(console, "log");
    const diff = await reindexProvider.diff!(created.id, created.outs, inputs);
    expect(diff.changes).toBe(true);
    expect(printed.mock.calls.flat().join("\n")).toContain(
      "reindex inc -> inc: 60 document(s) waiting at the source in the window from 999 minus 10: 50 new, 10 changed",
    );
    // What the waiting documents take, by the model fitted on the first run.
    expect(printed.mock.calls.flat().join("\n")).toMatch(
      /estimate inc -> inc: 60 document\(s\) \([\d.]+ KB\) to copy, about [\d.]+s at [\d,]+ docs\/s plus [\d.]+s fixed \(fitted on this index's 1 run\(s\)\)/,
    );
    printed.mockRestore();

    const updated = await reindexProvider.update!(created.id, created.outs, inputs);
    // The window (ts >= 989) holds the 60 waiting and document 989, which the destination already has (a conflict).
    expect(updated.outs).toMatchObject({ created: 50, updated: 10, versionConflicts: 1, watermark: 2000 });
    expect(updated.outs.copyRuns.map((r: { documents: number }) => r.documents)).toEqual([1000, 60]);
    expect(await ids(os, "inc")).toEqual(await ids(src, "inc"));
    expect(await reindexProvider.diff!(created.id, updated.outs, inputs)).toMatchObject({ changes: false });
  });

  it("a failed task keeps the resource with what it finished, and the next up completes it (no secret leaks)", async () => {
    await fresh(os, "resume");
    await os.request({ method: "PUT", path: "/resume/_settings", body: { index: { blocks: { write: true } } } });
    const password = "pa55-never-shown";
    const inputs = inputsFor(
      osDest,
      "resume",
      { partitions: { field: "n", count: 2 } },
      { remote: { host: source.url, username: "reader", password } },
    );
    const err: any = await reindexProvider.create!(inputs).catch((e) => e);
    // The dynamic provider host turns an error with id and properties into "created, failed to initialize".
    expect(err.id).toMatch(/^resume-/);
    expect(err.properties).toMatchObject({ status: "failed", destIndex: "resume" });
    expect(err.message).toMatch(/blocked/i);
    expect(err.message).not.toContain(password);
    expect(JSON.stringify(err.properties.failures)).not.toContain(password);
    expect(await reindexProvider.diff!(err.id, err.properties, inputs)).toMatchObject({ changes: true });

    await os.request({ method: "PUT", path: "/resume/_settings", body: { index: { blocks: { write: false } } } });
    const done = await reindexProvider.update!(err.id, err.properties, inputs);
    expect(done.outs).toMatchObject({ status: "complete", sourceCount: BIG, destCount: BIG });
    expect(await ids(os, "resume")).toEqual(await ids(src, "big"));
  });

  it("sets aside the documents the destination refuses, records each with its reason, copies the rest; after the fix the next up copies them and clears the records", async () => {
    await fresh(src, "mixed");
    await fresh(os, "mixed");
    await seed(src, "mixed", 0, 4000);
    // Documents of the last quarter carry a value the destination's mapping refuses.
    await os.request({ method: "PUT", path: "/mixed/_mapping", body: { properties: { bad: { type: "long" } } } });
    await seed(src, "mixed", 3500, 3600, { bad: "not a number" });
    const inputs = inputsFor(osDest, "mixed", { partitions: { field: "n", count: 4 } }, { index: "mixed" });
    const err: any = await reindexProvider.create!(inputs).catch((e) => e);
    const before = err.properties.partitionStates;
    expect(before.map((p: any) => p.done)).toEqual([true, true, true, false]);
    expect(err.message).toMatch(/100 document\(s\) refused by the destination \(100 mapper_parsing_exception\)/);
    expect(err.message).toMatch(/failed to parse/);
    expect(err.properties).toMatchObject({ status: "failed", refusedDocuments: 100 });
    // Everything but the refused documents is there: the last partition went on without them.
    const held = await ids(os, "mixed");
    expect(held.size).toBe(3900);
    for (let i = 3500; i < 3600; i++) expect(held.has(`d${i}`)).toBe(false);
    // Each refused one recorded at the destination, with the engine's reason.
    const records = await os.request<any>({
      method: "POST",
      path: `/${FAILED_DOCUMENTS_INDEX}/_search`,
      body: { size: 1000, query: { term: { index: "mixed" } } },
    });
    const recorded = records.hits.hits.map((h: any) => h._source);
    expect(recorded.map((r: any) => r.id).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `d${3500 + i}`).sort());
    expect(recorded[0]).toMatchObject({ sourceIndex: "mixed", type: "mapper_parsing_exception", status: 400 });
    expect(recorded[0].reason).toMatch(/failed to parse field \[bad\]/);

    // Fixed at the source: the next `up` runs the last partition only.
    await seed(src, "mixed", 3500, 3600);
    const done = await reindexProvider.update!(err.id, err.properties, inputs);
    const after = done.outs.partitionStates;
    expect(after.slice(0, 3).map((p: any) => p.taskId)).toEqual(before.slice(0, 3).map((p: any) => p.taskId));
    expect(after[3].taskId).not.toBe(before[3].taskId);
    expect(done.outs).toMatchObject({ status: "complete", sourceCount: 4000, destCount: 4000 });
    expect(done.outs.refusedDocuments).toBeUndefined();
    const left = await os.request<any>({
      method: "POST",
      path: `/${FAILED_DOCUMENTS_INDEX}/_count`,
      body: { query: { term: { index: "mixed" } } },
    });
    expect(left.count).toBe(0);
  });

  it("reports documents deleted at the source instead of hiding the drift", async () => {
    await fresh(src, "drift");
    await fresh(os, "drift");
    await seed(src, "drift", 0, 100);
    const inputs = inputsFor(osDest, "drift", {}, { index: "drift" });
    await runReindex(inputs, { log: quiet });
    await src.request({
      method: "POST",
      path: "/drift/_delete_by_query",
      querystring: { refresh: true },
      body: { query: { range: { n: { lt: 5 } } } },
    });
    logged.length = 0;
    const res = await runReindex(inputs, { log: capture });
    expect(res).toMatchObject({ sourceCount: 95, destCount: 100, extraInDestination: 5 });
    expect(res.verification).toMatchObject({
      level: "ids",
      extra: 5,
      extraKept: 5,
      firstIds: { extra: expect.arrayContaining(["d0", "d4"]) },
    });
    expect(
      logged.some((l) =>
        /warn: .*the destination holds 5 documents that no longer exist at the source .*deletes: "reconcile" removes them/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it("check refuses a source the destination does not allow, naming the setting", async () => {
    const res = await reindexProvider.check!(
      {},
      {
        cluster: { url: osDest.url },
        destIndex: "x",
        source: { index: "big", remote: { host: "http://localhost:" + new URL(source.url).port } },
      },
    );
    expect(res.failures?.[0]?.reason).toMatch(/localhost:\d+ is not in reindex\.remote\.allowlist/);
  });

  it("check refuses partitions on a keyword field and an incremental field the source does not have", async () => {
    const res = await reindexProvider.check!(
      {},
      {
        cluster: { url: osDest.url },
        destIndex: "x",
        source: { index: "big", remote: { host: source.url } },
        partitions: { field: "tag", count: 2 },
        mode: { type: "incremental", field: "updated_at" },
      },
    );
    const reasons = res.failures?.map((f) => f.reason).join("\n");
    expect(reasons).toMatch(/partitions.field "tag" is keyword in big: ranges need a numeric or date field/);
    expect(reasons).toMatch(/mode.field "updated_at" is not in the mapping of the source index big/);
  });

  it("check refuses a newer source than the destination", async () => {
    const res = await reindexProvider.check!(
      {},
      { cluster: { url: source.url }, destIndex: "x", source: { index: "big", remote: { host: osDest.url } } },
    );
    expect(res.failures?.map((f) => f.reason).join("\n")).toMatch(
      /source runs OpenSearch 2\.19\.\d+, newer than the destination's Elasticsearch 7\.10\.2/,
    );
  });

  it("an interrupted run is attached to: only one task runs", async () => {
    await fresh(os, "attach");
    const inputs = inputsFor(osDest, "attach", { requestsPerSecond: Math.max(1000, BIG / 8) });
    // The first `up` starts the task and dies (as on Ctrl-C); the second finds the task and waits for it.
    const { task } = await os.request<any>({
      method: "POST",
      path: "/_reindex",
      querystring: { wait_for_completion: false, requests_per_second: Math.max(1000, BIG / 8) },
      body: { source: { index: "big", remote: { host: source.url } }, dest: { index: "attach" } },
    });
    logged.length = 0;
    const res = await runReindex({ ...inputs, requestsPerSecond: undefined }, { log: capture });
    expect(
      logged.some((l) => l.includes(`attaching to the reindex task(s) already running into attach: ${task}`)),
    ).toBe(true);
    expect(res.taskIds).toEqual([task]);
    expect(res.destCount).toBe(BIG);
  });

  it("stops at its own deadline, leaves the task running, and the next run attaches to it", async () => {
    await fresh(os, "deadline");
    const rps = Math.max(2000, BIG / 6);
    const inputs = inputsFor(osDest, "deadline", { requestsPerSecond: rps, timeout: 1 });
    const err: any = await runReindex(inputs, { log: quiet }).catch((e) => e);
    expect(err.message).toMatch(
      /timeout passed with task\(s\) \S+ still running; they go on, and the next pulumi up attaches/,
    );
    const [taskId] = err.results.taskIds;
    logged.length = 0;
    const res = await runReindex({ ...inputs, timeout: 600 }, { log: capture, resume: err.results });
    expect(
      logged.some((l) => l.includes(`attaching to the reindex task(s) already running into deadline: ${taskId}`)),
    ).toBe(true);
    expect(res).toMatchObject({ status: "complete", taskIds: [taskId], destCount: BIG });
  });

  it("delete cancels its running task and keeps the copied documents", async () => {
    await fresh(os, "cancel");
    const inputs = inputsFor(osDest, "cancel", { requestsPerSecond: 500 });
    const pending = runReindex(inputs, { log: quiet }).catch((e) => e);
    let running: string[] = [];
    for (let i = 0; i < 50 && running.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const listed = await os.request<any>({ method: "GET", path: "/_tasks", querystring: { actions: "*reindex" } });
      running = Object.values<any>(listed.nodes ?? {}).flatMap((n) => Object.keys(n.tasks));
    }
    expect(running).toHaveLength(1);
    await reindexProvider.delete!("id", { ...inputs, taskIds: running } as any);
    const err = await pending;
    expect(String(err.message)).toMatch(/cancel/i);
    await os.request({ method: "POST", path: "/cancel/_refresh" });
    expect((await os.request<any>({ method: "GET", path: "/cancel/_count" })).count).toBeGreaterThan(0);
  });
});
