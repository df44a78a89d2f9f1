import { describe, expect, it } from "vitest";
import { Batcher, bulkBody, documentLines, pick, type Batch } from "../../provider/copy/batch";
import { checkPage, scrollSearchBody } from "../../provider/copy/scroll";

const doc = (id: string, bytes: number) => ({ id, text: `${"x".repeat(bytes - 1)}\n` });

function feed(b: Batcher, docs: { id: string; text: string }[]): Batch[] {
  const out = docs.flatMap((d) => b.add(d.id, d.text));
  const rest = b.flush();
  return rest ? [...out, rest] : out;
}

describe("batching by documents and bytes", () => {
  it("cuts at the document limit", () => {
    const batches = feed(
      new Batcher(3, 1_000_000),
      Array.from({ length: 7 }, (_, i) => doc(`d${i}`, 10)),
    );
    expect(batches.map((b) => b.ids)).toEqual([["d0", "d1", "d2"], ["d3", "d4", "d5"], ["d6"]]);
  });

  it("never lets a batch pass the byte limit", () => {
    const sizes = [40, 30, 30, 50, 10, 99, 1, 60];
    const batches = feed(
      new Batcher(1000, 100),
      sizes.map((s, i) => doc(`d${i}`, s)),
    );
    for (const b of batches) {
      expect(b.bytes).toBeLessThanOrEqual(100);
      expect(Buffer.byteLength(bulkBody(b))).toBe(b.bytes);
    }
    expect(batches.flatMap((b) => b.ids)).toEqual(sizes.map((_, i) => `d${i}`));
    expect(batches.map((b) => b.ids)).toEqual([["d0", "d1", "d2"], ["d3", "d4"], ["d5", "d6"], ["d7"]]);
  });

  it("sends a document larger than the limit alone, without losing the ones around it", () => {
    const batches = feed(new Batcher(1000, 100), [doc("a", 40), doc("big", 500), doc("b", 40)]);
    expect(batches.map((b) => b.ids)).toEqual([["a"], ["big"], ["b"]]);
  });

  it("counts bytes as UTF-8, not as characters", () => {
    const b = new Batcher(1000, 10);
    expect(b.add("a", "ééé\n")).toEqual([]); // 7 bytes
    const full = b.add("b", "éé\n"); // 5 bytes: 12 > 10
    expect(full.map((x) => x.ids)).toEqual([["a"]]);
    expect(full[0].bytes).toBe(7);
  });

  it("picks the documents to send again", () => {
    const [batch] = feed(new Batcher(10, 1000), [doc("a", 5), doc("b", 6), doc("c", 7)]);
    const again = pick(batch, [0, 2]);
    expect(again.ids).toEqual(["a", "c"]);
    expect(again.bytes).toBe(12);
    expect(bulkBody(again)).toBe(batch.lines[0] + batch.lines[2]);
  });
});

describe("bulk action lines", () => {
  const hit = { _id: "7", _type: "doc", _routing: "u1", _source: { a: "é" } };

  it("drops the 6.x mapping type for a 7+ destination and keeps routing", () => {
    const out = documentLines(hit, { opType: "index" });
    expect(out).toEqual({ text: `{"index":{"_id":"7","routing":"u1"}}\n{"a":"é"}\n` });
  });

  it("keeps a 6.x source's type for a 6.x destination, and uses _doc from a typeless source", () => {
    expect(documentLines(hit, { opType: "create", destType: "_doc", keepSourceType: true })).toEqual({
      text: `{"create":{"_id":"7","_type":"doc","routing":"u1"}}\n{"a":"é"}\n`,
    });
    expect(
      documentLines({ _id: "8", _source: {} }, { opType: "index", destType: "_doc", keepSourceType: false }),
    ).toEqual({ text: `{"index":{"_id":"8","_type":"_doc"}}\n{}\n` });
  });

  it("refuses a document without _source, naming it", () => {
    expect(documentLines({ _id: "9" }, { opType: "index" })).toEqual({
      error: expect.stringMatching(/^document 9: no _source/),
    });
  });
});

describe("scroll pages", () => {
  it("opens a scroll sorted by _doc, sliced only when asked", () => {
    expect(scrollSearchBody({ index: "i", size: 500, keepAlive: "5m" })).toEqual({ size: 500, sort: ["_doc"] });
    expect(
      scrollSearchBody({ index: "i", size: 500, keepAlive: "5m", query: { term: { t: 1 } }, slice: { id: 1, max: 4 } }),
    ).toEqual({
      size: 500,
      sort: ["_doc"],
      query: { term: { t: 1 } },
      slice: { id: 1, max: 4 },
    });
  });

  it("fails on a page with failed shards instead of skipping their documents", () => {
    expect(() =>
      checkPage(
        {
          _shards: {
            total: 2,
            failed: 1,
            failures: [
              { reason: { type: "search_context_missing_exception", reason: "No search context found for id [5]" } },
            ],
          },
        },
        "logs",
      ),
    ).toThrow(/1 shard\(s\) failed.*search_context_missing_exception: No search context found/);
    expect(() => checkPage({ _shards: { total: 2, failed: 0 }, hits: { hits: [] } }, "logs")).not.toThrow();
  });
});
