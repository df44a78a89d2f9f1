import { describe, expect, it } from "vitest";
import { cursorFromAgg, partitionQueries, runQuery } from "../../provider/reindex/queries";
import { matches } from "./query-eval";

const docs = [
  ...Array.from({ length: 1000 }, (_, i) => ({ ts: i * 7 - 300, tenant: i % 2 })),
  { ts: undefined, tenant: 0 },
  { ts: undefined, tenant: 1 },
];

describe("partition queries", () => {
  it.each([1, 2, 3, 4, 7, 32])(
    "split into %i parts, cover every document exactly once (documents without the field included)",
    (count) => {
      const plans = partitionQueries({ match_all: {} }, "ts", count, { min: -300, max: 6693, date: false });
      expect(plans.length).toBe(count);
      for (const d of docs) expect(plans.filter((p) => matches(p.query, d)).length).toBe(1);
    },
  );

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
  it("copies every document the user's query matches in full mode", () => {
    const q = runQuery({ type: "full" }, { term: { tenant: 1 } });
    expect(docs.filter((d) => matches(q, d)).length).toBe(docs.filter((d) => d.tenant === 1).length);
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
