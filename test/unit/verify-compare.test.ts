import { describe, expect, it } from "vitest";
import {
  DocSetComparison,
  canonicalHash,
  canonicalJson,
  markShard,
  marksFromStats,
  sourceHash,
  writesSince,
} from "../../provider/verify";
import { deleteGuard, foundVerification } from "../../provider/reindex/repair";
import { failureGroups, taskFailureItem } from "../../provider/reindex/failures";

const ids = (refs: { id: string }[]) => refs.map((r) => r.id).sort();

describe("comparing two sides by id", () => {
  it("finds missing, extra and equal documents whatever order the pages come in", () => {
    const c = new DocSetComparison("ids");
    c.addDest([{ id: "b" }, { id: "x" }]);
    c.addSource([{ id: "a" }, { id: "b" }]);
    c.addSource([{ id: "c" }]);
    c.addDest([{ id: "c" }, { id: "y" }]);
    const r = c.result();
    expect([r.sourceCount, r.destCount]).toEqual([3, 4]);
    expect(ids(r.missing)).toEqual(["a"]);
    expect(ids(r.extra)).toEqual(["x", "y"]);
    expect(r.differing).toEqual([]);
  });

  it("finds the one changed document among a million by content hash", () => {
    const c = new DocSetComparison("content");
    const doc = (i: number) => ({ n: i, msg: `m${i}` });
    const N = 1_000_000;
    for (let i = 0; i < N; i += 10_000) {
      c.addSource(Array.from({ length: 10_000 }, (_, k) => ({ id: `d${i + k}`, hash: sourceHash(doc(i + k)) })));
      c.addDest(
        Array.from({ length: 10_000 }, (_, k) => ({
          id: `d${i + k}`,
          hash: sourceHash(i + k === 777_777 ? { ...doc(i + k), msg: "edited" } : doc(i + k)),
        })),
      );
    }
    const r = c.result();
    expect(ids(r.differing)).toEqual(["d777777"]);
    expect([r.missing.length, r.extra.length, r.sourceCount]).toEqual([0, 0, N]);
  });

  it("counts a destination holding an older version as differing, and a newer or equal one as not", () => {
    const c = new DocSetComparison("versions");
    c.addSource([
      { id: "a", version: 3 },
      { id: "b", version: 3 },
      { id: "c", version: 3 },
    ]);
    c.addDest([
      { id: "a", version: 2 },
      { id: "b", version: 3 },
      { id: "c", version: 4 },
    ]);
    expect(ids(c.result().differing)).toEqual(["a"]);
  });

  it("hashes the same document the same whatever its key order (canonically; scans hash as returned)", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalHash({ a: 1, b: "x" })).toBe(canonicalHash({ b: "x", a: 1 }));
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 2 }));
    expect(sourceHash({ a: 1 })).not.toBe(sourceHash({ a: 2 }));
  });

  it("reports what it found with the first ids of each kind", () => {
    const v = foundVerification(
      "ids",
      {
        sourceCount: 10,
        destCount: 12,
        missing: [{ id: "m" }],
        extra: [1, 2, 3, 4, 5, 6, 7].map((i) => ({ id: `x${i}` })),
        differing: [],
      },
      new Date(0),
    );
    expect(v).toMatchObject({
      level: "ids",
      missing: 1,
      extra: 7,
      differing: 0,
      repaired: 0,
      checkedAt: "1970-01-01T00:00:00.000Z",
    });
    expect(v.firstIds.extra).toEqual(["x1", "x2", "x3", "x4", "x5"]);
  });
});

describe("the deletes guard", () => {
  it.each([
    [0, 1000, 5, true],
    [50, 1000, 5, true],
    [51, 1000, 5, false],
    [1, 0, 100, true],
    [1, 1000, 0, false],
  ])("%i extra of %i at %i%% allowed: %s", (extra, dest, max, allowed) => {
    expect(deleteGuard(extra, dest, max) === undefined).toBe(allowed);
  });

  it("names the number and the option when it refuses", () => {
    expect(deleteGuard(100, 1000, 5)).toMatch(
      /^100 destination documents \(10\.00% of 1,000\) .* maxDeletePercent \(5%\) .* nothing was deleted/,
    );
  });
});

describe("write marks", () => {
  const stats = (a: number, b: number) => ({
    indices: {
      logs: {
        shards: {
          "0": [
            { routing: { primary: false }, seq_no: { max_seq_no: 99 } },
            { routing: { primary: true }, seq_no: { max_seq_no: a } },
          ],
          "1": [{ routing: { primary: true }, seq_no: { max_seq_no: b } }],
        },
      },
    },
  });
  it("reads each primary's highest sequence number", () => {
    expect(marksFromStats(stats(5, 7))).toEqual({ "logs/0": 5, "logs/1": 7 });
    // From 7.x the index's uuid is part of the key: a recreated index does not compare with the old one.
    const withUuid = { indices: { logs: { uuid: "u1", shards: stats(5, 7).indices.logs.shards } } };
    expect(marksFromStats(withUuid)).toEqual({ "logs/u1/0": 5, "logs/u1/1": 7 });
    expect(markShard("logs/u1/1")).toEqual({ index: "logs", shard: 1 });
    expect(markShard("logs/0")).toEqual({ index: "logs", shard: 0 });
  });
  it("counts the writes since, and cannot compare other shards", () => {
    expect(writesSince(marksFromStats(stats(5, 7)), marksFromStats(stats(5, 7)))).toBe(0);
    expect(writesSince(marksFromStats(stats(5, 7)), marksFromStats(stats(6, 9)))).toBe(3);
    expect(writesSince({ "logs/0": 5 }, marksFromStats(stats(5, 7)))).toBeUndefined();
    expect(writesSince(marksFromStats(stats(5, 7)), marksFromStats(stats(1, 1)))).toBeUndefined();
  });
});

describe("failures grouped by type", () => {
  it("groups a reindex response's failures with the first ids of each", () => {
    const items = [
      ...Array.from({ length: 7 }, (_, i) =>
        taskFailureItem({
          index: "d",
          id: `p${i}`,
          cause: { type: "mapper_parsing_exception", reason: "failed to parse" },
          status: 400,
        }),
      ),
      taskFailureItem({ index: "d", id: "q", cause: { type: "illegal_argument_exception" } }),
      taskFailureItem({ shard: 0, reason: { type: "search_context_missing_exception" } }),
    ];
    expect(failureGroups(items)).toEqual([
      { type: "mapper_parsing_exception", count: 7, ids: ["p0", "p1", "p2", "p3", "p4"] },
      { type: "illegal_argument_exception", count: 1, ids: ["q"] },
      { type: "search_context_missing_exception", count: 1, ids: [] },
    ]);
  });
});
