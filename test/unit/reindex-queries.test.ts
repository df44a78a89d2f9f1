import { describe, expect, it } from "vitest";
import {
  cursorFromAgg,
  depthPercents,
  partitionQueries,
  percentileValues,
  runQuery,
} from "../../provider/reindex/queries";
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

describe("partitions of equal depth", () => {
  // Most documents are recent: 900 within the last 100 units, 100 spread over the 10,000 before.
  const skewed = [
    ...Array.from({ length: 100 }, (_, i) => ({ ts: i * 100 })),
    ...Array.from({ length: 900 }, (_, i) => ({ ts: 10_000 + i / 9 })),
    { ts: undefined },
    { ts: null },
  ];
  const values = skewed
    .map((d) => d.ts)
    .filter((v): v is number => typeof v === "number")
    .sort((a, b) => a - b);
  const quantile = (p: number) => values[Math.floor((p / 100) * (values.length - 1))];
  const range = { min: values[0], max: values[values.length - 1], date: false };

  it("cuts a skewed field at its percentiles into parts that hold about as many documents each", () => {
    const cuts = depthPercents(4).map(quantile);
    const plans = partitionQueries({ match_all: {} }, "ts", 4, { ...range, cuts });
    const sizes = plans.map((p) => skewed.filter((d) => matches(p.query, d)).length);
    expect(sizes.length).toBe(4);
    for (const n of sizes) expect(n).toBeGreaterThan(200);
    for (const n of sizes) expect(n).toBeLessThan(300);
    // The same range cut by width puts nearly everything into the last part.
    const byWidth = partitionQueries({ match_all: {} }, "ts", 4, range);
    expect(skewed.filter((d) => matches(byWidth[3].query, d)).length).toBeGreaterThan(900);
  });

  it.each([
    ["percentiles in order", [2500, 10_050, 10_075]],
    ["repeated and unordered cuts", [10_075, 10_050, 10_050, 2500]],
    ["cuts outside the range", [-5, 2500, 99_999]],
    ["fractional cuts of an approximate percentile", [2500.4, 10_050.7, 10_075.1]],
  ])("covers every document exactly once, with or without the field, given %s", (_, cuts) => {
    const plans = partitionQueries({ match_all: {} }, "ts", 4, { ...range, cuts });
    expect(plans.length).toBeGreaterThan(1);
    for (const d of skewed) expect(plans.filter((p) => matches(p.query, d)).length).toBe(1);
  });

  it("asks for the percents that split into equal parts", () => {
    expect(depthPercents(4)).toEqual([25, 50, 75]);
    expect(depthPercents(1)).toEqual([]);
  });

  it("reads percentiles keyed (with date strings) or as a list, in order of percent", () => {
    expect(
      percentileValues({
        values: { "75.0": 30, "25.0": 10, "25.0_as_string": "1970", "50.0": 20 },
      }),
    ).toEqual([10, 20, 30]);
    expect(
      percentileValues({
        values: [
          { key: 50, value: 2 },
          { key: 25, value: 1 },
        ],
      }),
    ).toEqual([1, 2]);
    expect(percentileValues({ values: { "50.0": null } })).toEqual([]);
    expect(percentileValues(undefined)).toEqual([]);
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
