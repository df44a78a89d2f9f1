// The client transport (provider/copy) against real engines: an Elasticsearch 7.10 source and then a 6.8 source
// (typed index) copied into OpenSearch 2.19, and once through the Reindex provider with transport: "client".
// The destination does not list the sources in its allow list: the copy goes through this process only.
// At most two JVMs run at once (the 7.10 source stops before the 6.8 one starts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { copyIndex, type CopyProgress } from "../../provider/copy";
import { reindexProvider } from "../../provider/reindex/provider";
import { FAILED_DOCUMENTS_INDEX } from "../../provider/reindex/refused";
import { runReindex } from "../../provider/reindex/run";
import { validateInputs } from "../../provider/reindex/validate";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";

const DOCS = Number(process.env.COPY_TEST_DOCS ?? 50_000);
const ROUTED = 500;
const TOTAL = DOCS + ROUTED;

let osNode: EngineNode;
let os: Cluster;

/** Indexes documents r<from>..r<from+count-1> with custom routing (and a mapping type for 6.x). */
async function seedRouted(url: string, index: string, from: number, count: number, type?: string): Promise<void> {
  let body = "";
  for (let i = from; i < from + count; i++) {
    body += `${JSON.stringify({ index: { _index: index, _id: `r${i}`, routing: `user${i % 7}`, ...(type ? { _type: type } : {}) } })}\n${JSON.stringify({ n: i, tenant: `t${i % 10}`, msg: `routed ${i}` })}\n`;
  }
  const res = await esJson(url, "POST", "/_bulk?refresh=true", body);
  expect(res.errors).toBe(false);
}

/** Scroll contexts open on a node (every node of the cluster), from its search stats. */
async function openScrolls(url: string): Promise<number> {
  const stats = await esJson(url, "GET", "/_nodes/stats/indices/search");
  return Object.values<any>(stats.nodes).reduce((s, n) => s + n.indices.search.scroll_current, 0);
}

async function freshDest(
  index: string,
  mappings: Record<string, unknown> = { properties: { n: { type: "long" }, tenant: { type: "keyword" } } },
): Promise<void> {
  await os.request({ method: "DELETE", path: `/${index}`, ignore: [404] });
  await os.request({
    method: "PUT",
    path: `/${index}`,
    body: { settings: { number_of_shards: 2, number_of_replicas: 0 }, mappings },
  });
}

async function routingOf(url: string, index: string, id: string): Promise<string | undefined> {
  const res = await esJson(url, "POST", `/${index}/_search`, { query: { ids: { values: [id] } } });
  return res.hits.hits[0]?._routing;
}

beforeAll(async () => {
  osNode = await startEngine({ engine: "opensearch", version: "2.19.x" });
  os = connect({ url: osNode.url }, "destination");
});

afterAll(async () => {
  await os?.close();
  await osNode?.stop();
});

describe("client transport: Elasticsearch 7.10 -> OpenSearch 2.19", () => {
  let esNode: EngineNode;
  let es: Cluster;

  beforeAll(async () => {
    esNode = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
    es = connect({ url: esNode.url }, "source");
    await esJson(esNode.url, "PUT", "/big", {
      settings: { number_of_shards: 2, number_of_replicas: 0 },
      mappings: { properties: { n: { type: "long" }, tenant: { type: "keyword" } } },
    });
    await seedDocuments(esNode.url, "big", { count: DOCS, doc: (n) => ({ n, tenant: `t${n % 10}`, msg: `m${n}` }) });
    await seedRouted(esNode.url, "big", 0, ROUTED);
  });

  afterAll(async () => {
    await es?.close();
    await esNode?.stop();
  });

  it(`copies ${TOTAL} documents with 3 slices: counts, ID sets and routing equal, progress reported, no scroll left open`, async () => {
    await freshDest("full");
    const seen: CopyProgress[] = [];
    const res = await copyIndex({
      source: es,
      dest: os,
      sourceIndex: "big",
      destIndex: "full",
      slices: 3,
      onProgress: (p) => seen.push(p),
    });
    expect(res).toMatchObject({ docs: TOTAL, created: TOTAL, updated: 0, failed: 0, failures: [], slices: 3 });
    expect(await countDocs(osNode.url, "full")).toBe(TOTAL);
    expect(await readIds(osNode.url, "full")).toEqual(await readIds(esNode.url, "big"));
    expect(await routingOf(osNode.url, "full", "r3")).toBe("user3");
    expect((await esJson(osNode.url, "GET", "/full/_doc/r3?routing=user3")).found).toBe(true);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p, i) => p.total === TOTAL && (i === 0 || p.docs > seen[i - 1].docs))).toBe(true);
    expect(seen.at(-1)!.docs).toBe(TOTAL);
    expect(await openScrolls(esNode.url)).toBe(0);
  });

  it("a query narrows the copy (plain scroll), and small bulk limits still deliver every document once", async () => {
    await freshDest("narrow");
    const query = { terms: { tenant: ["t3", "t4"] } };
    const res = await copyIndex({
      source: es,
      dest: os,
      sourceIndex: "big",
      destIndex: "narrow",
      query,
      slices: 1,
      maxBulkDocs: 150,
      maxBulkBytes: 8 * 1024,
      concurrency: 3,
      queueCapacity: 1,
    });
    const expected = await countDocs(esNode.url, "big", query);
    expect(expected).toBe(TOTAL / 5);
    expect(res).toMatchObject({ docs: expected, created: expected, failed: 0, slices: 1 });
    expect(await countDocs(osNode.url, "narrow")).toBe(expected);
    expect(await countDocs(osNode.url, "narrow", { bool: { must_not: query } })).toBe(0);
  });

  it("a second run overwrites by _id (updated), and opType create with conflicts proceed counts conflicts", async () => {
    const query = { term: { tenant: "t5" } };
    await freshDest("again");
    const first = await copyIndex({ source: es, dest: os, sourceIndex: "big", destIndex: "again", query });
    const second = await copyIndex({ source: es, dest: os, sourceIndex: "big", destIndex: "again", query });
    expect(second).toMatchObject({ docs: first.docs, created: 0, updated: first.docs, failed: 0 });
    const third = await copyIndex({
      source: es,
      dest: os,
      sourceIndex: "big",
      destIndex: "again",
      query,
      opType: "create",
      conflicts: "proceed",
    });
    expect(third).toMatchObject({ docs: first.docs, created: 0, updated: 0, versionConflicts: first.docs, failed: 0 });
    const refused = await copyIndex({
      source: es,
      dest: os,
      sourceIndex: "big",
      destIndex: "again",
      query,
      opType: "create",
      keepFailures: 2,
    });
    expect(refused.failed).toBe(first.docs);
    expect(refused.failures).toHaveLength(2);
    expect(refused.failures[0]).toMatch(/^document \S+: version_conflict_engine_exception: /);
  });

  it("collects documents the destination refuses, with the engine's reason, and copies the rest", async () => {
    await esJson(esNode.url, "DELETE", "/mixed").catch(() => undefined);
    await seedDocuments(esNode.url, "mixed", {
      count: 300,
      doc: (n) => ({ v: n % 50 === 0 ? `not a number ${n}` : String(n) }),
    });
    await freshDest("mixed", { properties: { v: { type: "long" } } });
    const res = await copyIndex({ source: es, dest: os, sourceIndex: "mixed", destIndex: "mixed", keepFailures: 3 });
    expect(res).toMatchObject({ docs: 300, created: 294, failed: 6 });
    expect(res.failures).toHaveLength(3);
    expect(res.failures[0]).toMatch(
      /^document d\d+: mapper_parsing_exception: failed to parse field \[v\] of type \[long\]/,
    );
  });

  it("abort stops readers and writers promptly and leaves no scroll open at the source", async () => {
    await freshDest("aborted");
    const controller = new AbortController();
    const reason = new Error("stop requested by the test");
    let abortedAt = 0;
    const copy = copyIndex({
      source: es,
      dest: os,
      sourceIndex: "big",
      destIndex: "aborted",
      slices: 4,
      batchSize: 200,
      maxBulkDocs: 200,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.docs >= 2000 && abortedAt === 0) {
          abortedAt = Date.now();
          controller.abort(reason);
        }
      },
    });
    await expect(copy).rejects.toBe(reason);
    expect(Date.now() - abortedAt).toBeLessThan(6000);
    expect(await openScrolls(esNode.url)).toBe(0);
    const n1 = await countDocs(osNode.url, "aborted");
    await new Promise((r) => setTimeout(r, 1500));
    expect(await countDocs(osNode.url, "aborted")).toBe(n1);
    expect(n1).toBeGreaterThanOrEqual(2000);
    expect(n1).toBeLessThan(TOTAL);
  });

  it('runs through the Reindex provider with transport: "client" (2 partitions = 2 slices), verified counts', async () => {
    await freshDest("provider");
    const query = { terms: { tenant: ["t1", "t2"] } };
    const { inputs, failures } = validateInputs({
      cluster: { url: osNode.url },
      destIndex: "provider",
      source: { index: "big", remote: { host: esNode.url }, query },
      transport: "client",
      partitions: { field: "n", count: 2 },
    });
    expect(failures).toEqual([]);
    const res = await runReindex(inputs, { log: { info: () => undefined, warn: () => undefined } });
    expect(res).toMatchObject({
      status: "complete",
      taskIds: [],
      created: TOTAL / 5,
      sourceCount: TOTAL / 5,
      destCount: TOTAL / 5,
      failures: [],
    });
    expect(res.partitionStates.every((p) => p.done)).toBe(true);
  });

  it("through the Reindex provider: documents the destination refuses are set aside and recorded with the engine's reason, the rest copied and nothing verified; after the fix the next up copies them and clears the records", async () => {
    // The source holds 50 documents whose `bad` field the destination's mapping (long) refuses.
    await esJson(esNode.url, "PUT", "/refusing", { settings: { number_of_shards: 1, number_of_replicas: 0 } });
    const bad = (n: number) => n >= 1500 && n < 1550;
    await seedDocuments(esNode.url, "refusing", {
      count: 2000,
      doc: (n) => ({ n, ...(bad(n) ? { bad: "not a number" } : {}) }),
    });
    await freshDest("refusing", { properties: { n: { type: "long" }, bad: { type: "long" } } });
    const { inputs, failures } = validateInputs({
      cluster: { url: osNode.url },
      destIndex: "refusing",
      source: { index: "refusing", remote: { host: esNode.url } },
      transport: "client",
    });
    expect(failures).toEqual([]);

    const err: any = await reindexProvider.create!(inputs).catch((e) => e);
    expect(err.message).toMatch(/50 document\(s\) refused by the destination \(50 mapper_parsing_exception\)/);
    expect(err.message).toContain(`GET ${FAILED_DOCUMENTS_INDEX}/_search?q=index:refusing`);
    // What the preview names, and no verification: a refused document is never counted as copied.
    expect(err.properties).toMatchObject({ status: "failed", refusedDocuments: 50 });
    expect(err.properties.verification).toBeUndefined();
    expect(err.properties.partitionStates.map((p: any) => p.done)).toEqual([false]);
    const held = await readIds(osNode.url, "refusing");
    expect(held.size).toBe(1950);
    const records = await esJson(osNode.url, "POST", `/${FAILED_DOCUMENTS_INDEX}/_search`, {
      size: 100,
      query: { term: { index: "refusing" } },
    });
    const recorded = records.hits.hits.map((h: any) => h._source);
    expect(recorded.map((r: any) => r.id).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `d${1500 + i}`).sort());
    expect(recorded[0]).toMatchObject({ sourceIndex: "refusing", type: "mapper_parsing_exception", status: 400 });
    expect(recorded[0].reason).toMatch(/failed to parse field \[bad\]/);

    // Fixed at the source: the next up copies them, verifies, and removes the records.
    await seedDocuments(esNode.url, "refusing", { startId: 1500, count: 50, doc: (n) => ({ n }) });
    const done = await reindexProvider.update!(err.id, err.properties, inputs);
    expect(done.outs).toMatchObject({ status: "complete", sourceCount: 2000, destCount: 2000 });
    expect(done.outs.refusedDocuments).toBeUndefined();
    expect(await countDocs(osNode.url, FAILED_DOCUMENTS_INDEX, { term: { index: "refusing" } })).toBe(0);
  });
});

describe("client transport: Elasticsearch 6.8 typed index -> OpenSearch 2.19", () => {
  let es6Node: EngineNode;
  let es6: Cluster;
  const TYPED = 5000;

  beforeAll(async () => {
    es6Node = await startEngine({ engine: "elasticsearch", version: "6.8.x" });
    es6 = connect({ url: es6Node.url }, "source");
    await esJson(es6Node.url, "PUT", "/typed", {
      settings: { number_of_shards: 2, number_of_replicas: 0 },
      mappings: { doc: { properties: { n: { type: "long" }, tenant: { type: "keyword" } } } },
    });
    await seedRouted(es6Node.url, "typed", 0, TYPED, "doc");
  });

  afterAll(async () => {
    await es6?.close();
    await es6Node?.stop();
  });

  it("drops the mapping type, keeps routing, and copies every document", async () => {
    await freshDest("from6");
    const res = await copyIndex({ source: es6, dest: os, sourceIndex: "typed", destIndex: "from6", slices: 2 });
    expect(res).toMatchObject({ docs: TYPED, created: TYPED, failed: 0 });
    expect(await readIds(osNode.url, "from6")).toEqual(await readIds(es6Node.url, "typed"));
    expect(await routingOf(osNode.url, "from6", "r12")).toBe("user5");
    expect(await openScrolls(es6Node.url)).toBe(0);
  });
});
