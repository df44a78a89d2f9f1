// MigrationFinish's provider against a real OpenSearch 2.19 node: final settings restored over the load values,
// documents written without a refresh counted after its refresh, the alias moved atomically from an old index
// (write flag kept), counts verified (and a short count refusing the cutover), read showing drift that the next
// update puts back, and delete leaving everything as it is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationFinishProvider as provider, checkFinishInputs, finishChanges } from "../../provider/finish";
import type { MigrationFinishOutputs } from "../../provider/finish";
import { startEngine, type EngineNode } from "../world/engines";
import { esJson, seedDocuments } from "../world/fixtures";

let node: EngineNode;

async function settingsOf(index: string): Promise<Record<string, string>> {
  const res = await esJson(node.url, "GET", `/${index}/_settings?flat_settings=true`);
  return res[index].settings;
}
async function aliasOf(alias: string): Promise<Record<string, any>> {
  const res = await esJson(node.url, "GET", `/_alias/${alias}`);
  return Object.fromEntries(Object.entries(res).map(([i, b]: [string, any]) => [i, b.aliases[alias]]));
}
function inputs(raw: Record<string, unknown>) {
  const { inputs, failures } = checkFinishInputs({ cluster: { url: node.url }, ...raw });
  expect(failures).toEqual([]);
  return inputs;
}

beforeAll(async () => {
  node = await startEngine({ engine: "opensearch", version: "2.19.x" });
  // The old index readers use through the write alias "articles".
  await esJson(node.url, "PUT", "/articles-v1", {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    aliases: { articles: { is_write_index: true } },
  });
  await seedDocuments(node.url, "articles-v1", { count: 3 });
  // The new index as a DestinationIndex leaves it during the load: no replicas, no refresh.
  await esJson(node.url, "PUT", "/articles-v2", {
    settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "-1" },
  });
  await seedDocuments(node.url, "articles-v2", { count: 5 });
  // Written after the last refresh: only the finish's refresh makes them countable (refresh_interval is -1).
  let bulk = "";
  for (let n = 5; n < 8; n++)
    bulk += `${JSON.stringify({ index: { _index: "articles-v2", _id: `d${n}` } })}\n${JSON.stringify({ n })}\n`;
  await esJson(node.url, "POST", "/_bulk", bulk);
});

afterAll(async () => {
  await node?.stop();
});

describe("MigrationFinish on OpenSearch 2.19", () => {
  let outs: MigrationFinishOutputs;

  it("restores the final settings, refreshes, verifies the count and moves the write alias in one request", async () => {
    const before = (await esJson(node.url, "GET", "/articles-v2/_count")).count;
    expect(before).toBe(5); // the 3 unrefreshed documents are not visible yet
    const res = await provider.create!(
      inputs({
        index: "articles-v2",
        finalSettings: { number_of_replicas: 0, refresh_interval: "1s" },
        alias: "articles",
        verify: { sourceCount: 8 },
        trigger: { taskIds: ["n:1"] },
      }),
    );
    outs = res.outs;
    expect(outs).toMatchObject({
      destCount: 8,
      sourceCount: 8,
      verified: true,
      aliasMovedFrom: ["articles-v1"],
      aliasIndices: ["articles-v2"],
    });
    expect(outs.settings).toEqual({ "index.number_of_replicas": "0", "index.refresh_interval": "1s" });
    expect(await settingsOf("articles-v2")).toMatchObject({
      "index.number_of_replicas": "0",
      "index.refresh_interval": "1s",
    });
    expect(await aliasOf("articles")).toEqual({ "articles-v2": { is_write_index: true } });
    // Writes through the alias now land in the new index.
    await esJson(node.url, "PUT", "/articles/_doc/through-alias?refresh=true", { n: 99 });
    expect((await esJson(node.url, "GET", "/articles-v2/_doc/through-alias")).found).toBe(true);
    await esJson(node.url, "DELETE", "/articles-v2/_doc/through-alias?refresh=true");
  });

  it("read shows a setting changed outside, diff plans a run, and the update puts it back", async () => {
    await esJson(node.url, "PUT", "/articles-v2/_settings", { index: { refresh_interval: "30s" } });
    const read = await provider.read!("articles-v2", outs);
    expect(read.props.settings).toEqual({ "index.number_of_replicas": "0", "index.refresh_interval": "30s" });
    const news = inputs({
      index: "articles-v2",
      finalSettings: { number_of_replicas: 0, refresh_interval: "1s" },
      alias: "articles",
      verify: { sourceCount: 8 },
      trigger: { taskIds: ["n:1"] },
    });
    expect(finishChanges(read.props as MigrationFinishOutputs, news)).toEqual([
      'settings drifted: index.refresh_interval is "30s", declared "1s"',
    ]);
    expect((await provider.diff!("articles-v2", read.props, news)).changes).toBe(true);
    const updated = await provider.update!("articles-v2", read.props, news);
    expect(updated.outs.settings).toEqual({ "index.number_of_replicas": "0", "index.refresh_interval": "1s" });
    expect(updated.outs.aliasMovedFrom).toEqual([]); // already there: nothing moved
    expect((await provider.diff!("articles-v2", updated.outs, news)).changes).toBe(false);
  });

  it("read shows an alias moved away, and the next run moves it back", async () => {
    await esJson(node.url, "POST", "/_aliases", {
      actions: [
        { remove: { index: "articles-v2", alias: "articles" } },
        { add: { index: "articles-v1", alias: "articles" } },
      ],
    });
    const read = await provider.read!("articles-v2", outs);
    expect(read.props.aliasIndices).toEqual(["articles-v1"]);
    const news = inputs({
      index: "articles-v2",
      finalSettings: { number_of_replicas: 0, refresh_interval: "1s" },
      alias: "articles",
      trigger: { taskIds: ["n:1"] },
    });
    expect((await provider.diff!("articles-v2", read.props, news)).changes).toBe(true);
    const updated = await provider.update!("articles-v2", read.props, news);
    expect(updated.outs.aliasMovedFrom).toEqual(["articles-v1"]);
    expect(Object.keys(await aliasOf("articles"))).toEqual(["articles-v2"]);
  });

  it("refuses the cutover when the index holds fewer documents than the source", async () => {
    await esJson(node.url, "PUT", "/short", { settings: { number_of_shards: 1, number_of_replicas: 0 } });
    await seedDocuments(node.url, "short", { count: 2 });
    await esJson(node.url, "POST", "/_aliases", { actions: [{ add: { index: "articles-v1", alias: "short-alias" } }] });
    await expect(
      provider.create!(
        inputs({
          index: "short",
          finalSettings: { refresh_interval: "1s" },
          alias: "short-alias",
          verify: { sourceCount: 3 },
        }),
      ),
    ).rejects.toThrow(
      /counts do not verify: the index holds 2 document\(s\), the source 3\. The alias "short-alias" was not moved/,
    );
    expect(Object.keys(await aliasOf("short-alias"))).toEqual(["articles-v1"]);
  });

  it("refuses an alias that is the name of an index", async () => {
    await expect(provider.create!(inputs({ index: "short", finalSettings: {}, alias: "articles-v1" }))).rejects.toThrow(
      /alias "articles-v1" is the name of an index on the destination/,
    );
  });

  it("delete leaves the documents, the settings and the alias", async () => {
    await provider.delete!("articles-v2", outs);
    expect((await esJson(node.url, "GET", "/articles-v2/_count")).count).toBe(8);
    expect(Object.keys(await aliasOf("articles"))).toEqual(["articles-v2"]);
    expect((await settingsOf("articles-v2"))["index.refresh_interval"]).toBe("1s");
  });
});
