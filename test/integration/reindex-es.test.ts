// Reindex Elasticsearch 7.10 -> Elasticsearch 7.10 (the other destination flavor of the issue), 100,000 documents.
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { reindexProvider } from "../../provider/reindex/provider";
import { startEngine } from "../world/engines";
import { readIds, seedDocuments } from "../world/fixtures";

const DOCS = Number(process.env.REINDEX_TEST_DOCS ?? 100_000);
type Engine = Awaited<ReturnType<typeof startEngine>>;
let source: Engine;
let dest: Engine;
let src: Cluster;

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "elasticsearch", version: "7.10.2", allow: [new URL(source.url).host] });
  src = connect({ url: source.url }, "source");
  await src.request({
    method: "PUT",
    path: "/big",
    body: { settings: { number_of_shards: 2, number_of_replicas: 0 } },
  });
  // Seeded and refreshed: unrefreshed documents would be invisible to the copy's scroll but counted afterwards.
  await seedDocuments(source.url, "big", { count: DOCS });
});

afterAll(async () => {
  await src?.close();
  await dest?.stop();
  await source?.stop();
});

it(`copies ${DOCS} documents Elasticsearch 7.10 -> 7.10 through the provider: counts and ID sets equal`, async () => {
  const { inputs, failures } = await reindexProvider.check!(
    {},
    { cluster: { url: dest.url }, destIndex: "copy", source: { index: "big", remote: { host: source.url } } },
  );
  expect(failures).toEqual([]);
  const res = await reindexProvider.create!(inputs);
  expect(res.outs).toMatchObject({ status: "complete", created: DOCS, sourceCount: DOCS, destCount: DOCS });
  expect(await readIds(dest.url, "copy")).toEqual(await readIds(source.url, "big"));
  // A second look changes nothing: a full copy is not repeated without a reason.
  expect(await reindexProvider.diff!(res.id, res.outs, inputs)).toMatchObject({ changes: false });
});
