import { describe, expect, it } from "vitest";
import { ClusterRequestError } from "../../provider/connection/errors";
import type { Cluster, ClusterRequest } from "../../provider/connection/types";
import { ELASTICSEARCH_7_10, fakeCluster as answering } from "../helpers/fake-cluster";
import { batchedRead, readTarget } from "../../provider/connection/read-batch";
import { pathChunks } from "../../provider/connection/turn-batch";

/** A cluster that records requests and answers field-mapping GETs from `mappings` (index -> field -> type). */
function fakeCluster(
  mappings: Record<string, Record<string, string>>,
  opts: { failCombined?: boolean; unreachable?: boolean; aliases?: Record<string, string> } = {},
) {
  const cluster = answering(
    (req) => {
      if (opts.unreachable)
        throw new ClusterRequestError({
          message: `${req.path} failed: connect ECONNREFUSED`,
          cluster: "source http://fake",
          method: "GET",
          path: req.path,
          attempts: 5,
        });
      const m = /^\/([^/]+)\/_mapping\/field\/([^/]+)$/.exec(req.path)!;
      const names = m[1].split(",").map(decodeURIComponent);
      if (names.length > 1 && opts.failCombined) throw new Error("combined request refused");
      const out: Record<string, unknown> = {};
      for (const asked of names) {
        const name = opts.aliases?.[asked] ?? asked;
        const fields = mappings[name];
        if (fields === undefined) {
          if (req.querystring?.ignore_unavailable === true) continue;
          throw new Error(`no such index [${asked}]`);
        }
        const type = fields[m[2]];
        out[name] = {
          mappings: type === undefined ? {} : { [m[2]]: { full_name: m[2], mapping: { [m[2]]: { type } } } },
        };
      }
      return out;
    },
    { label: "source http://fake", info: ELASTICSEARCH_7_10 },
  );
  return { cluster, sent: cluster.requests };
}

const ask = (key: string, c: Cluster, index: string, field = "update_time") => {
  const req: ClusterRequest = {
    method: "GET",
    path: `/${encodeURIComponent(index)}/_mapping/field/${field}`,
    timeoutMs: 10_000,
  };
  return batchedRead<Record<string, unknown>>(key, c, req, readTarget(req)!);
};

describe("readTarget of field mappings", () => {
  it.each([
    [
      { method: "GET", path: "/logs/_mapping/field/update_time" },
      { kind: "mapping", index: "logs", api: "_mapping/field/update_time" },
    ],
    [
      { method: "GET", path: "/logs%2Ba/_mapping/field/a.b" },
      { kind: "mapping", index: "logs%2Ba", api: "_mapping/field/a.b" },
    ],
    [{ method: "GET", path: "/_all/_mapping/field/update_time" }, undefined],
    [{ method: "GET", path: "/a,b/_mapping/field/update_time" }, undefined],
    [{ method: "GET", path: "/logs-*/_mapping/field/update_time" }, undefined],
    [{ method: "GET", path: "/logs/_mapping" }, undefined],
    [{ method: "POST", path: "/logs/_mapping/field/update_time" }, undefined],
    [{ method: "GET", path: "/logs/_mapping/field/update_time", ignore: [404] }, undefined],
  ] as [ClusterRequest, unknown][])("%j -> %j", (req, expected) => {
    expect(readTarget(req)).toEqual(expected);
  });
});

describe("pathChunks", () => {
  it("keeps every name once, in order, each chunk's path under the limit", () => {
    const names = Array.from({ length: 500 }, (_, i) => `index-with-a-long-name-${i}`);
    const chunks = pathChunks(names, "_mapping/field/update_time", 3000);
    expect(chunks.flat()).toEqual(names);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(`/${c.join(",")}/_mapping/field/update_time`.length).toBeLessThanOrEqual(3000);
  });
  it("a single name longer than the limit still goes (alone)", () => {
    expect(pathChunks(["x".repeat(4000), "y"], "_mapping/field/f", 100)).toEqual([["x".repeat(4000)], ["y"]]);
  });
});

describe("batchedRead of field mappings", () => {
  it("the reads of one turn go as one request; each caller gets its own index's answer", async () => {
    const { cluster, sent } = fakeCluster({ a: { update_time: "date" }, b: { update_time: "long" }, c: {} });
    const [a, b, c] = await Promise.all([ask("k1", cluster, "a"), ask("k1", cluster, "b"), ask("k1", cluster, "c")]);
    expect(sent.map((r) => r.path)).toEqual(["/a,b,c/_mapping/field/update_time"]);
    expect(sent[0].querystring).toEqual({ ignore_unavailable: true });
    expect(a).toEqual({
      a: { mappings: { update_time: { full_name: "update_time", mapping: { update_time: { type: "date" } } } } },
    });
    expect(Object.keys(b)).toEqual(["b"]);
    expect(c).toEqual({ c: { mappings: {} } });
  });

  it("an alias or a missing index is asked alone: the single request's answer or error", async () => {
    const { cluster, sent } = fakeCluster(
      { a: { update_time: "date" }, "logs-2024": { update_time: "date" } },
      { aliases: { current: "logs-2024" } },
    );
    const results = await Promise.allSettled([
      ask("k2", cluster, "a"),
      ask("k2", cluster, "current"),
      ask("k2", cluster, "gone"),
    ]);
    expect(sent.map((r) => r.path)).toEqual([
      "/a,current,gone/_mapping/field/update_time",
      "/current/_mapping/field/update_time",
      "/gone/_mapping/field/update_time",
    ]);
    expect(results[1]).toEqual({ status: "fulfilled", value: { "logs-2024": expect.anything() } });
    expect(results[2]).toMatchObject({ status: "rejected", reason: { message: "no such index [gone]" } });
    expect(results[0]).toMatchObject({ status: "fulfilled" });
  });

  it("a refused combined request: every index asked alone", async () => {
    const { cluster, sent } = fakeCluster(
      { a: { update_time: "date" }, b: { update_time: "date" } },
      { failCombined: true },
    );
    await expect(Promise.all([ask("k3", cluster, "a"), ask("k3", cluster, "b")])).resolves.toHaveLength(2);
    expect(sent.map((r) => r.path)).toEqual([
      "/a,b/_mapping/field/update_time",
      "/a/_mapping/field/update_time",
      "/b/_mapping/field/update_time",
    ]);
  });

  it("a cluster that does not answer at all: every index gets the combined request's error, none asked again", async () => {
    const { cluster, sent } = fakeCluster({ a: {}, b: {} }, { unreachable: true });
    const results = await Promise.allSettled([ask("k5", cluster, "a"), ask("k5", cluster, "b")]);
    expect(sent.map((r) => r.path)).toEqual(["/a,b/_mapping/field/update_time"]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(results[1]).toMatchObject({
      reason: { message: "/a,b/_mapping/field/update_time failed: connect ECONNREFUSED" },
    });
  });

  it("different fields, clusters or turns are not mixed; one index alone is sent as asked", async () => {
    const { cluster, sent } = fakeCluster({ a: { update_time: "date", n: "long" }, b: { update_time: "date" } });
    await Promise.all([ask("k4", cluster, "a"), ask("k4", cluster, "a", "n"), ask("other", cluster, "b")]);
    await ask("k4", cluster, "b");
    expect(sent.map((r) => r.path).sort()).toEqual([
      "/a/_mapping/field/n",
      "/a/_mapping/field/update_time",
      "/b/_mapping/field/update_time",
      "/b/_mapping/field/update_time",
    ]);
    expect(sent.every((r) => r.querystring === undefined)).toBe(true);
  });
});
