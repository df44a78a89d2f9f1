// Reindex Elasticsearch 7.10 -> Elasticsearch 7.10 (the other destination flavor of the issue), 100,000 documents.
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { reindexProvider } from "../../provider/reindex/provider";
import { startEngine } from "../world/engines";

const DOCS = Number(process.env.REINDEX_TEST_DOCS ?? 100_000);
type Engine = Awaited<ReturnType<typeof startEngine>>;
let source: Engine;
let dest: Engine;
let src: Cluster;
let dst: Cluster;

async function allIds(c: Cluster, index: string): Promise<string[]> {
  await c.request({ method: "POST", path: `/${index}/_refresh` });
  const out: string[] = [];
  let res = await c.request<any>({ method: "POST", path: `/${index}/_search`, querystring: { scroll: "1m" }, body: { size: 5000, _source: false, sort: ["_doc"] } });
  while (res.hits.hits.length > 0) {
    for (const h of res.hits.hits) out.push(h._id);
    res = await c.request<any>({ method: "POST", path: "/_search/scroll", body: { scroll: "1m", scroll_id: res._scroll_id } });
  }
  return out.sort();
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "elasticsearch", version: "7.10.2", allow: [new URL(source.url).host] });
  src = connect({ url: source.url }, "source");
  dst = connect({ url: dest.url }, "destination");
  await src.request({ method: "PUT", path: "/big", body: { settings: { number_of_shards: 2, number_of_replicas: 0 } } });
  for (let start = 0; start < DOCS; start += 5000) {
    const lines: unknown[] = [];
    for (let i = start; i < Math.min(DOCS, start + 5000); i++) lines.push({ index: { _index: "big", _id: `d${i}` } }, { n: i, msg: `m${i}` });
    expect((await src.request<any>({ method: "POST", path: "/_bulk", body: lines })).errors).toBe(false);
  }
  // Unrefreshed documents are invisible to the copy's scroll but counted later: the run would (rightly) fail verification.
  await src.request({ method: "POST", path: "/big/_refresh" });
});

afterAll(async () => {
  await src?.close();
  await dst?.close();
  await dest?.stop();
  await source?.stop();
});

it(`copies ${DOCS} documents Elasticsearch 7.10 -> 7.10 through the provider: counts and ID sets equal`, async () => {
  const { inputs, failures } = await reindexProvider.check!({}, { cluster: { url: dest.url }, destIndex: "copy", source: { index: "big", remote: { host: source.url } } });
  expect(failures).toEqual([]);
  const res = await reindexProvider.create!(inputs);
  expect(res.outs).toMatchObject({ status: "complete", created: DOCS, sourceCount: DOCS, destCount: DOCS });
  expect(await allIds(dst, "copy")).toEqual(await allIds(src, "big"));
  // A second look changes nothing: a full copy is not repeated without a reason.
  expect(await reindexProvider.diff!(res.id, res.outs, inputs)).toMatchObject({ changes: false });
});
