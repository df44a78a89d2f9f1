// MigratedIndexGroup's check against real nodes: the field-mapping reads of its indices go as one request
// (provider/connection/read-batch.ts), and each index's failures must be exactly those of its own
// MigratedIndex check (asked alone), on an Elasticsearch 6.8 source (mappings under a type) and a 7.10 one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMigratedIndexGroup } from "../../provider/migrated-index/group";
import { checkMigratedIndex } from "../../provider/migrated-index/provider";
import { startEngine } from "../world/engines";
import { esJson } from "../world/fixtures";

type Engine = Awaited<ReturnType<typeof startEngine>>;
let es6: Engine;
let es7: Engine;
let dest: Engine;

beforeAll(async () => {
  [es6, es7] = await Promise.all([
    startEngine({ engine: "elasticsearch", version: "6.8.x" }),
    startEngine({ engine: "elasticsearch", version: "7.10.2" }),
  ]);
  dest = await startEngine({
    engine: "opensearch",
    version: "2.19.x",
    allow: [new URL(es6.url).host, new URL(es7.url).host],
  });
});

afterAll(async () => {
  await Promise.all([es6?.stop(), es7?.stop(), dest?.stop()]);
});

/** Indices whose checks pass or fail on the mapping: a date field, none, a keyword one, an alias, a missing index. */
async function seed(url: string, typed: boolean) {
  const mappings = (properties: Record<string, unknown>) => (typed ? { _doc: { properties } } : { properties });
  const put = (name: string, properties: Record<string, unknown>) =>
    esJson(url, "PUT", `/${name}`, {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: mappings(properties),
    });
  await put("dated", { update_time: { type: "date" }, n: { type: "long" } });
  await put("undated", { n: { type: "long" } });
  await put("tagged", { update_time: { type: "keyword" }, n: { type: "long" } });
  await put("logs-2024", { update_time: { type: "date" }, n: { type: "long" } });
  await esJson(url, "POST", "/_aliases", { actions: [{ add: { index: "logs-2024", alias: "logs-current" } }] });
  for (let i = 0; i < 30; i++) await put(`many-${i}`, { update_time: { type: "date" }, n: { type: "long" } });
}

const options = (sourceIndex: string) => ({
  sourceIndex,
  destIndex: `copy-${sourceIndex}`,
  target: {},
  copy: { mode: { type: "incremental", field: "update_time" }, partitions: { field: "n", count: 2 } },
  finish: {},
});

describe.each([
  ["Elasticsearch 6.8", () => es6, true],
  ["Elasticsearch 7.10", () => es7, false],
] as const)("%s source", (_label, source, typed) => {
  it("the group's failures per index are those of the index checked alone", async () => {
    const url = source().url;
    await seed(url, typed);
    const names = [
      "dated",
      "undated",
      "tagged",
      "logs-current",
      "missing",
      ...Array.from({ length: 30 }, (_, i) => `many-${i}`),
    ];
    const connections = { source: { url }, destination: { url: dest.url }, remote: { host: url } };
    const group = await checkMigratedIndexGroup(undefined, {
      connections,
      migration: `check-${typed}`,
      group: { index: 0, count: 1 },
      concurrency: 2,
      indices: Object.fromEntries(names.map((n) => [n, options(n)])) as any,
    });
    const grouped = new Map<string, string[]>();
    for (const f of group.failures) {
      const [, index, property] = /^indices\.([^.]+)\.(.+)$/.exec(f.property)!;
      grouped.set(index, [...(grouped.get(index) ?? []), `${property}: ${f.reason}`]);
    }
    for (const n of names) {
      const alone = await checkMigratedIndex(undefined, { connections, ...options(n) });
      expect(grouped.get(n) ?? [], n).toEqual(alone.failures.map((f) => `${f.property}: ${f.reason}`));
    }
    // What the mappings say, for the indices the copy depends on: failures that can be told apart.
    expect(grouped.get("dated")).toBeUndefined();
    expect(grouped.get("logs-current")).toBeUndefined();
    expect(grouped.get("many-29")).toBeUndefined();
    expect(grouped.get("undated")?.join("\n")).toMatch(
      /mode\.field "update_time" is not in the mapping of the source index undated/,
    );
    expect(grouped.get("tagged")?.join("\n")).toMatch(/"update_time" is keyword in tagged/);
  });
});
