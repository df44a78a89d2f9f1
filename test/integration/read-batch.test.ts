// Reads of many indices sent as one request (provider/connection/read-batch.ts) against real nodes: on Elasticsearch
// 6.8 and 7.10 and OpenSearch 2.19, the combined field mappings, refresh, `_stats`, searches and counts are the only
// requests sent and answer each index as its own request does; and the work a diff finds waiting is the same whether
// the diffs of many indices run at once (their reads combined) or one after another (each read alone).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import { batchedRead, readTarget } from "../../provider/connection/read-batch";
import type { Cluster, ClusterRequest } from "../../provider/connection/types";
import { reindexProvider, diffReindexWork } from "../../provider/reindex/provider";
import type { ReindexOutputs } from "../../provider/reindex/types";
import { validateInputs } from "../../provider/reindex/validate";
import { startEngine } from "../world/engines";
import { esJson, seedDocuments } from "../world/fixtures";

type Engine = Awaited<ReturnType<typeof startEngine>>;
let es6: Engine;
let es7: Engine;
let os: Engine;

beforeAll(async () => {
  [es6, es7] = await Promise.all([
    startEngine({ engine: "elasticsearch", version: "6.8.x" }),
    startEngine({ engine: "elasticsearch", version: "7.10.2" }),
  ]);
  os = await startEngine({
    engine: "opensearch",
    version: "2.19.x",
    allow: [new URL(es6.url).host, new URL(es7.url).host],
  });
});

afterAll(async () => {
  await Promise.all([es6?.stop(), es7?.stop(), os?.stop()]);
});

/** An index of one shard with `docs` documents d0.. (`n` = `ts` = i), typed on Elasticsearch 6. */
async function index(url: string, name: string, docs: number, typed: boolean): Promise<void> {
  const properties = { n: { type: "long" }, ts: { type: "long" } };
  await esJson(url, "PUT", `/${name}`, {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: typed ? { _doc: { properties } } : { properties },
  });
  if (docs > 0) await seedDocuments(url, name, { count: docs, doc: (i) => ({ n: i, ts: i }) });
}

/** The client, recording each request it sends. */
function recording(url: string): { cluster: Cluster; sent: string[] } {
  const c = connect({ url }, "source");
  const sent: string[] = [];
  return {
    cluster: { ...c, request: (req: ClusterRequest) => (sent.push(`${req.method} ${req.path}`), c.request(req)) },
    sent,
  };
}

const requests = {
  mapping: (i: string): ClusterRequest => ({ method: "GET", path: `/${i}/_mapping/field/ts` }),
  refresh: (i: string): ClusterRequest => ({ method: "POST", path: `/${i}/_refresh`, idempotent: true }),
  stats: (i: string): ClusterRequest => ({
    method: "GET",
    path: `/${i}/_stats`,
    querystring: {
      level: "shards",
      filter_path: "indices.*.uuid,indices.*.shards.*.routing.primary,indices.*.shards.*.seq_no.max_seq_no",
    },
    idempotent: true,
  }),
  search: (i: string): ClusterRequest => ({
    method: "POST",
    path: `/${i}/_search`,
    body: { size: 100, sort: ["_doc"], version: true, query: { range: { ts: { gte: 1 } } } },
    querystring: { filter_path: "_shards,timed_out,hits.hits._id,hits.hits._version" },
    idempotent: true,
  }),
  count: (i: string): ClusterRequest => ({
    method: "POST",
    path: `/${i}/_count`,
    body: { query: { range: { ts: { gte: 1 } } } },
    idempotent: true,
  }),
};

describe.each([
  ["Elasticsearch 6.8", () => es6, true],
  ["Elasticsearch 7.10", () => es7, false],
  ["OpenSearch 2.19", () => os, false],
] as const)("%s", (label, engine, typed) => {
  it("field mappings, refreshes, _stats, searches and counts of several indices go as one request each, answered as alone", async () => {
    const url = engine().url;
    const names = ["rb-a", "rb-b", "rb-c"];
    await Promise.all(names.map((n, k) => index(url, n, [3, 0, 5][k], typed)));
    const { cluster, sent } = recording(url);
    for (const [kind, req] of Object.entries(requests)) {
      sent.length = 0;
      const answers = await Promise.all(
        names.map((n) => batchedRead<any>(`rb-${label}`, cluster, req(n), readTarget(req(n))!)),
      );
      const list = req("rb-a,rb-b,rb-c");
      expect(sent, kind).toEqual(
        kind === "search" || kind === "count" ? ["POST /_msearch"] : [`${list.method} ${list.path}`],
      );
      if (kind === "refresh") continue; // one answer for the list; each caller only needs it to succeed
      for (const [k, n] of names.entries()) expect(answers[k], `${kind} ${n}`).toEqual(await cluster.request(req(n)));
    }
    expect((await cluster.request(requests.count("rb-c"))).count).toBe(4);
    await cluster.close();
  });
});

describe.each([
  ["Elasticsearch 6.8", () => es6, true],
  ["Elasticsearch 7.10", () => es7, false],
] as const)("diffs of many indices from %s", (_label, engine, typed) => {
  it("find the same work waiting at once (reads combined) as one after another (each read alone)", async () => {
    const url = engine().url;
    const prefix = `pw${typed ? 6 : 7}`;
    const names = Array.from({ length: 6 }, (_, k) => `${prefix}-${k}`);
    await Promise.all(names.map((n) => index(url, n, 20, typed)));
    const runs: { inputs: any; outs: ReindexOutputs }[] = [];
    for (const n of names) {
      const { inputs, failures } = validateInputs({
        cluster: { url: os.url },
        destIndex: n,
        source: { index: n, remote: { host: url } },
        mode: { type: "incremental", field: "ts", lookback: 2 },
      });
      expect(failures).toEqual([]);
      const created = await reindexProvider.create!(inputs);
      runs.push({ inputs, outs: created.outs });
    }
    // Work for all but the fifth: new documents, changed ones, a source delete, a destination write, a source gone.
    await seedDocuments(url, names[0], { count: 5, startId: 20, doc: (i) => ({ n: i, ts: i }) });
    await seedDocuments(url, names[1], { count: 2, startId: 18, doc: (i) => ({ n: i, ts: i, changed: true }) });
    await esJson(url, "DELETE", `/${names[2]}/_doc/d3?refresh=true`);
    await esJson(os.url, "PUT", `/${names[3]}/_doc/extra?refresh=true`, { n: -1, ts: 0 });
    await esJson(url, "DELETE", `/${names[5]}`);

    const together = await Promise.all(runs.map((r) => diffReindexWork(r.outs, r.inputs)));
    const alone = [];
    for (const r of runs) alone.push(await diffReindexWork(r.outs, r.inputs));
    expect(together).toEqual(alone);
    const pending = together.map((d) => d.pending);
    expect(pending[0]).toMatchObject({ waiting: 5, lacking: 5 });
    expect(pending[1]).toMatchObject({ waiting: 2, lacking: 0 });
    expect(pending[2]).toMatchObject({ deleted: 1, reasons: [] });
    expect(pending[3]?.destWrites).toBe(1);
    expect(pending[4]).toMatchObject({ waiting: 0, reasons: [], notes: [] });
    expect(pending[5]).toBeUndefined(); // its source is gone: "could not compare", in both
    expect(together.map((d) => d.diff.changes)).toEqual([true, true, false, true, false, false]);
  });
});
