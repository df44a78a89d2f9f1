import { describe, expect, it } from "vitest";
import {
  addEstimate,
  DEFAULT_DOCS_PER_SECOND,
  describeEstimate,
  describeTotal,
  estimateCopy,
  formatBytes,
  measuredRate,
} from "../../provider/migrated-index/estimate";
import { summaryOf } from "../../provider/migrated-index/parts";

describe("copy estimates", () => {
  it("estimates with the default rate before any run, bytes from the index's average document size", () => {
    const e = estimateCopy(40_000, { docs: 100_000, bytes: 50_000_000 });
    expect(e).toEqual({
      documents: 40_000,
      bytes: 20_000_000,
      seconds: 2,
      rate: { docsPerSecond: DEFAULT_DOCS_PER_SECOND, bytesPerSecond: 0, measured: false },
    });
    expect(describeEstimate(e)).toBe(
      "40,000 document(s) (19.1 MB) to copy, about 2.0s at 20,000 docs/s (the default rate: no run yet)",
    );
  });

  it("estimates with the rate the last run measured", () => {
    const rate = measuredRate(9_000, 3, { docs: 1_000, bytes: 2_048_000 })!;
    expect(rate).toEqual({ docsPerSecond: 3_000, bytesPerSecond: 6_144_000, measured: true });
    const e = estimateCopy(450_000, { docs: 1_000, bytes: 2_048_000 }, rate);
    expect(e.seconds).toBe(150);
    expect(describeEstimate(e)).toBe(
      "450,000 document(s) (878.9 MB) to copy, about 2m30s at 3,000 docs/s (measured on the last run)",
    );
  });

  it("takes no rate from a run that wrote nothing, and says no bytes when the source's size is unknown", () => {
    expect(measuredRate(0, 4, undefined)).toBeUndefined();
    expect(measuredRate(10, 0, undefined)).toBeUndefined();
    expect(estimateCopy(5, undefined).bytes).toBe(0);
    expect(describeEstimate(estimateCopy(5, undefined))).toMatch(/^5 document\(s\) to copy/);
  });

  it("adds estimates into a running total", () => {
    const a = estimateCopy(1_000, { docs: 10, bytes: 1_024 });
    const b = estimateCopy(3_000, { docs: 10, bytes: 1_024 });
    const t = addEstimate(addEstimate(undefined, a), b);
    expect(t).toEqual({ indices: 2, documents: 4_000, bytes: 409_600, seconds: 0.2 });
    expect(describeTotal(t)).toBe("2 indices, 4,000 document(s) (400.0 KB), about 0.20s one after another");
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
