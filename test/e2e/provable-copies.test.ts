// Provable copies through the real Pulumi CLI, as a new user would write them: DestinationIndex + incremental
// Reindex on `update_time` from Elasticsearch 7.10 into OpenSearch 2.19, one pair per case of issue #12. Each case
// once left documents uncopied while preview planned nothing: (1) an empty index at the first run, (2) a
// future-dated document, (3) writes at exactly the watermark, (4) a late arrival below the watermark. Also: deletes at
// the source reconciled or reported, a destination document changed by hand repaired by content verification, and
// the maxDeletePercent guard. After each `up` the destination holds the source's ids and `_source`, and a preview
// with no new writes plans nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readIds, readSources, seedDocuments } from "../world/fixtures";
import { changedSteps, createStack, messages, type EngineEvents, type TestStack } from "../world/pulumi";

const MAPPING = {
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: { properties: { n: { type: "long" }, update_time: { type: "date" } } },
};
const CASES = ["empty", "future", "ties", "late", "gone", "kept", "edited"] as const;

// Per index: the Reindex options beyond the incremental mode.
const program = `
const pulumi = require("@pulumi/pulumi");
const { DestinationIndex, Reindex } = require("pulumi-es-migrate/provider");
const cfg = new pulumi.Config();
const source = { url: cfg.require("src") };
const cluster = { url: cfg.require("dest") };
const options = {
  gone: { deletes: "reconcile" },
  kept: { deletes: "report" },
  edited: { verify: "content" },
};
for (const index of ${JSON.stringify(CASES)}) {
  const target = new DestinationIndex(index, { cluster, index, copyFrom: { cluster: source, index }, deletionProtection: false });
  const copy = new Reindex(index + "-copy", {
    cluster,
    destIndex: target.index,
    destIndexUuid: target.uuid,
    source: { index, remote: { host: cfg.require("src") } },
    mode: { type: "incremental", field: "update_time" },
    ...options[index],
  });
  exports[index] = { watermark: copy.watermark, verification: copy.verification, status: copy.status };
}
`;

let source: EngineNode;
let dest: EngineNode;
let stack: TestStack;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
// Second-resolution timestamps, as many writers produce them.
const TIE = Math.floor((Date.now() - 2 * HOUR) / 1000) * 1000;
const OLD = Date.now() - 24 * HOUR;

async function seed(
  index: string,
  from: number,
  count: number,
  time: (n: number) => number,
  prefix = index,
): Promise<void> {
  await seedDocuments(source.url, index, {
    startId: from,
    count,
    idPrefix: `${prefix}-`,
    doc: (n) => ({ n, update_time: iso(time(n)) }),
  });
}

/** The destination holds exactly the source's documents: same ids, same `_source`. */
async function expectSame(index: string): Promise<void> {
  const [s, d] = await Promise.all([readSources(source.url, index), readSources(dest.url, index)]);
  expect([...d.keys()].sort()).toEqual([...s.keys()].sort());
  for (const [id, doc] of s) expect(d.get(id), `${index}/${id}`).toEqual(doc);
}

/** Whether the Reindex of `index` reported a line matching `text` (its diagnostics, from the engine's events). */
const line = (run: EngineEvents, index: string, text: string) =>
  messages(run).some((l) => new RegExp(`^reindex ${index} -> ${index}: ${text}`).test(l));

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  for (const index of CASES) await esJson(source.url, "PUT", `/${index}`, MAPPING);
  // (1) "empty" has no document at the first run.
  // (2) one document dated 2099 among ordinary ones.
  await seed("future", 0, 100, (n) => OLD + n * 1000);
  await seedDocuments(source.url, "future", {
    startId: 0,
    count: 1,
    idPrefix: "future-2099-",
    doc: () => ({ n: -1, update_time: "2099-01-01T00:00:00.000Z" }),
  });
  // (3) the newest documents share one second: the watermark is that second.
  await seed("ties", 0, 100, (n) => (n < 90 ? TIE - (100 - n) * 1000 : TIE));
  // (4) documents an hour old; a late one arrives later with an older time than the watermark.
  await seed("late", 0, 100, (n) => Date.now() - HOUR - (100 - n) * 1000);
  for (const index of ["gone", "kept", "edited"]) await seed(index, 0, 1000, (n) => OLD + n * 1000);
  stack = await createStack({ program, config: { src: source.url, dest: dest.url } });
});

afterAll(async () => {
  await stack?.remove();
  await dest?.stop();
  await source?.stop();
});

describe("provable copies with the Pulumi CLI (ES 7.10 -> OpenSearch 2.19)", () => {
  it("the first up copies and verifies every index; a preview with no new writes plans nothing", async () => {
    await stack.up();
    for (const index of CASES) await expectSame(index);
    const outputs: any = await stack.outputs();
    expect(outputs.future.verification).toMatchObject({
      level: "ids",
      sourceCount: 101,
      destCount: 101,
      missing: 0,
      extra: 0,
    });
    // The 2099 document does not carry the watermark into the future.
    expect(Date.parse(outputs.future.watermark)).toBeLessThanOrEqual(Date.now());
    expect(outputs.empty.watermark).toBeUndefined();
    const preview = await stack.previewEvents();
    expect(preview.changes).toEqual({ same: 15 });
  });

  it("after writes of each kind, preview plans an update for each with the exact count; up leaves destination == source", async () => {
    const watermarks: any = await stack.outputs();
    await seed("empty", 0, 50, () => Date.now()); // (1) the first documents with the field
    await seed("future", 100, 100, () => Date.now()); // (2) ordinary writes below the 2099 document
    await seed("ties", 100, 20, () => Date.parse(watermarks.ties.watermark)); // (3) at exactly the watermark
    await seed("late", 100, 1, () => Date.parse(watermarks.late.watermark) - 60_000); // (4) a minute below it
    await esJson(source.url, "POST", "/gone/_delete_by_query?refresh=true", { query: { range: { n: { lt: 10 } } } }); // 1%
    await esJson(source.url, "POST", "/kept/_delete_by_query?refresh=true", { query: { range: { n: { lt: 10 } } } });
    await esJson(dest.url, "PUT", "/edited/_doc/edited-7?refresh=true", {
      n: 7,
      update_time: iso(OLD),
      note: "changed by hand",
    });

    const preview = await stack.previewEvents();
    expect(
      line(
        preview,
        "empty",
        "50 document\\(s\\) waiting at the source \\(no watermark yet: every document\\): 50 new, 0 changed",
      ),
    ).toBe(true);
    expect(
      line(
        preview,
        "future",
        "100 document\\(s\\) waiting at the source in the window from .* minus 5m: 100 new, 0 changed",
      ),
    ).toBe(true);
    expect(line(preview, "ties", "20 document\\(s\\) waiting")).toBe(true);
    expect(line(preview, "late", "1 document\\(s\\) waiting")).toBe(true);
    expect(
      line(
        preview,
        "gone",
        '10 destination document\\(s\\) no longer exist at the source: up deletes them \\(deletes: "reconcile", at most 5%\\)',
      ),
    ).toBe(true);
    expect(
      line(
        preview,
        "kept",
        '10 destination document\\(s\\) no longer exist at the source \\(deletes: "report" leaves them',
      ),
    ).toBe(true);
    expect(
      line(
        preview,
        "edited",
        "the destination index changed since the last run \\(1 write\\(s\\) not made by this copy\\): up verifies \\(content\\) and repairs",
      ),
    ).toBe(true);
    // "kept" only reports: six copies to update.
    expect(changedSteps(preview).sort()).toEqual(
      ["empty", "future", "ties", "late", "gone", "edited"].map((index) => `${index}-copy: update`).sort(),
    );

    await stack.up();
    for (const index of ["empty", "future", "ties", "late", "gone", "edited"]) await expectSame(index);
    // "report" leaves the 10 documents the source lost (and its copy had nothing else to do: not updated).
    expect(await countDocs(dest.url, "kept")).toBe(1000);
    const outputs: any = await stack.outputs();
    expect(outputs.gone.verification).toMatchObject({ extra: 10, repaired: 10, extraKept: 0 });
    expect(outputs.edited.verification).toMatchObject({ level: "content", differing: 1, repaired: 1 });

    // Nothing new: the look-back windows and the 2099 document are all at the destination already.
    const again = await stack.previewEvents();
    expect(again.changes).toEqual({ same: 15 });
  });

  it("deletes above maxDeletePercent fail the up, naming the number and the option, and delete nothing", async () => {
    await esJson(source.url, "POST", "/gone/_delete_by_query?refresh=true", { query: { range: { n: { lt: 110 } } } }); // 100 of 990
    const res = await stack.up({ check: false });
    expect(res.code).not.toBe(0);
    expect(res.stdout + res.stderr).toMatch(
      /100 destination documents \(10\.10% of 990\) no longer exist at the source, more than maxDeletePercent \(5%\)/,
    );
    expect(await countDocs(dest.url, "gone")).toBe(990);
    expect((await readIds(dest.url, "gone")).has("gone-50")).toBe(true);
  });
});
