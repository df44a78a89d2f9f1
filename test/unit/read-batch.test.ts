import { describe, expect, it } from "vitest";
import { batchedRead, countOf, msearchFilterPath, readTarget } from "../../provider/connection/read-batch";
import { runsOf, TurnBatches } from "../../provider/connection/turn-batch";
import { ClusterRequestError } from "../../provider/connection/errors";
import type { Cluster, ClusterRequest } from "../../provider/connection/types";
import { ELASTICSEARCH_7_10, fakeCluster as answering } from "../helpers/fake-cluster";

/**
 * A cluster of indices (name -> document ids) that answers single and combined refreshes, `_stats`, searches, counts
 * and `_msearch` as Elasticsearch 7 does, and records what it was sent.
 */
function fakeCluster(
  indices: Record<string, string[]>,
  opts: {
    refuse?: RegExp;
    unreachable?: boolean;
    failedShardsOf?: string;
    totalNotExact?: boolean;
    aliases?: Record<string, string>;
  } = {},
) {
  const resolve = (asked: string) => {
    const name = opts.aliases?.[asked] ?? asked;
    if (indices[name] === undefined) throw Object.assign(new Error(`no such index [${asked}]`), { statusCode: 404 });
    return name;
  };
  const search = (index: string, body: any) => {
    const ids = indices[resolve(index)];
    const hits = body.size === 0 ? [] : ids.slice(0, body.size).map((_id) => ({ _id }));
    const total = opts.totalNotExact ? { value: ids.length, relation: "gte" } : { value: ids.length, relation: "eq" };
    const failed = opts.failedShardsOf === index ? 1 : 0;
    return { _shards: { total: 1, successful: 1 - failed, failed }, hits: { total, hits } };
  };
  const cluster = answering(
    (req) => {
      if (opts.unreachable) {
        const message = `source http://fake: ${req.method} ${req.path} failed: connect ECONNREFUSED (gave up after 5 attempts)`;
        throw new ClusterRequestError({
          message,
          cluster: "source http://fake",
          method: req.method,
          path: req.path,
          attempts: 5,
        });
      }
      if (opts.refuse?.test(req.path)) throw new Error(`refused ${req.path}`);
      if (req.path === "/_msearch") {
        const lines = req.body as any[];
        const responses = [];
        for (let i = 0; i < lines.length; i += 2) {
          try {
            responses.push({ ...search(lines[i].index, lines[i + 1]), status: 200 });
          } catch (e) {
            responses.push({ error: { type: "index_not_found_exception", reason: (e as Error).message }, status: 404 });
          }
        }
        return { responses };
      }
      const [, list, api] = /^\/([^/]+)\/(_\w+)$/.exec(req.path)!;
      const names = list.split(",").map(decodeURIComponent);
      if (api === "_search") return search(names[0], req.body);
      if (api === "_count")
        return { count: indices[resolve(names[0])].length, _shards: { total: 1, successful: 1, failed: 0 } };
      const found = names
        .filter((n) => req.querystring?.ignore_unavailable !== true || indices[opts.aliases?.[n] ?? n] !== undefined)
        .map(resolve);
      if (api === "_refresh")
        return {
          _shards: {
            total: found.length,
            successful: found.length,
            failed: found.includes(opts.failedShardsOf ?? "") ? 1 : 0,
          },
        };
      return { indices: Object.fromEntries(found.map((n) => [n, { uuid: `u-${n}` }])) };
    },
    { label: "source http://fake", info: ELASTICSEARCH_7_10 },
  );
  return { cluster, sent: cluster.requests };
}

const refresh = (index: string): ClusterRequest => ({
  method: "POST",
  path: `/${encodeURIComponent(index)}/_refresh`,
  idempotent: true,
});
const stats = (index: string): ClusterRequest => ({
  method: "GET",
  path: `/${index}/_stats`,
  querystring: { level: "shards", filter_path: "indices.*.uuid" },
  idempotent: true,
});
const search = (index: string): ClusterRequest => ({
  method: "POST",
  path: `/${index}/_search`,
  body: { size: 10, query: { match_all: {} } },
  querystring: { filter_path: "_shards,hits.hits._id" },
  idempotent: true,
});
const count = (index: string): ClusterRequest => ({
  method: "POST",
  path: `/${index}/_count`,
  body: { query: { match_all: {} } },
  idempotent: true,
});

/** Sends each request through the batches (all in this turn) and settles them. */
function ask(key: string, c: Cluster, reqs: ClusterRequest[]) {
  return Promise.allSettled(reqs.map((r) => batchedRead<any>(key, c, r, readTarget(r)!)));
}

describe("readTarget", () => {
  it.each([
    [refresh("logs"), { kind: "refresh", index: "logs", api: "_refresh" }],
    [stats("logs"), { kind: "stats", index: "logs", api: "_stats" }],
    [search("logs"), { kind: "search", index: "logs", api: "_search" }],
    [count("logs"), { kind: "count", index: "logs", api: "_count" }],
    [{ ...refresh("logs"), querystring: { ignore_unavailable: true } }, undefined],
    [{ ...stats("logs"), querystring: { level: "shards" } }, undefined],
    [{ ...stats("logs"), querystring: { filter_path: "_all,indices.*.uuid" } }, undefined],
    [{ ...search("logs"), querystring: { scroll: "1m", filter_path: "hits" } }, undefined],
    [{ ...search("logs"), body: "{}" }, undefined],
    [{ ...count("logs"), body: { query: {}, terminate_after: 5 } }, undefined],
    [{ method: "GET", path: "/logs/_count" }, undefined],
    [{ ...search("logs"), ignore: [404] }, undefined],
    [search("a,b"), undefined],
    [search("logs-*"), undefined],
    [search("_all"), undefined],
  ] as [ClusterRequest, unknown][])("%j -> %j", (req, expected) => {
    expect(readTarget(req)).toEqual(expected);
  });
});

describe("msearchFilterPath and countOf", () => {
  it("prefixes each path and keeps every item's status and error", () => {
    expect(msearchFilterPath("_shards,hits.hits._id")).toBe(
      "responses._shards,responses.hits.hits._id,responses.status,responses.error",
    );
    expect(msearchFilterPath(undefined)).toBeUndefined();
  });
  it("a count only out of an exact total", () => {
    expect(countOf({ hits: { total: { value: 7, relation: "eq" } }, _shards: { failed: 0 } })).toEqual({
      count: 7,
      _shards: { failed: 0 },
    });
    expect(countOf({ hits: { total: 7 } })).toEqual({ count: 7, _shards: undefined });
    expect(countOf({ hits: { total: { value: 10000, relation: "gte" } } })).toBeUndefined();
    expect(countOf({})).toBeUndefined();
  });
});

describe("batchedRead", () => {
  const data = { a: ["1", "2"], b: ["3"], c: [] as string[] };

  it("refreshes and _stats of one turn go as one request over the list; each caller gets its own answer", async () => {
    const { cluster, sent } = fakeCluster(data);
    const [ra, rb] = await ask("r1", cluster, [refresh("a"), refresh("b")]);
    const [sa, sc] = await ask("r1", cluster, [stats("a"), stats("c")]);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /a,b/_refresh", "GET /a,c/_stats"]);
    expect(sent[1].querystring).toEqual({ level: "shards", filter_path: "indices.*.uuid", ignore_unavailable: true });
    expect([ra.status, rb.status]).toEqual(["fulfilled", "fulfilled"]);
    expect(sa).toEqual({ status: "fulfilled", value: { indices: { a: { uuid: "u-a" } } } });
    expect(sc).toEqual({ status: "fulfilled", value: { indices: { c: { uuid: "u-c" } } } });
  });

  it("searches and counts go as one _msearch each, answered in the single request's shape", async () => {
    const { cluster, sent } = fakeCluster(data);
    const [sa, sb] = await ask("r2", cluster, [search("a"), search("b")]);
    const [ca, cc] = await ask("r2", cluster, [count("a"), count("c")]);
    expect(sent.map((r) => r.path)).toEqual(["/_msearch", "/_msearch"]);
    expect(sent[0].body).toEqual([
      { index: "a" },
      { size: 10, query: { match_all: {} } },
      { index: "b" },
      { size: 10, query: { match_all: {} } },
    ]);
    expect(sent[0].querystring).toEqual({
      filter_path: "responses._shards,responses.hits.hits._id,responses.status,responses.error",
    });
    expect(sent[1].body).toEqual([
      { index: "a" },
      { size: 0, track_total_hits: true, query: { match_all: {} } },
      { index: "c" },
      { size: 0, track_total_hits: true, query: { match_all: {} } },
    ]);
    expect(sa).toEqual({
      status: "fulfilled",
      value: {
        _shards: { total: 1, successful: 1, failed: 0 },
        hits: { total: { value: 2, relation: "eq" }, hits: [{ _id: "1" }, { _id: "2" }] },
      },
    });
    expect(sb).toMatchObject({ status: "fulfilled", value: { hits: { hits: [{ _id: "3" }] } } });
    expect(ca).toEqual({ status: "fulfilled", value: { count: 2, _shards: { total: 1, successful: 1, failed: 0 } } });
    expect(cc).toMatchObject({ status: "fulfilled", value: { count: 0 } });
  });

  it("a missing index or an alias is asked alone: the single request's answer or error", async () => {
    const { cluster, sent } = fakeCluster(data, { aliases: { current: "a" } });
    const stat = await ask("r3", cluster, [stats("b"), stats("current"), stats("gone")]);
    expect(sent.map((r) => r.path)).toEqual(["/b,current,gone/_stats", "/current/_stats", "/gone/_stats"]);
    expect(stat[0]).toEqual({ status: "fulfilled", value: { indices: { b: { uuid: "u-b" } } } });
    expect(stat[1]).toEqual({ status: "fulfilled", value: { indices: { a: { uuid: "u-a" } } } });
    expect(stat[2]).toMatchObject({ status: "rejected", reason: { message: "no such index [gone]" } });
    sent.length = 0;
    const searched = await ask("r3", cluster, [search("a"), search("gone"), count("b"), count("gone")]);
    expect(sent.map((r) => r.path).sort()).toEqual(["/_msearch", "/_msearch", "/gone/_count", "/gone/_search"]);
    expect(searched.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
    expect(searched[1]).toMatchObject({ reason: { message: "no such index [gone]" } });
  });

  it("a refresh that fails on a shard, or a refused combined request: every index asked alone", async () => {
    const failing = fakeCluster(data, { failedShardsOf: "b" });
    await ask("r4", failing.cluster, [refresh("a"), refresh("b")]);
    expect(failing.sent.map((r) => r.path)).toEqual(["/a,b/_refresh", "/a/_refresh", "/b/_refresh"]);
    const refusing = fakeCluster(data, { refuse: /^\/(_msearch|a,b\/_stats)$/ });
    const results = await ask("r5", refusing.cluster, [stats("a"), stats("b"), count("a"), count("b")]);
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(refusing.sent.map((r) => r.path).sort()).toEqual([
      "/_msearch",
      "/a,b/_stats",
      "/a/_count",
      "/a/_stats",
      "/b/_count",
      "/b/_stats",
    ]);
  });

  it("a cluster that does not answer at all fails every caller with the combined request's error, none asked again", async () => {
    const { cluster, sent } = fakeCluster(data, { unreachable: true });
    const results = await ask("r9", cluster, [stats("a"), stats("b"), count("a"), count("b")]);
    expect(sent.map((r) => r.path).sort()).toEqual(["/_msearch", "/a,b/_stats"]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    expect(results[0]).toMatchObject({
      reason: { message: expect.stringMatching(/GET \/a,b\/_stats failed: connect ECONNREFUSED/) },
    });
    expect(results[3]).toMatchObject({
      reason: { message: expect.stringMatching(/POST \/_msearch failed: connect ECONNREFUSED/) },
    });
  });

  it("a count whose total is not exact is asked alone; a search item's failed shards reach its caller as they would alone", async () => {
    const { cluster, sent } = fakeCluster(data, { totalNotExact: true, failedShardsOf: "b" });
    const [a] = await ask("r6", cluster, [count("a"), count("b")]);
    expect(a).toEqual({ status: "fulfilled", value: { count: 2, _shards: { total: 1, successful: 1, failed: 0 } } });
    expect(sent.map((r) => r.path)).toEqual(["/_msearch", "/a/_count", "/b/_count"]);
    const [, b] = await ask("r6", cluster, [search("a"), search("b")]);
    expect(b).toEqual({ status: "fulfilled", value: await cluster.request(search("b")) });
    expect(b).toMatchObject({ value: { _shards: { failed: 1 } } });
  });

  it("different clusters, kinds, filters or turns are not mixed; one request alone is sent as asked", async () => {
    const { cluster, sent } = fakeCluster(data);
    const other = { ...search("b"), querystring: { filter_path: "hits.hits._id" } };
    await ask("r7", cluster, [search("a"), other, count("a")]);
    await ask("r8", cluster, [search("b")]);
    await ask("r7", cluster, [search("c")]);
    expect(sent.map((r) => r.path)).toEqual(["/a/_search", "/b/_search", "/a/_count", "/b/_search", "/c/_search"]);
    expect(sent.slice(0, 3)).toEqual([search("a"), other, count("a")]);
  });
});

describe("TurnBatches and runsOf", () => {
  it("gathers what is added in one turn under one key and sends each batch once", async () => {
    const batches: string[][] = [];
    const turns = new TurnBatches<{
      req: ClusterRequest;
      name: string;
      resolve: (v: unknown) => void;
      reject: (e: unknown) => void;
    }>(async (ws) => {
      batches.push(ws.map((w) => w.name));
      for (const w of ws) w.resolve(w.name.toUpperCase());
    });
    const add = (key: string, name: string) =>
      turns.add<string>(key, (resolve, reject) => ({
        req: refresh(name),
        name,
        resolve: resolve as (v: unknown) => void,
        reject,
      }));
    const first = await Promise.all([add("x", "a"), add("x", "b"), add("y", "c")]);
    const later = await add("x", "d");
    expect(first).toEqual(["A", "B", "C"]);
    expect(later).toBe("D");
    expect(batches).toEqual([["a", "b"], ["c"], ["d"]]);
  });
  it("runsOf splits in order", () => {
    expect(runsOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(runsOf([], 3)).toEqual([]);
  });
});
