// Reindex under faults from the test world's proxy, which sits between a real OpenSearch 2.19 destination and an
// Elasticsearch 7.10.2 source (the destination's remote reindex reads through it). Provider methods are called as the
// Pulumi dynamic provider host calls them. (Attaching to a task left running by an interrupted `up` is covered by
// test/integration/reindex.test.ts and, through the real CLI, test/e2e/reindex.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reindexProvider } from "../../provider/reindex/provider";
import { runReindex } from "../../provider/reindex/run";
import { validateInputs } from "../../provider/reindex/validate";
import { startEngine, type EngineNode } from "../world/engines";
import { EngineHttpError, countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import { startProxy, type Proxy } from "../world/proxy";

const DOCS = 10_000;
const PAGE = 500;

let source: EngineNode;
let dest: EngineNode;
let proxy: Proxy;
let sourceIds: Set<string>;

function inputsFor(destIndex: string, index = "docs") {
  const { inputs, failures } = validateInputs({
    cluster: { url: dest.url },
    destIndex,
    source: { index, remote: { host: proxy.url }, size: PAGE },
  });
  expect(failures).toEqual([]);
  return inputs;
}

async function fresh(index: string): Promise<void> {
  await esJson(dest.url, "DELETE", `/${index}`).catch((e: unknown) => {
    if (!(e instanceof EngineHttpError && e.status === 404)) throw e;
  });
  await esJson(dest.url, "PUT", `/${index}`, { settings: { number_of_shards: 1, number_of_replicas: 0 } });
}

const scrollPages = () => proxy.requests.filter((r) => r.method === "POST" && r.path === "/_search/scroll");

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  await seedDocuments(source.url, "docs", { count: DOCS });
  sourceIds = await readIds(source.url, "docs");
  await seedDocuments(source.url, "small", { count: 1000, idPrefix: "s" });
  proxy = await startProxy({ target: source.url });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [proxy.host] });
});

afterAll(async () => {
  await proxy?.stop();
  await dest?.stop();
  await source?.stop();
});

describe("Reindex under faults between the clusters (ES 7.10.2 -> proxy -> OpenSearch 2.19)", () => {
  // First in the file: the limit of tasks at once is the provider process's, per destination.
  it("under lasting 429s fewer tasks run at once: a second copy into the destination waits for the first one's tasks, then runs its partitions one at a time, and says so", async () => {
    await fresh("calm-a");
    await fresh("calm-b");
    const lines: string[] = [];
    const log = { info: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(`warn: ${m}`) };
    const partitioned = (destIndex: string, extra: Record<string, unknown> = {}) => {
      const { inputs, failures } = validateInputs({
        cluster: { url: dest.url },
        destIndex,
        source: { index: "small", remote: { host: proxy.url }, size: 100 },
        partitions: { field: "n", count: 2 },
        ...extra,
      });
      expect(failures).toEqual([]);
      return inputs;
    };
    // The pressure lasts: every 1.5 s the next scroll page is answered 429 (the engine retries it), until both end.
    proxy.clearLog();
    const drizzle = setInterval(
      () => proxy.setFault({ kind: "status", status: 429, path: "/_search/scroll", times: 1 }),
      1500,
    );
    proxy.setFault({ kind: "status", status: 429, path: "/_search/scroll", times: 1 });
    try {
      // The first copy's two tasks run about 5 s (100 documents a second each): the second starts meanwhile.
      const first = runReindex(partitioned("calm-a", { requestsPerSecond: 100 }), { log, pollMs: 200 });
      const pushedBack =
        "reindex small -> calm-a: at most 1 task(s) at once into this destination while it pushes back";
      for (let i = 0; i < 300 && !lines.some((l) => l.startsWith(pushedBack)); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(lines.some((l) => l.startsWith(pushedBack))).toBe(true);
      const second = runReindex(partitioned("calm-b"), { log, pollMs: 200 });
      const [a, b] = await Promise.all([first, second]);
      expect(a).toMatchObject({ status: "complete", sourceCount: 1000, destCount: 1000 });
      expect(b).toMatchObject({ status: "complete", sourceCount: 1000, destCount: 1000 });
    } finally {
      clearInterval(drizzle);
      proxy.setFault(undefined);
    }
    expect(scrollPages().filter((r) => r.status === 429).length).toBeGreaterThan(1);
    // The second copy's partitions waited for the first copy's tasks, then ran one after the other.
    expect(lines).toContain(
      "reindex small -> calm-b: 2 partition(s) wait to start: at most 1 task(s) run into this destination at once while it pushes back",
    );
    expect(lines.filter((l) => l.startsWith("reindex small -> calm-b: started 1 task(s)"))).toHaveLength(2);
    expect(await readIds(dest.url, "calm-b")).toEqual(await readIds(source.url, "small"));
  });

  it("a connection dropped mid-copy fails the create with the task's error; the next update completes with equal ID sets", async () => {
    await fresh("dropped");
    const inputs = inputsFor("dropped");
    proxy.clearLog();
    // The 5th scroll page is cut after 1 KB: four pages and the first search (2,500 documents) are in by then.
    const fault = proxy.setFault({ kind: "drop", afterBytes: 1024, path: "/_search/scroll", skip: 4, times: 1 });
    const err: any = await reindexProvider.create!(inputs).catch((e: unknown) => e);
    proxy.setFault(undefined);
    expect(fault!.hits).toBe(1);
    expect(err.message).toMatch(/connection_closed_exception/);
    expect(err.message).toMatch(/Premature end of Content-Length delimited message body/);
    // The engine keeps the resource with what it finished: the next `pulumi up` sees a failed one and updates it.
    expect(err.id).toMatch(/^dropped-/);
    expect(err.properties).toMatchObject({ status: "failed", destIndex: "dropped" });
    expect(err.properties.partitionStates.map((p: any) => p.done)).toEqual([false]);
    expect(await countDocs(dest.url, "dropped")).toBe(5 * PAGE);
    expect(await reindexProvider.diff!(err.id, err.properties, inputs)).toMatchObject({ changes: true });

    const done = await reindexProvider.update!(err.id, err.properties, inputs);
    expect(done.outs).toMatchObject({ status: "complete", sourceCount: DOCS, destCount: DOCS, failures: [] });
    expect(await readIds(dest.url, "dropped")).toEqual(sourceIds);
  });

  it("a 429 storm from the source is retried by the engine (retries.search) and the copy completes", async () => {
    await fresh("storm");
    proxy.clearLog();
    const fault = proxy.setFault({
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
      path: "/_search/scroll",
      skip: 2,
      times: 6,
    });
    const res = await reindexProvider.create!(inputsFor("storm")).finally(() => proxy.setFault(undefined));
    expect(fault!.hits).toBe(6);
    // Every rejection was answered by the proxy and asked again by the destination: one retry per 429.
    expect(scrollPages().filter((r) => r.status === 429)).toHaveLength(6);
    expect(res.outs).toMatchObject({
      status: "complete",
      created: DOCS,
      sourceCount: DOCS,
      destCount: DOCS,
      failures: [],
    });
    expect(res.outs.retries).toEqual({ search: 6, bulk: 0 });
    expect(await readIds(dest.url, "storm")).toEqual(sourceIds);
  });

  it("the provider's own reads of the source ride out a dropped connection (an idempotent search is sent again)", async () => {
    await fresh("own-reads");
    proxy.clearLog();
    // The destination's task opens its scroll first; then the verification's scan opens its scroll with a search
    // (idempotent): that one is cut, and sent again.
    const fault = proxy.setFault({ kind: "drop", afterBytes: 0, path: "/small/_search", skip: 1, times: 1 });
    const res = await reindexProvider.create!(inputsFor("own-reads", "small")).finally(() => proxy.setFault(undefined));
    expect(fault!.hits).toBe(1);
    const searches = proxy.requests.filter((r) => r.path === "/small/_search");
    expect(searches.map((r) => r.fault ?? r.status)).toEqual([200, "drop", 200]);
    expect(res.outs).toMatchObject({ status: "complete", sourceCount: 1000, destCount: 1000 });
  });
});
