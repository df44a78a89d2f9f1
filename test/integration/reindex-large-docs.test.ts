// Large documents against real engines: an Elasticsearch 7.10 source and an OpenSearch 2.19 destination, whose
// remote reindex buffers each page in 100 MB. Documents are random base64 (incompressible, so the size on disk the
// page size is chosen from is close to the bytes a page carries) in a field kept in `_source` only.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../provider/connection/client";
import type { Cluster } from "../../provider/connection/types";
import { runReindex } from "../../provider/reindex/run";
import { validateInputs } from "../../provider/reindex/validate";
import { startEngine } from "../world/engines";
import { esJson, readIds } from "../world/fixtures";

const MiB = 1024 * 1024;
type Engine = Awaited<ReturnType<typeof startEngine>>;

let source: Engine;
let dest: Engine;
let src: Cluster;
let os: Cluster;
const logged: string[] = [];
const capture = { info: (m: string) => void logged.push(m), warn: (m: string) => void logged.push(`warn: ${m}`) };

const MAPPINGS = {
  properties: {
    n: { type: "long" },
    ts: { type: "long" },
    large: { type: "boolean" },
    blob: { type: "keyword", index: false, doc_values: false },
  },
};

async function fresh(url: string, index: string): Promise<void> {
  await esJson(url, "DELETE", `/${index}`).catch(() => undefined);
  await esJson(url, "PUT", `/${index}`, {
    settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: -1 },
    mappings: MAPPINGS,
  });
}

/** Document n of `bytes` random characters; `large` set on the big ones (the small ones lack the field). */
function doc(n: number, bytes: number, large: boolean): string {
  return JSON.stringify({
    n,
    ts: n,
    ...(large ? { large: true } : {}),
    blob: randomBytes(Math.ceil((bytes * 3) / 4))
      .toString("base64")
      .slice(0, bytes),
  });
}

/** Indexes documents `sizes[i]` bytes large as d<first + i>, `_bulk` requests of at most ~25 MB each (or one larger document). */
async function seed(index: string, first: number, sizes: number[], large: (bytes: number) => boolean): Promise<void> {
  let body = "";
  const flush = async () => {
    if (body === "") return;
    const res = await esJson(source.url, "POST", "/_bulk", body);
    body = "";
    if (res.errors)
      throw new Error(`seeding ${index}: ${JSON.stringify(res.items.find((i: any) => i.index?.error)?.index?.error)}`);
  };
  for (const [i, bytes] of sizes.entries()) {
    if (body.length + bytes > 25 * MiB) await flush();
    body += `${JSON.stringify({ index: { _index: index, _id: `d${first + i}` } })}\n${doc(first + i, bytes, large(bytes))}\n`;
  }
  await flush();
  await esJson(source.url, "POST", `/${index}/_refresh`);
}

/** id -> sha256 of the `_source` as parsed and serialized again, document by document (each may be 100 MB). */
async function sourceHashes(url: string, index: string, ids: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of [...ids].sort()) {
    const res = await esJson(url, "GET", `/${index}/_doc/${encodeURIComponent(id)}`);
    out.set(id, createHash("sha256").update(JSON.stringify(res._source)).digest("hex"));
  }
  return out;
}

/** The destination holds the same ids as the source (within `query`) and each `_source` is equal. */
async function expectSameDocuments(
  sourceIndex: string,
  destIndex: string,
  query?: Record<string, unknown>,
): Promise<number> {
  const want: Set<string> =
    query === undefined
      ? await readIds(source.url, sourceIndex)
      : new Set<string>(
          (
            await esJson(source.url, "POST", `/${sourceIndex}/_search`, { size: 1000, _source: false, query })
          ).hits.hits.map((h: any) => h._id as string),
        );
  if (query !== undefined) await esJson(dest.url, "POST", `/${destIndex}/_refresh`);
  const got: Set<string> =
    query === undefined
      ? await readIds(dest.url, destIndex)
      : new Set<string>(
          (
            await esJson(dest.url, "POST", `/${destIndex}/_search`, { size: 1000, _source: false, query })
          ).hits.hits.map((h: any) => h._id as string),
        );
  expect([...got].sort()).toEqual([...want].sort());
  const [d, s] = await Promise.all([
    sourceHashes(dest.url, destIndex, got),
    sourceHashes(source.url, sourceIndex, want),
  ]);
  expect(d).toEqual(s);
  return got.size;
}

function inputsFor(
  destIndex: string,
  sourceIndex: string,
  extra: Record<string, unknown> = {},
  sourceExtra: Record<string, unknown> = {},
) {
  const { inputs, failures } = validateInputs({
    cluster: { url: dest.url },
    destIndex,
    source: { index: sourceIndex, remote: { host: source.url, socketTimeout: "120s" }, ...sourceExtra },
    timeout: 900,
    ...extra,
  });
  expect(failures).toEqual([]);
  return inputs;
}

beforeAll(async () => {
  // 60 MB documents are held several times while parsed and written: 2 GB heaps (1 GB ran out indexing them). Bulk requests and the client
  // transport's one-document `_bulk` of a 110 MB document need http.max_content_length above the 100mb default.
  const big = { "http.max_content_length": "300mb" };
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2", heap: "2g", settings: big });
  // A 110 MB `_bulk` counts against the destination's indexing pressure (10% of the heap by default, 205 MB here):
  // on the shared 2-core machine one was refused with 429 (coordinating bytes over that limit), so it is raised.
  dest = await startEngine({
    engine: "opensearch",
    version: "2.19.x",
    heap: "2g",
    settings: { ...big, "indexing_pressure.memory.limit": "40%" },
    allow: [new URL(source.url).host],
  });
  src = connect({ url: source.url }, "source");
  os = connect({ url: dest.url }, "destination");
  // 30 documents of 5 MB, then 3 of 60 MB: 330 MB.
  await fresh(source.url, "mixed");
  await seed("mixed", 0, [...Array(30).fill(5 * MiB), ...Array(3).fill(60 * MiB)], (b) => b > 5 * MiB);
}, 600_000);

afterAll(async () => {
  await src?.close();
  await os?.close();
  await dest?.stop();
  await source?.stop();
});

describe("Reindex of large documents, ES 7.10 -> OpenSearch 2.19", () => {
  it("copies 5 MB and 60 MB documents with default options: the page size chosen from the average, no failure", async () => {
    await fresh(dest.url, "mixed");
    logged.length = 0;
    const res = await runReindex(inputsFor("mixed", "mixed"), { log: capture, progressEveryMs: 5000 });
    expect(res).toMatchObject({ status: "complete", failures: [], sourceCount: 33, destCount: 33 });
    // (30 x 5 + 3 x 60) MiB / 33 = 10 MiB on disk: 2 documents a page. The page of two 60 MB documents (d30, d31)
    // does not fit: 1 a page from there on, the 30 documents already copied left out of the task started again.
    expect(
      logged.some((l) =>
        /2 document\(s\) a remote page \(average document \d+(\.\d)? MiB on disk, about 25 MiB a page\)/.test(l),
      ),
    ).toBe(true);
    expect(
      logged.some((l) => /a remote page of 2 document\(s\) did not fit .*; continuing with 1 a page/.test(l)),
    ).toBe(true);
    expect(logged.some((l) => /the next task leaves out the 30 document\(s\) the failed one copied/.test(l))).toBe(
      true,
    );
    expect(res.remoteBatch?.size).toBe(1);
    expect(res).toMatchObject({ created: 33, versionConflicts: 0 });
    expect(res.oversizeIds).toBeUndefined();
    expect(await expectSameDocuments("mixed", "mixed")).toBe(33);
  }, 600_000);

  it('recovers from a real "chunk that was too large" by halving a user size that is too big (missingField)', async () => {
    await fresh(dest.url, "small");
    logged.length = 0;
    // 30 documents of 5 MB a page is 150 MB: over the buffer. 15 a page is 75 MB.
    const inputs = inputsFor("small", "mixed", { mode: { type: "missingField", field: "large" } }, { size: 30 });
    const res = await runReindex(inputs, { log: capture });
    expect(res).toMatchObject({ status: "complete", failures: [], sourceCount: 30, destCount: 30 });
    expect(res.remoteBatch).toEqual({
      size: 15,
      requested: 30,
      reason: "halved from 30: a page did not fit the destination's 100 MiB remote buffer",
    });
    expect(
      logged.some((l) =>
        /a remote page of 30 document\(s\) did not fit the destination's 100 MiB buffer \("chunk that was too large"\); continuing with 15 a page/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(await expectSameDocuments("mixed", "small", { bool: { must_not: [{ exists: { field: "large" } }] } })).toBe(
      30,
    );

    // The halved size is remembered: the next run with the same size starts from 15 and never fails (two
    // documents are enough to show it).
    logged.length = 0;
    const two = inputsFor(
      "small",
      "mixed",
      { mode: { type: "missingField", field: "large" } },
      { size: 30, query: { ids: { values: ["d0", "d1"] } } },
    );
    const again = await runReindex(two, { log: capture, remoteBatch: res.remoteBatch, versioning: res.versioning });
    expect(again).toMatchObject({ status: "complete", failures: [] });
    expect(logged.some((l) => /15 document\(s\) a remote page \(kept from the last run: halved from 30/.test(l))).toBe(
      true,
    );
    expect(logged.some((l) => /chunk that was too large/.test(l))).toBe(false);
  }, 600_000);
});
