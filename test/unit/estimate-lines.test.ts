import { describe, expect, it, vi } from "vitest";
import { announceEstimate, plannedEstimate } from "../../provider/migrated-index/estimate-lines";

// The source's index sizes (vi.mock is hoisted above the imports), as `_count` and `_cat/indices` would give them (no cluster in a unit test).
vi.mock("../../provider/migrated-index/facts", () => ({
  sourceIndexSizes: async () =>
    new Map([
      ["logs", { docs: 80_000, bytes: 4_800_000 }],
      ["orders", { docs: 40_000, bytes: 2_400_000 }],
    ]),
}));

const source = { url: "http://source:9200" };
const destination = { url: "http://dest:9200" };
const subject = (sourceIndex: string, destIndex?: string) => ({ source, destination, sourceIndex, destIndex });

describe("the preview's estimate lines", () => {
  it("say each index's estimate with the running total of its pair of clusters, and keep it for the up", async () => {
    const said: string[] = [];
    const say = (l: string) => void said.push(l);
    const logs = await announceEstimate(subject("logs", "logs"), "all", [], say);
    const orders = await announceEstimate(
      subject("orders", "orders-v2"),
      2_500,
      [{ documents: 40_000, seconds: 3 }],
      say,
    );
    expect(said[0]).toMatch(
      /^estimate logs -> logs: 80,000 document\(s\) \(4\.6 MB\) to copy, about [\d.]+s at [\d,]+ docs\/s plus 0\.45s fixed \(the default model: no run yet\); running total for these clusters: 1 index, 80,000 document\(s\)/,
    );
    expect(said[1]).toMatch(
      /^estimate orders -> orders-v2: 2,500 document\(s\) .* \(fitted on this index's 1 run\(s\)\); running total for these clusters: 2 indices, 82,500 document\(s\) \([\d.]+ MB\), about ([\d.]+)s one after another$/,
    );
    const total = Number(/about ([\d.]+)s one after another$/.exec(said[1])![1]);
    expect(total).toBeCloseTo(logs!.seconds + orders!.seconds, 0);
    expect(plannedEstimate(subject("orders", "orders-v2"))).toEqual(orders);
  });

  it("name a destination index not known yet, and say nothing for an index the source does not list", async () => {
    const said: string[] = [];
    await announceEstimate(subject("orders"), "all", [], (l) => void said.push(l));
    expect(said[0]).toMatch(/^estimate orders -> \(new index\): 40,000 document\(s\)/);
    expect(await announceEstimate(subject("gone", "gone"), "all", [], (l) => void said.push(l))).toBeUndefined();
    expect(said).toHaveLength(1);
  });
});
