// The copy's writers and its backpressure, against fake clusters (no network): 429 item rejections are sent again,
// and readers never run ahead of a slow destination by more than the queue's bound.
import { describe, expect, it } from "vitest";
import { copyIndex } from "../../provider/copy";
import { Batcher } from "../../provider/copy/batch";
import { reserve } from "../../provider/copy/throttle";
import { emptyTally, writeBatch } from "../../provider/copy/writer";
import { fakeCluster } from "../helpers/fake-cluster";

const idsOf = (body: string) =>
  body
    .split("\n")
    .filter((line, i) => i % 2 === 0 && line !== "")
    .map((l) => Object.values<any>(JSON.parse(l))[0]._id as string);

describe("writing a batch", () => {
  const batcher = new Batcher(10, 1e6);
  for (const id of ["a", "b", "c"]) batcher.add(id, `{"index":{"_id":"${id}"}}\n{}\n`);
  const batch = batcher.flush()!;

  it("sends documents rejected with 429 again, only those, until they are written", async () => {
    let round = 0;
    const dest = fakeCluster((req) => {
      const ids = idsOf(req.body as string);
      round++;
      return {
        items: ids.map((id) => ({
          index:
            round < 3 && id !== "a"
              ? { _id: id, status: 429, error: { type: "es_rejected_execution_exception", reason: "queue full" } }
              : { _id: id, status: 201, result: "created" },
        })),
      };
    });
    const tally = emptyTally(5);
    await writeBatch(
      batch,
      {
        dest,
        destIndex: "x",
        opType: "index",
        conflicts: "abort",
        rejectedRetries: 5,
        rejectedBackoffMs: 1,
        signal: new AbortController().signal,
      },
      tally,
    );
    expect(dest.requests.map((r) => idsOf(r.body as string))).toEqual([
      ["a", "b", "c"],
      ["b", "c"],
      ["b", "c"],
    ]);
    expect(tally).toMatchObject({ created: 3, retries: 4 });
    expect(tally.failures.count).toBe(0);
    expect(dest.requests[0]).toMatchObject({ method: "POST", path: "/x/_bulk", idempotent: true });
  });

  it("gives up after the retries and keeps the engine's reason", async () => {
    const dest = fakeCluster((req) => ({
      items: idsOf(req.body as string).map((id) => ({
        index: { _id: id, status: 429, error: { type: "es_rejected_execution_exception", reason: "queue full" } },
      })),
    }));
    const tally = emptyTally(1);
    await writeBatch(
      batch,
      {
        dest,
        destIndex: "x",
        opType: "create",
        conflicts: "abort",
        rejectedRetries: 2,
        rejectedBackoffMs: 1,
        signal: new AbortController().signal,
      },
      tally,
    );
    expect(dest.requests).toHaveLength(3);
    expect(dest.requests[0].idempotent).toBe(false);
    expect(tally.failures.count).toBe(3);
    expect(tally.failures.kept).toEqual([
      "document a: es_rejected_execution_exception: queue full (still rejected after 2 retries)",
    ]);
  });
});

describe("copyIndex against fake clusters", () => {
  const PAGES = 40;
  const PAGE = 50;

  /** A source with PAGES pages of PAGE documents per scroll (plain scroll), counting pages served and scrolls cleared. */
  function fakeSource() {
    let served = 0;
    const cleared: string[] = [];
    const page = (n: number) => ({
      _scroll_id: "s1",
      _shards: { total: 1, failed: 0 },
      hits: {
        hits:
          n >= PAGES
            ? []
            : Array.from({ length: PAGE }, (_, i) => ({ _id: `d${n * PAGE + i}`, _source: { n: n * PAGE + i } })),
      },
    });
    const cluster = fakeCluster((req) => {
      if (req.path.endsWith("/_count")) return { count: PAGES * PAGE };
      if (req.method === "DELETE") return void cleared.push(...(req.body as any).scroll_id);
      return page(served++);
    });
    return { cluster, served: () => served, cleared };
  }

  it("keeps readers within the queue's bound of a slow destination", async () => {
    const src = fakeSource();
    let written = 0;
    let maxAhead = 0;
    const dest = fakeCluster(async (req) => {
      await new Promise((r) => setTimeout(r, 5));
      const ids = idsOf(req.body as string);
      // Documents read but not yet written: what the copy holds in memory.
      maxAhead = Math.max(maxAhead, src.served() * PAGE - written);
      written += ids.length;
      return { items: ids.map((id) => ({ index: { _id: id, status: 201, result: "created" } })) };
    });
    const res = await copyIndex({
      source: src.cluster,
      dest,
      sourceIndex: "s",
      destIndex: "d",
      slices: 1,
      batchSize: PAGE,
      maxBulkDocs: PAGE,
      concurrency: 1,
      queueCapacity: 2,
    });
    expect(res).toMatchObject({ docs: PAGES * PAGE, created: PAGES * PAGE, failed: 0 });
    // One batch being written, two queued, one the reader holds waiting for room, one page just read.
    expect(maxAhead).toBeLessThanOrEqual(5 * PAGE);
    expect(src.cleared).toEqual(["s1"]);
  });

  it("aborts promptly while a write hangs, clears the scroll and rejects with the reason", async () => {
    const src = fakeSource();
    const dest = fakeCluster(() => new Promise(() => undefined)); // never answers
    const controller = new AbortController();
    const copy = copyIndex({
      source: src.cluster,
      dest,
      sourceIndex: "s",
      destIndex: "d",
      slices: 1,
      batchSize: PAGE,
      maxBulkDocs: PAGE,
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 50));
    const reason = new Error("stop");
    const t = Date.now();
    controller.abort(reason);
    await expect(copy).rejects.toBe(reason);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(src.cleared).toEqual(["s1"]);
    expect(src.served()).toBeLessThan(PAGES);
  });

  it("stops at the first failed bulk request, clears the scroll and rejects with its error", async () => {
    const src = fakeSource();
    const dest = fakeCluster(() =>
      Promise.reject(new Error("destination http://d: POST /d/_bulk failed: 413 Request Entity Too Large")),
    );
    await expect(
      copyIndex({ source: src.cluster, dest, sourceIndex: "s", destIndex: "d", slices: 1, batchSize: PAGE }),
    ).rejects.toThrow(/413/);
    expect(src.cleared).toEqual(["s1"]);
  });
});

describe("requestsPerSecond", () => {
  it("spaces bulks by their share of time on one clock, never waiting when behind", () => {
    expect(reserve(1000, 0, 500, 1000)).toEqual({ waitMs: 0, nextAt: 1500 });
    expect(reserve(1100, 1500, 500, 1000)).toEqual({ waitMs: 400, nextAt: 2000 });
    expect(reserve(5000, 2000, 100, 50)).toEqual({ waitMs: 0, nextAt: 7000 });
  });
});
