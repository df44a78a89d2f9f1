import { describe, expect, it } from "vitest";
import {
  addEstimate,
  copyRunOf,
  DEFAULT_BYTES_PER_SECOND,
  DEFAULT_DOCS_PER_SECOND,
  DEFAULT_FIXED_SECONDS,
  describeEstimate,
  describeTotal,
  estimateCopy,
  estimateParts,
  expectedFixedSeconds,
  fitModel,
  formatBytes,
  recordRun,
  RUNS_KEPT,
  runsInState,
  type CopyRun,
} from "../../provider/migrated-index/estimate";
import { summaryOf } from "../../provider/migrated-index/parts";

/** A copy that takes `fixed` seconds plus `docsPerSecond` (documents of no size, so bytes play no part). */
const copy = (fixed: number, docsPerSecond: number) => (documents: number) => fixed + documents / docsPerSecond;
const run = (documents: number, seconds: number): CopyRun => ({ documents, seconds });
const within = (estimated: number, measured: number) => {
  expect(estimated / measured).toBeGreaterThanOrEqual(0.9);
  expect(estimated / measured).toBeLessThanOrEqual(1.1);
};

describe("copy estimates before any run", () => {
  it("take the default fixed seconds plus the documents and their bytes over the default rates", () => {
    const size = { docs: 100_000, bytes: 50_000_000 };
    const e = estimateCopy(40_000, size);
    const expected = DEFAULT_FIXED_SECONDS + 40_000 / DEFAULT_DOCS_PER_SECOND + 20_000_000 / DEFAULT_BYTES_PER_SECOND;
    expect(e.documents).toBe(40_000);
    expect(e.bytes).toBe(20_000_000);
    expect(e.seconds).toBeCloseTo(expected, 2);
    expect(e.rate).toMatchObject({ measured: false, runs: 0, fixedSeconds: DEFAULT_FIXED_SECONDS });
    expect(describeEstimate(e)).toMatch(
      /^40,000 document\(s\) \(19\.1 MB\) to copy, about \d\.\ds at [\d,]+ docs\/s plus [\d.]+s fixed \(the default model: no run yet\)$/,
    );
  });

  it("rate large documents slower than small ones", () => {
    const small = estimateCopy(100_000, { docs: 1, bytes: 100 });
    const large = estimateCopy(100_000, { docs: 1, bytes: 10_000 });
    expect(large.seconds).toBeGreaterThan(3 * small.seconds);
    expect(large.rate.docsPerSecond).toBeLessThan(small.rate.docsPerSecond);
  });

  it("say no bytes when the source's size is unknown", () => {
    expect(estimateCopy(5, undefined).bytes).toBe(0);
    expect(describeEstimate(estimateCopy(5, undefined))).toMatch(/^5 document\(s\) to copy, about/);
  });
});

describe("fitting the model to an index's runs", () => {
  it.each([
    ["a first full copy", [200_000], 40_000],
    ["a first full copy, then a small incremental run", [200_000, 2_500], 200_000],
    ["two small runs, then a full copy", [3_000, 1_000, 200_000], 200_000],
    ["a full copy and small runs", [200_000, 2_500, 1_000], 2_000],
  ])("after %s, estimates the next copy within 10%% of what it takes", (_label, sizes, next) => {
    const takes = copy(0.8, 12_000);
    const runs = sizes.map((d) => run(d, takes(d)));
    within(estimateCopy(next, undefined, runs).seconds, takes(next));
  });

  it("does not make a big copy after a small run look three times longer (the small run teaches the fixed part)", () => {
    const takes = copy(0.9, 30_000);
    const runs = [run(100_000, takes(100_000)), run(3_000, takes(3_000))];
    const e = estimateCopy(100_000, undefined, runs);
    within(e.seconds, takes(100_000));
    expect(Math.abs(e.rate.fixedSeconds! - 0.9)).toBeLessThan(0.1);
    expect(e.rate.docsPerSecond).toBeGreaterThan(25_000);
  });

  it("from one small run alone, keeps near the default rate rather than the small run's documents per second", () => {
    // 2,000 documents in 1.1 s: 1,800 docs/s, if the fixed part were ignored.
    const e = estimateCopy(100_000, undefined, [run(2_000, 1.1)]);
    expect(e.rate.docsPerSecond).toBeGreaterThan(DEFAULT_DOCS_PER_SECOND / 2);
    expect(e.seconds).toBeLessThan(1.1 + 100_000 / (DEFAULT_DOCS_PER_SECOND / 2));
  });

  it("from one big run of a slow cluster, takes the rate from it and grows the fixed part less than the rate", () => {
    // Everything four times slower than the default model; the fixed part grows half as much (the square root).
    const takes = copy(4 * DEFAULT_FIXED_SECONDS, DEFAULT_DOCS_PER_SECOND / 4);
    const m = fitModel([run(1_000_000, takes(1_000_000))], 0);
    expect(m.fixedSeconds).toBeCloseTo(expectedFixedSeconds(4), 1);
    expect(expectedFixedSeconds(4)).toBeCloseTo(2 * DEFAULT_FIXED_SECONDS, 5);
    const e = estimateCopy(500_000, undefined, [run(1_000_000, takes(1_000_000))]);
    expect(e.rate.docsPerSecond).toBeGreaterThan(4_800);
    expect(e.rate.docsPerSecond).toBeLessThan(5_300);
    within(e.seconds, takes(500_000));
  });

  it("from one big run, leaves the fixed part near the expected one: a small run after it is not estimated at the big run's share of fixed time", () => {
    // 40,000 documents in 9.2 s on a machine as fast as the default's fixed part: 9.2 s must not read as 1.9 s fixed.
    const m = fitModel([run(40_000, 9.2)], 0);
    expect(m.fixedSeconds).toBeLessThan(1.5 * expectedFixedSeconds(m.scale));
    expect(m.fixedSeconds).toBeGreaterThan(0.5 * expectedFixedSeconds(m.scale));
    within(estimateCopy(40_000, undefined, [run(40_000, 9.2)]).seconds, 9.2);
  });

  it.each([
    ["a distant cluster (1.5 s fixed, 3,000 docs/s)", 1.5, 3_000, [50_000, 800], 8_000],
    ["a fast cluster (0.3 s fixed, 40,000 docs/s)", 0.3, 40_000, [5_000, 400_000], 60_000],
    ["a slow small index (2 s fixed, 500 docs/s)", 2, 500, [300, 20_000], 2_500],
  ])(
    "fitted on two runs of %s, estimates a third size it was not fitted on within 15%%",
    (_l, fixed, rate, sizes, next) => {
      const takes = copy(fixed, rate);
      const runs = sizes.map((d) => run(d, takes(d)));
      const e = estimateCopy(next, undefined, runs);
      expect(e.seconds / takes(next)).toBeGreaterThanOrEqual(0.85);
      expect(e.seconds / takes(next)).toBeLessThanOrEqual(1.15);
    },
  );

  it("counts documents' bytes: runs of small documents estimate a copy of the same documents at another count", () => {
    // 1 KB documents: bytes weigh in the default's shape; the fit keeps it and scales it.
    const size = { docs: 1_000, bytes: 1_024_000 };
    const takes = (d: number) => 0.8 + 2 * (d / DEFAULT_DOCS_PER_SECOND + (d * 1_024) / DEFAULT_BYTES_PER_SECOND);
    const runs = [100_000, 2_000].map((d) => ({ documents: d, bytes: d * 1_024, seconds: takes(d) }));
    within(estimateCopy(30_000, size, runs).seconds, takes(30_000));
  });

  it("takes fixed seconds no longer than the fastest run", () => {
    expect(fitModel([run(10, 0.3)], 0).fixedSeconds).toBe(0.3);
  });

  it("answers with a positive rate when runs of different sizes contradict each other", () => {
    // The bigger run was faster: no straight line fits; the estimate stays between the runs' times.
    const m = fitModel([run(10_000, 3), run(200_000, 2)], 0);
    expect(m.scale).toBeGreaterThan(0);
    const e = estimateCopy(100_000, undefined, [run(10_000, 3), run(200_000, 2)]);
    expect(e.seconds).toBeGreaterThan(1);
    expect(e.seconds).toBeLessThan(6);
  });

  it("splits an estimate into its fixed, documents' and bytes' parts, which add up to it", () => {
    const runs = [run(50_000, 4), run(1_000, 0.6)];
    const model = fitModel(runs, 100);
    const parts = estimateParts(model, 20_000, 2_000_000);
    expect(parts.fixed).toBe(model.fixedSeconds);
    expect(parts.fixed + parts.documents + parts.bytes).toBeCloseTo(
      estimateCopy(20_000, { docs: 1, bytes: 100 }, runs).seconds,
      1,
    );
  });

  it("fits nothing from runs without a time", () => {
    expect(fitModel([run(100, 0)], 0)).toEqual(fitModel([], 0));
  });
});

describe("the runs an index keeps", () => {
  it("keeps the newest runs", () => {
    let runs: CopyRun[] = [];
    for (let i = 1; i <= RUNS_KEPT + 2; i++) runs = recordRun(runs, run(i, i));
    expect(runs.map((r) => r.documents)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(recordRun(runs, undefined)).toEqual(runs);
  });

  it("records a run's documents, bytes at the index's document size and time", () => {
    expect(copyRunOf({ created: 90, updated: 10, durationSeconds: 2.5 }, { docs: 10, bytes: 1_000 })).toEqual({
      documents: 100,
      bytes: 10_000,
      seconds: 2.5,
    });
    expect(copyRunOf({ created: 5, durationSeconds: 1 }, undefined)).toEqual({ documents: 5, seconds: 1 });
  });

  it("leaves out a run whose full verification, not its copy, set its time", () => {
    const repair = { created: 3, updated: 0, durationSeconds: 9, verification: { method: "full", sourceCount: 1e6 } };
    expect(copyRunOf(repair, undefined)).toBeUndefined();
    const firstCopy = { ...repair, created: 1e6 };
    expect(copyRunOf(firstCopy, undefined)).toEqual({ documents: 1e6, seconds: 9 });
    expect(copyRunOf({ created: 3, durationSeconds: 0 }, undefined)).toBeUndefined();
  });

  it("reads state written before runs were kept: its last run, when it wrote documents", () => {
    expect(runsInState({ created: 400, updated: 100, durationSeconds: 2 })).toEqual([run(500, 2)]);
    expect(runsInState({ created: 0, updated: 0, durationSeconds: 1 })).toEqual([]);
    expect(runsInState(undefined)).toEqual([]);
    expect(runsInState({ copyRuns: [run(1, 1)], created: 400, durationSeconds: 2 })).toEqual([run(1, 1)]);
  });
});

describe("what users read", () => {
  it("says what the estimate was fitted on", () => {
    const e = estimateCopy(2_500, { docs: 10, bytes: 5_000 }, [run(20_000, 3), run(2_000, 1)]);
    expect(describeEstimate(e)).toMatch(
      /^2,500 document\(s\) \(1\.2 MB\) to copy, about [\d.]+s at [\d,]+ docs\/s plus [\d.]+s fixed \(fitted on this index's 2 run\(s\)\)$/,
    );
  });

  it("describes an estimate that state from before the fitted model holds", () => {
    const old = {
      documents: 200,
      bytes: 0,
      seconds: 0.01,
      rate: { docsPerSecond: 20_000, bytesPerSecond: 0, measured: false },
    };
    expect(describeEstimate(old)).toBe(
      "200 document(s) to copy, about 0.01s at 20,000 docs/s (the default model: no run yet)",
    );
  });

  it("adds estimates into a running total", () => {
    const a = estimateCopy(1_000, { docs: 10, bytes: 1_024 });
    const b = estimateCopy(3_000, { docs: 10, bytes: 1_024 });
    const t = addEstimate(addEstimate(undefined, a), b);
    expect(t).toMatchObject({ indices: 2, documents: 4_000, bytes: 409_600 });
    expect(t.seconds).toBeCloseTo(a.seconds + b.seconds, 2);
    expect(describeTotal(t)).toMatch(/^2 indices, 4,000 document\(s\) \(400\.0 KB\), about [\d.]+s one after another$/);
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GB");
  });

  it("reports the rate and the estimate in the summary row when the state has them", () => {
    const i = { connections: {} as any, sourceIndex: "logs", destIndex: "logs-v2", target: {}, copy: {}, finish: {} };
    const estimate = estimateCopy(100, { docs: 10, bytes: 100 });
    const row = summaryOf(i, {
      copyState: { created: 100, updated: 0, durationSeconds: 2 } as any,
      copyRate: { docsPerSecond: 50, bytesPerSecond: 500, measured: true },
      estimate,
    });
    expect(row.bytesPerSecond).toBe(500);
    expect(row.estimate).toEqual(estimate);
    expect(summaryOf(i, {})).not.toHaveProperty("estimate");
  });
});
