// Verification of a Reindex against real nodes: an Elasticsearch 7.10.2 source and an OpenSearch 2.19 destination
// (remote reindex straight from the source), with the provider's own reads of the source going through the test
// world's proxy so that a fault can hit the verification alone. Provider methods are called as the Pulumi dynamic
// provider host calls them; the same behaviours through the real CLI are in test/e2e/provable-copies.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reindexProvider } from "../../provider/reindex/provider";
import { validateInputs } from "../../provider/reindex/validate";
import { startEngine, type EngineNode } from "../world/engines";
import { EngineHttpError, countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import { startProxy, type Proxy } from "../world/proxy";

let source: EngineNode;
let dest: EngineNode;
let proxy: Proxy;

function inputsFor(destIndex: string, index: string, extra: Record<string, unknown> = {}) {
  const { inputs, failures } = validateInputs({
    cluster: { url: dest.url },
    destIndex,
    source: { index, remote: { host: source.url }, cluster: { url: proxy.url } },
    ...extra,
  });
  expect(failures).toEqual([]);
  return inputs;
}

async function fresh(url: string, index: string): Promise<void> {
  await esJson(url, "DELETE", `/${index}`).catch((e: unknown) => {
    if (!(e instanceof EngineHttpError && e.status === 404)) throw e;
  });
  await esJson(url, "PUT", `/${index}`, { settings: { number_of_shards: 2, number_of_replicas: 0 } });
}

/** What the provider printed (the lines the Pulumi CLI shows) while `f` ran. */
async function printed<T>(f: () => Promise<T>): Promise<{ result: T; lines: string }> {
  const out = vi.spyOn(console, "log");
  const err = vi.spyOn(console, "error");
  try {
    const result = await f();
    return { result, lines: [...out.mock.calls.flat(), ...err.mock.calls.flat()].join("\n") };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const doc = (url: string, index: string, id: string) => esJson(url, "GET", `/${index}/_doc/${id}`);

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  proxy = await startProxy({ target: source.url });
});

afterAll(async () => {
  await proxy?.stop();
  await dest?.stop();
  await source?.stop();
});

describe("verification and repair (ES 7.10.2 -> OpenSearch 2.19)", () => {
  it("content: a document changed by hand at the destination plans an update, which repairs it and its version", async () => {
    await fresh(source.url, "content");
    await seedDocuments(source.url, "content", { count: 2000 });
    const inputs = inputsFor("content", "content", { verify: "content" });
    const created = await reindexProvider.create!(inputs);
    expect(created.outs).toMatchObject({ status: "complete", versioning: "external" });
    expect(created.outs.verification).toMatchObject({
      level: "content",
      sourceCount: 2000,
      destCount: 2000,
      missing: 0,
      differing: 0,
      repaired: 0,
    });
    expect((await printed(() => reindexProvider.diff!(created.id, created.outs, inputs))).result).toMatchObject({
      changes: false,
    });

    await esJson(dest.url, "PUT", "/content/_doc/d7?refresh=true", { n: 7, msg: "changed by hand" });
    const preview = await printed(() => reindexProvider.diff!(created.id, created.outs, inputs));
    expect(preview.result).toMatchObject({ changes: true });
    expect(preview.lines).toContain(
      "reindex content -> content: the destination index changed since the last run (1 write(s) not made by this copy): up verifies (content) and repairs",
    );

    const updated = await reindexProvider.update!(created.id, created.outs, inputs);
    expect(updated.outs.verification).toMatchObject({
      level: "content",
      differing: 1,
      repaired: 1,
      firstIds: { differing: ["d7"] },
    });
    const [s, d] = await Promise.all([doc(source.url, "content", "d7"), doc(dest.url, "content", "d7")]);
    expect(d._source).toEqual(s._source);
    // The repaired document carries the source's version again, so later source versions keep being copied.
    expect(d._version).toBe(s._version);
    expect((await printed(() => reindexProvider.diff!(created.id, updated.outs, inputs))).result).toMatchObject({
      changes: false,
    });
  });

  it("after a verified run, the next checks only what changed since; an update no window holds is found and copied", async () => {
    await fresh(source.url, "changes");
    const seed = (from: number, count: number, ts: (n: number) => number) =>
      seedDocuments(source.url, "changes", { startId: from, count, doc: (n) => ({ n, ts: ts(n) }) });
    await seed(0, 5000, (n) => n);
    const inputs = inputsFor("changes", "changes", { mode: { type: "incremental", field: "ts", lookback: 10 } });
    const created = await reindexProvider.create!(inputs);
    expect(created.outs.verification).toMatchObject({ method: "full", sourceCount: 5000, destCount: 5000 });

    await seed(5000, 5, (n) => n); // in the window
    await seed(42, 1, () => 42); // an update far below the watermark: no window holds it
    const updated = await reindexProvider.update!(created.id, created.outs, inputs);
    expect(updated.outs.verification).toMatchObject({
      method: "changes",
      sourceCount: 5005,
      destCount: 5005,
      missing: 0,
      differing: 1,
      repaired: 1,
      firstIds: { differing: ["d42"] },
    });
    const [s, d] = await Promise.all([doc(source.url, "changes", "d42"), doc(dest.url, "changes", "d42")]);
    expect(d._version).toBe(s._version);
    expect(await readIds(dest.url, "changes")).toEqual(await readIds(source.url, "changes"));

    // Someone writes to the destination: the next run cannot build on the last one and compares in full.
    await esJson(dest.url, "PUT", "/changes/_doc/stray?refresh=true", { n: -1, ts: 1 });
    const again = await reindexProvider.update!(created.id, updated.outs, inputs);
    expect(again.outs.verification).toMatchObject({
      method: "full",
      extra: 1,
      extraKept: 1,
      firstIds: { extra: ["stray"] },
    });
  });

  it("ids: documents deleted by hand at the destination are found and copied again by id", async () => {
    await fresh(source.url, "holes");
    await seedDocuments(source.url, "holes", { count: 3000 });
    const inputs = inputsFor("holes", "holes");
    const created = await reindexProvider.create!(inputs);
    await esJson(dest.url, "POST", "/holes/_delete_by_query?refresh=true", {
      query: { ids: { values: ["d1", "d2", "d3"] } },
    });
    expect((await printed(() => reindexProvider.diff!(created.id, created.outs, inputs))).result).toMatchObject({
      changes: true,
    });
    const updated = await reindexProvider.update!(created.id, created.outs, inputs);
    expect(updated.outs.verification).toMatchObject({ level: "ids", missing: 3, repaired: 3, destCount: 3000 });
    expect(await readIds(dest.url, "holes")).toEqual(await readIds(source.url, "holes"));
  });

  it("content on an Elasticsearch 7.10 destination: the repair realigns the version there too (a flush is needed)", async () => {
    // A local reindex inside the ES 7.10 node (no remote): the destination is Elasticsearch this time.
    await fresh(source.url, "es-src");
    await seedDocuments(source.url, "es-src", { count: 500 });
    const { inputs, failures } = validateInputs({
      cluster: { url: source.url },
      destIndex: "es-dst",
      source: { index: "es-src" },
      verify: "content",
    });
    expect(failures).toEqual([]);
    const created = await reindexProvider.create!(inputs);
    expect(created.outs).toMatchObject({ status: "complete", versioning: "external" });
    await esJson(source.url, "PUT", "/es-dst/_doc/d3?refresh=true", { n: 3, msg: "changed by hand" });
    // A full copy whose destination changed: the update only verifies, and repairs.
    const repaired = await reindexProvider.update!(created.id, created.outs, inputs);
    expect(repaired.outs.verification).toMatchObject({ level: "content", differing: 1, repaired: 1 });
    const [s, d] = await Promise.all([doc(source.url, "es-src", "d3"), doc(source.url, "es-dst", "d3")]);
    expect(d._source).toEqual(s._source);
    expect(d._version).toBe(s._version);
  });

  it("deletes reconcile: what the source lost is deleted; above maxDeletePercent nothing is, and the error says why", async () => {
    await fresh(source.url, "gone");
    await seedDocuments(source.url, "gone", { count: 1000 });
    const inputs = inputsFor("gone", "gone", { deletes: "reconcile" });
    const created = await reindexProvider.create!(inputs);

    await esJson(source.url, "POST", "/gone/_delete_by_query?refresh=true", { query: { range: { n: { lt: 10 } } } }); // 1%
    const preview = await printed(() => reindexProvider.diff!(created.id, created.outs, inputs));
    expect(preview.result).toMatchObject({ changes: true });
    expect(preview.lines).toContain(
      '10 destination document(s) no longer exist at the source: up deletes them (deletes: "reconcile", at most 5%)',
    );
    const updated = await reindexProvider.update!(created.id, created.outs, inputs);
    expect(updated.outs.verification).toMatchObject({ extra: 10, repaired: 10, extraKept: 0 });
    expect(await readIds(dest.url, "gone")).toEqual(await readIds(source.url, "gone"));

    await esJson(source.url, "POST", "/gone/_delete_by_query?refresh=true", { query: { range: { n: { lt: 110 } } } }); // 100 of 990
    const err: any = await reindexProvider.update!(created.id, updated.outs, inputs).catch((e) => e);
    expect(err.message).toMatch(
      /100 destination documents \(10\.10% of 990\) no longer exist at the source, more than maxDeletePercent \(5%\) allows one run to delete; nothing was deleted/,
    );
    expect(await countDocs(dest.url, "gone")).toBe(990);
  });

  it("deletes report: preview names the count and plans nothing; up leaves them", async () => {
    await fresh(source.url, "kept");
    await seedDocuments(source.url, "kept", { count: 500 });
    const inputs = inputsFor("kept", "kept");
    const created = await reindexProvider.create!(inputs);
    await esJson(source.url, "POST", "/kept/_delete_by_query?refresh=true", { query: { range: { n: { lt: 5 } } } });
    const preview = await printed(() => reindexProvider.diff!(created.id, created.outs, inputs));
    expect(preview.result).toMatchObject({ changes: false });
    expect(preview.lines).toContain(
      '5 destination document(s) no longer exist at the source (deletes: "report" leaves them; "reconcile" deletes them)',
    );
    expect(await countDocs(dest.url, "kept")).toBe(500);
  });

  it("check refuses content verification of a source index whose _source is disabled", async () => {
    await esJson(source.url, "PUT", "/no-source", { mappings: { _source: { enabled: false } } });
    const res = await reindexProvider.check!(
      {},
      {
        cluster: { url: dest.url },
        destIndex: "x",
        source: { index: "no-source", remote: { host: source.url } },
        verify: "content",
      },
    );
    expect(res.failures?.map((f) => `${f.property}: ${f.reason}`)).toContain(
      'verify: verify "content" compares each document\'s _source, but no-source disables _source at the source: use verify: "ids"',
    );
  });

  it("a connection dropped during verification fails the run with the reason; the next update verifies and finishes", async () => {
    await fresh(source.url, "flaky");
    await seedDocuments(source.url, "flaky", { count: 12_000 });
    const inputs = inputsFor("flaky", "flaky");
    proxy.clearLog();
    // The provider's reads of the source go through the proxy; the copy itself does not (the destination pulls
    // straight from the source). The verification reads the source again once when its read fails, so every scroll
    // request of the verification's scan is cut while the fault stands.
    const fault = proxy.setFault({ kind: "drop", afterBytes: 100, path: "/_search/scroll" });
    const err: any = await reindexProvider.create!(inputs).catch((e) => e);
    proxy.setFault(undefined);
    expect(fault!.hits).toBeGreaterThanOrEqual(2);
    expect(err.properties).toMatchObject({ status: "failed" });
    expect(err.properties.partitionStates.every((p: any) => p.done)).toBe(true);
    expect(err.message).toMatch(
      /reindex flaky -> flaky stopped: .*(socket hang up|ECONNRESET|closed|terminated|aborted)/i,
    );

    const done = await reindexProvider.update!(err.id, err.properties, inputs);
    expect(done.outs).toMatchObject({ status: "complete" });
    expect(done.outs.verification).toMatchObject({ level: "ids", sourceCount: 12_000, destCount: 12_000, missing: 0 });
    // Nothing was copied twice: the finished partition was kept, only the verification ran again.
    expect(done.outs.taskIds).toEqual(err.properties.taskIds);
  });
});
