// The version pairs users land on, end to end through the real Pulumi CLI: Elasticsearch 7.10 and 6.8 into
// OpenSearch 3.x, OpenSearch 1.3 into 2.19, and OpenSearch 2.19 into 3.x, each an incremental IndexMigration by
// remote reindex. One stack holds the four pairs and each engine starts once (OpenSearch 2.19 is the destination of
// one pair and the source of another), so the file costs five JVM starts and five CLI runs, not twenty.
// What a user sees: preview plans the four copies without a version or allow-list complaint, up copies everything
// (ID sets equal), a delta waits at preview and is copied by the next up, destroy removes the copies and keeps the
// sources. Before the CLI runs, the preview's allow-list check is asked about a host the nodes do not list: its
// error names the setting each destination reads, and a node without a list gets a warning, not a refusal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveCheckFailures } from "../../provider/reindex/live-checks";
import { validateInputs } from "../../provider/reindex/validate";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import { createStack, messages, type TestStack } from "../world/pulumi";

interface Pair {
  name: string;
  from: () => EngineNode;
  to: () => EngineNode;
  /** Source index (each source node holds one) and the copy's name on the destination. */
  index: string;
  destIndex: string;
}

const DOCS = 2000;
const DELTA = 25;
const nodes: Record<"es7" | "es6" | "os1" | "os2" | "os3", EngineNode> = {} as any;
const PAIRS: Pair[] = [
  { name: "es7-to-os3", from: () => nodes.es7, to: () => nodes.os3, index: "orders-es7", destIndex: "from-es7" },
  { name: "es6-to-os3", from: () => nodes.es6, to: () => nodes.os3, index: "orders-es6", destIndex: "from-es6" },
  { name: "os1-to-os2", from: () => nodes.os1, to: () => nodes.os2, index: "orders-os1", destIndex: "from-os1" },
  { name: "os2-to-os3", from: () => nodes.os2, to: () => nodes.os3, index: "orders-os2", destIndex: "from-os2" },
];

const program = `
const pulumi = require("@pulumi/pulumi");
const { IndexMigration } = require("pulumi-es-migrate/components/migration");
const cfg = new pulumi.Config();
for (const p of cfg.requireObject("pairs")) {
  const m = new IndexMigration(p.name, {
    source: { url: p.src },
    destination: { url: p.dest },
    index: p.index,
    destIndex: p.destIndex,
    mode: { type: "incremental", field: "ts" },
    deletionProtection: false,
  });
  exports[p.name] = m.summary;
  exports[p.name + "-versioning"] = m.reindex.versioning;
}
`;

let stack: TestStack;
const host = (n: EngineNode) => new URL(n.url).host;

async function seed(pair: Pair, from: number, count: number): Promise<void> {
  await seedDocuments(pair.from().url, pair.index, {
    startId: from,
    count,
    idPrefix: `${pair.index}-`,
    doc: (n) => ({ n, ts: n, msg: `m${n}` }),
  });
}

beforeAll(async () => {
  [nodes.es7, nodes.es6, nodes.os1] = await Promise.all([
    startEngine({ engine: "elasticsearch", version: "7.10.2" }),
    startEngine({ engine: "elasticsearch", version: "6.8.23" }),
    // A list the pairs never use, so the node shows the setting a 1.3 destination reads.
    startEngine({ engine: "opensearch", version: "1.3.x", allow: ["127.0.0.1:2"] }),
  ]);
  nodes.os2 = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [host(nodes.os1)] });
  nodes.os3 = await startEngine({
    engine: "opensearch",
    version: "3.x",
    allow: [host(nodes.es7), host(nodes.es6), host(nodes.os2)],
  });
  for (const pair of PAIRS) {
    const properties = { n: { type: "long" }, ts: { type: "long" }, msg: { type: "keyword" } };
    // A 6.x index as users have them: one mapping type.
    const mappings = pair.from() === nodes.es6 ? { _doc: { properties } } : { properties };
    await esJson(pair.from().url, "PUT", `/${pair.index}`, {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings,
    });
    await seed(pair, 0, DOCS);
  }
  const pairs = PAIRS.map((p) => ({
    name: p.name,
    src: p.from().url,
    dest: p.to().url,
    index: p.index,
    destIndex: p.destIndex,
  }));
  stack = await createStack({ program, config: { pairs: JSON.stringify(pairs) } });
});

afterAll(async () => {
  await stack?.remove();
  await Promise.all(Object.values(nodes).map((n) => n?.stop()));
});

describe("the preview's allow-list check on real nodes", () => {
  it.each([
    ["os3", "reindex.remote.allowlist"],
    ["os2", "reindex.remote.allowlist"],
    ["os1", "reindex.remote.whitelist"],
  ] as const)(
    "refuses a host the %s destination does not list, naming the setting it reads: %s",
    async (dest, setting) => {
      const { inputs, failures } = validateInputs({
        cluster: { url: nodes[dest].url },
        destIndex: "x",
        source: { index: "x", remote: { host: "http://127.0.0.1:1" } },
      });
      expect(failures).toEqual([]);
      const found = await liveCheckFailures(inputs, undefined, () => undefined);
      expect(found).toEqual([
        {
          property: "source.remote.host",
          reason: expect.stringContaining(`127.0.0.1:1 is not in ${setting} of the destination node(s)`),
        },
      ]);
    },
  );

  it("warns instead of refusing when the destination shows no list (Elasticsearch 6.8 started without one)", async () => {
    const { inputs } = validateInputs({
      cluster: { url: nodes.es6.url },
      destIndex: "x",
      source: { index: "x", remote: { host: "http://127.0.0.1:1" } },
    });
    const warnings: string[] = [];
    expect(await liveCheckFailures(inputs, undefined, (m) => warnings.push(m))).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining("shows no reindex.remote.whitelist in its node settings")]);
  });
});

describe("ES 7.10 -> OS 3.x, ES 6.8 -> OS 3.x, OS 1.3 -> OS 2.19, OS 2.19 -> OS 3.x with the Pulumi CLI", () => {
  it("preview plans the four copies: the version and allow-list checks pass on every pair", async () => {
    const preview = await stack.previewEvents();
    for (const pair of PAIRS)
      expect(preview.steps.find((s) => s.name === pair.name)).toMatchObject({
        op: "create",
        type: "es-migrate:index:IndexMigration",
      });
    // Each IndexMigration's copy says what it will move and take (its destination index may not be known yet).
    for (const pair of PAIRS)
      expect(messages(preview).join("\n")).toMatch(
        new RegExp(
          `estimate ${pair.index} -> (\\(new index\\)|${pair.destIndex}): ${DOCS.toLocaleString("en-US")} document\\(s\\) .* \\(the default model: no run yet\\)`,
        ),
      );
    // What a refused pair would print, whatever its severity.
    expect(messages(preview).join("\n")).not.toMatch(
      /not (whitelisted|allowlisted)|newer than the destination|shows no reindex\.remote/,
    );
  });

  it("up copies every pair by remote reindex: ID sets equal, counts verified", async () => {
    await stack.up();
    const out = (await stack.outputs()) as Record<string, any>;
    for (const pair of PAIRS) {
      expect(await readIds(pair.to().url, pair.destIndex)).toEqual(await readIds(pair.from().url, pair.index));
      expect(out[pair.name]).toMatchObject({
        sourceCount: DOCS,
        destCount: DOCS,
        created: DOCS,
        verified: true,
        watermark: DOCS - 1,
      });
      // The measured figures docs/test-world-engines.md quotes.
      console.log(`${pair.name}: ${DOCS} documents in ${out[pair.name].durationSeconds} s`);
    }
  });

  it("a delta at every source waits at preview and the next up copies only it", async () => {
    for (const pair of PAIRS) await seed(pair, DOCS, DELTA);
    const preview = await stack.preview();
    for (const pair of PAIRS) {
      expect(preview.stdout).toContain(
        `reindex ${pair.index} -> ${pair.destIndex}: ${DELTA} document(s) waiting at the source in the window from ${DOCS - 1} minus 5m: ${DELTA} new, 0 changed`,
      );
      // ... and what copying them takes, by the model fitted on the first run.
      expect(preview.stdout).toMatch(
        new RegExp(
          `estimate ${pair.index} -> ${pair.destIndex}: ${DELTA} document\\(s\\) .* \\(fitted on this index's 1 run\\(s\\)\\)`,
        ),
      );
    }
    await stack.up();
    const out = (await stack.outputs()) as Record<string, any>;
    for (const pair of PAIRS) {
      expect(await countDocs(pair.to().url, pair.destIndex)).toBe(DOCS + DELTA);
      // Only the delta is written: the rest of the window is at the destination in the same version already (the
      // copies carry the source's versions on every pair).
      expect(out[`${pair.name}-versioning`]).toBe("external");
      expect(out[pair.name]).toMatchObject({
        created: DELTA,
        destCount: DOCS + DELTA,
        verified: true,
        watermark: DOCS + DELTA - 1,
      });
    }
  });

  it("destroy removes the copies and keeps every source index and its documents", async () => {
    await stack.destroy();
    for (const pair of PAIRS) {
      expect(await countDocs(pair.from().url, pair.index)).toBe(DOCS + DELTA);
      const exists = await fetch(`${pair.to().url}/${pair.destIndex}`, { method: "HEAD" });
      expect(exists.status).toBe(404);
    }
  });
});
