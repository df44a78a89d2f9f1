// A comparison whose source side is read while the copy still writes the destination, against fake clusters that
// serve scroll pages (no network).
import { describe, expect, it } from "vitest";
import type { ClusterRequest } from "../../provider/connection/types";
import { SourceFirstComparison } from "../../provider/verify";
import { fakeCluster } from "../helpers/fake-cluster";

/** A cluster holding `ids`, answering scroll searches page by page; `failScroll` fails the first continuation. */
function scrollCluster(ids: string[], failScroll = false) {
  const scrolls = new Map<string, { at: number; size: number }>();
  let failed = false;
  const page = (key: string) => {
    const s = scrolls.get(key)!;
    const hits = ids.slice(s.at, s.at + s.size).map((id) => ({ _id: id }));
    s.at += s.size;
    return { _scroll_id: key, _shards: { failed: 0 }, hits: { hits } };
  };
  return fakeCluster((req: ClusterRequest): unknown => {
    if (req.method === "DELETE") return {};
    if (req.path === "/_search/scroll") {
      if (failScroll && !failed) {
        failed = true;
        throw new Error("search_context_missing_exception: No search context found");
      }
      return page((req.body as { scroll_id: string }).scroll_id);
    }
    const key = `s${scrolls.size}`;
    scrolls.set(key, { at: 0, size: (req.body as { size: number }).size });
    return page(key);
  });
}

const ids = (n: number, prefix = "d") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const request = { sourceIndex: "src", destIndex: "dest", query: { match_all: {} }, level: "ids" as const };
const settle = () => new Promise((r) => setTimeout(r, 20));

describe("a comparison that reads the source first", () => {
  it("reads the source before the destination is asked, then finds what the copy missed", async () => {
    const src = scrollCluster(ids(12_000));
    const dest = scrollCluster(ids(12_000).filter((id) => id !== "d7"));
    const comparison = new SourceFirstComparison(src, request);
    await settle();
    expect(src.requests.filter((r) => r.method === "POST").length).toBe(2);
    expect(dest.requests.length).toBe(0);
    const diff = await comparison.finish(dest);
    expect(diff.missing.map((d) => d.id)).toEqual(["d7"]);
    expect(diff.sourceCount).toBe(12_000);
    expect(diff.destCount).toBe(11_999);
  });

  it("holds the source read back at its bound until the destination is read", async () => {
    const src = scrollCluster(ids(20_001));
    const comparison = new SourceFirstComparison(src, request, 5000);
    await settle();
    // One page of 10,000 is past the bound of 5,000: the next page waits.
    expect(src.requests.filter((r) => r.method === "POST").length).toBe(1);
    const diff = await comparison.finish(scrollCluster(ids(20_001)));
    expect(diff.sourceCount).toBe(20_001);
    expect(diff.missing.length + diff.extra.length).toBe(0);
  });

  it("reads the source again when its first read failed while held back", async () => {
    const src = scrollCluster(ids(15_000), true);
    const comparison = new SourceFirstComparison(src, request, 5000);
    await settle();
    const diff = await comparison.finish(scrollCluster([...ids(15_000), "x1"]));
    expect(diff.sourceCount).toBe(15_000);
    expect(diff.extra.map((d) => d.id)).toEqual(["x1"]);
  });

  it("clears the source's scroll when no comparison follows", async () => {
    const src = scrollCluster(ids(20_001));
    const comparison = new SourceFirstComparison(src, request, 5000);
    await settle();
    await comparison.cancel();
    expect(src.requests.at(-1)?.method).toBe("DELETE");
  });
});
