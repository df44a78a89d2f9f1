import { describe, expect, it } from "vitest";
import { partitionCountFor, writeThreads } from "../../provider/reindex/partitions";

describe("the partition count chosen from the destination", () => {
  it("sums the write threads of the data nodes, leaving out nodes without a data role", () => {
    const info = {
      nodes: {
        a: { roles: ["master", "data", "ingest"], thread_pool: { write: { type: "fixed", size: 4 } } },
        b: { roles: ["data_hot", "data_content"], thread_pool: { write: { type: "fixed", size: 2 } } },
        c: { roles: ["master"], thread_pool: { write: { type: "fixed", size: 8 } } },
      },
    };
    expect(writeThreads(info)).toBe(6);
  });

  it("reads the bulk pool of Elasticsearch 5.x, which reports min and max", () => {
    const info = { nodes: { a: { roles: ["data"], thread_pool: { bulk: { type: "fixed", min: 2, max: 2 } } } } };
    expect(writeThreads(info)).toBe(2);
  });

  it("reports nothing when no pool is shown", () => {
    expect(writeThreads(undefined)).toBeUndefined();
    expect(writeThreads({ nodes: { a: { roles: ["data"] } } })).toBeUndefined();
  });

  it("runs two tasks a write thread, at least 2 and at most 8, and 4 when the pools cannot be read", () => {
    expect(partitionCountFor(1).count).toBe(2);
    expect(partitionCountFor(2)).toEqual({
      count: 4,
      reason: "two a write thread of the destination's data nodes (2)",
    });
    expect(partitionCountFor(16).count).toBe(8);
    expect(partitionCountFor(16).reason).toContain("at most 8");
    expect(partitionCountFor(undefined).count).toBe(4);
    expect(partitionCountFor(undefined).reason).toContain("could not be read");
  });
});
