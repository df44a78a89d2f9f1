import { describe, expect, it } from "vitest";
import { cursorFromAgg, partitionQueries, runQuery, waitingQuery, type Query } from "../../provider/reindex/queries";

// A tiny evaluator of the queries this module writes, to check coverage and disjointness on sample documents.
function matches(q: Query, doc: Record<string, number | undefined>): boolean {
  const [kind, spec] = Object.entries(q)[0] as [string, any];
  if (kind === "match_all") return true;
  if (kind === "exists") return doc[spec.field] !== undefined;
  if (kind === "range") {
    const [field, b] = Object.entries(spec)[0] as [string, any];
    const v = doc[field];
    if (v === undefined) return false;
    return (b.gt === undefined || v > b.gt) && (b.gte === undefined || v >= b.gte) && (b.lt === undefined || v < b.lt) && (b.lte === undefined || v <= b.lte);
  }
  if (kind === "bool") {
    const all = (xs: Query[] | undefined) => (xs ?? []).every((x) => matches(x, doc));
    const should = spec.should as Query[] | undefined;
    return all(spec.filter) && !(spec.must_not ?? []).some((x: Query) => matches(x, doc)) && (should === undefined || should.some((x) => matches(x, doc)));
  }
  if (kind === "term") return Object.entries(spec).every(([f, v]) => doc[f] === v);
  throw new Error(`unexpected query ${kind}`);
}

const docs = [...Array.from({ length: 1000 }, (_, i) => ({ ts: i * 7 - 300, tenant: i % 2 })), { ts: undefined, tenant: 0 }, { ts: undefined, tenant: 1 }];

describe("partition queries", () => {
  it.each([1, 2, 3, 4, 7, 32])("split into %i parts, cover every document exactly once (documents without the field included)", (count) => {
    const plans = partitionQueries({ match_all: {} }, "ts", count, { min: -300, max: 6693, date: false });
    expect(plans.length).toBe(count);
    for (const d of docs) expect(plans.filter((p) => matches(p.query, d)).length).toBe(1);
  });

  it("keeps the user's query in every part", () => {
    const plans = partitionQueries({ term: { tenant: 1 } }, "ts", 4, { min: -300, max: 6693, date: false });
    const hits = docs.filter((d) => plans.some((p) => matches(p.query, d)));
    expect(hits.length).toBe(docs.filter((d) => d.tenant === 1).length);
  });

  it("gives fewer parts when the values are too few to split, and one when there is no range", () => {
    expect(partitionQueries({ match_all: {} }, "ts", 4, { min: 5, max: 6, date: false }).length).toBe(2);
    expect(partitionQueries({ match_all: {} }, "ts", 4, undefined).length).toBe(1);
    expect(partitionQueries({ match_all: {} }, "ts", 4, { min: 5, max: 5, date: false }).length).toBe(1);
  });

  it("writes date bounds in epoch milliseconds with their format", () => {
    const [first] = partitionQueries({ match_all: {} }, "at", 2, { min: 0, max: 86_400_000, date: true });
    expect(JSON.stringify(first.query)).toContain('"format":"epoch_millis"');
    expect(first.label).toBe("at < 1970-01-01T12:00:00.000Z or missing");
  });
});

describe("mode queries", () => {
  const wm = { value: 100, date: false };
  it("copies, after a watermark, the documents at or past it up to the new high mark", () => {
    const q = runQuery({ type: "incremental", field: "ts" }, undefined, { from: wm, to: { value: 200, date: false } });
    expect([99, 100, 150, 200, 201].filter((ts) => matches(q, { ts }))).toEqual([100, 150, 200]);
  });
  it("copies everything (also documents without the field) on the first incremental run", () => {
    const q = runQuery({ type: "incremental", field: "ts" }, undefined, { to: { value: 200, date: false } });
    expect(matches(q, { ts: undefined })).toBe(true);
    expect(matches(q, { ts: 201 })).toBe(false);
  });
  it("counts as waiting only the documents strictly past the watermark", () => {
    const q = waitingQuery("ts", undefined, wm);
    expect([100, 101].map((ts) => matches(q, { ts }))).toEqual([false, true]);
  });
  it("copies exactly the documents without the field in missingField mode", () => {
    const q = runQuery({ type: "missingField", field: "ts" }, { term: { tenant: 1 } });
    expect(docs.filter((d) => matches(q, d))).toEqual([{ ts: undefined, tenant: 1 }]);
  });
  it("reads date and number aggregations", () => {
    expect(cursorFromAgg({ value: 5 })).toEqual({ value: 5, date: false });
    expect(cursorFromAgg({ value: 0, value_as_string: "1970-01-01T00:00:00.000Z" })).toMatchObject({ date: true });
    expect(cursorFromAgg({ value: null })).toBeUndefined();
  });
});
