// DestinationIndex from an Elasticsearch 6.8 source: the single mapping type is unwrapped for a typeless
// Elasticsearch 7.10 destination, and the 6.x-only settings are left behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { destinationIndexProvider as provider } from "../../provider/destination-index";
import { startEngine } from "../world/engines";

type Engine = Awaited<ReturnType<typeof startEngine>>;
let es6: Engine;
let es7: Engine;
let src: Cluster;
let dest: Cluster;

beforeAll(async () => {
  es6 = await startEngine({ engine: "elasticsearch", version: "6.8.x" });
  es7 = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  src = connect({ url: es6.url }, "source");
  dest = connect({ url: es7.url }, "destination");
  await src.request({
    method: "PUT",
    path: "/tweets",
    body: {
      settings: { number_of_shards: 3, number_of_replicas: 0, analysis: { analyzer: { a: { type: "custom", tokenizer: "standard", filter: ["standard", "lowercase"] } } } },
      mappings: { tweet: { properties: { text: { type: "text", analyzer: "a" }, user: { type: "keyword" } } } },
    },
  });
});

afterAll(async () => {
  await src?.close();
  await dest?.close();
  await es7?.stop();
  await es6?.stop();
});

describe("DestinationIndex: Elasticsearch 6.8 -> Elasticsearch 7.10", () => {
  it("unwraps the 6.x mapping type and drops the removed `standard` token filter", async () => {
    const { inputs, failures } = await provider.check!({}, { cluster: { url: es7.url }, index: "tweets", copyFrom: { cluster: { url: es6.url }, index: "tweets" }, deletionProtection: false });
    expect(failures).toEqual([]);
    const { outs } = await provider.create(inputs);
    const mapping = (await dest.request<any>({ method: "GET", path: "/tweets/_mapping" })).tweets.mappings;
    expect(mapping.properties).toEqual({ text: { type: "text", analyzer: "a" }, user: { type: "keyword" } });
    const live = (await dest.request<any>({ method: "GET", path: "/tweets/_settings", querystring: { flat_settings: true } })).tweets.settings;
    expect(live["index.number_of_shards"]).toBe("3");
    expect(live["index.analysis.analyzer.a.filter"]).toEqual(["lowercase"]);
    expect(outs.copied?.typeName).toBe("tweet");
    expect(outs.sourceInfo?.major).toBe(6);
    await provider.delete!("tweets", outs);
  });
});
