// The object plan ClusterMigration shows at preview: one row per source object, and the block that prints them.
import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../provider/connection/types";
import { bodyDifferences, describeObjectPlan, planObjects, processorsOfNodes, sameBody } from "../../provider/objects";
import type { ClusterObject } from "../../provider/objects";

const ES6: ClusterInfo = { flavor: "elasticsearch", version: "6.8.23", major: 6, minor: 8 };
const ES7: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };
const OS2: ClusterInfo = { flavor: "opensearch", version: "2.19.6", major: 2, minor: 19 };

const source: ClusterObject[] = [
  { kind: "alias", name: "logs", body: { "logs-1": { is_write_index: true } } },
  { kind: "indexTemplate", name: "app", body: { index_patterns: ["app-*"], composed_of: ["base"], priority: 5 } },
  { kind: "componentTemplate", name: "base", body: { template: { mappings: { properties: { a: { type: "keyword" } } } } } },
  { kind: "pipeline", name: "stamp", body: { processors: [{ set: { field: "t", value: "{{_ingest.timestamp}}" } }] } },
  { kind: "pipeline", name: "geo", body: { processors: [{ geoip: { field: "ip" } }] } },
  { kind: "legacyTemplate", name: "old", body: { index_patterns: ["old-*"], settings: { "index.number_of_shards": "1" }, mappings: { properties: { a: { type: "text" } } } } },
];
const destination: ClusterObject[] = [
  { kind: "pipeline", name: "stamp", body: { processors: [{ set: { value: "{{_ingest.timestamp}}", field: "t" } }] } },
  { kind: "legacyTemplate", name: "old", body: { index_patterns: ["old-*"], settings: { "index.number_of_shards": "3" }, mappings: { properties: { a: { type: "keyword" } } } } },
];

describe("planObjects", () => {
  const rows = planObjects(source, destination, { sourceInfo: ES7, destInfo: OS2, processors: ["set", "rename"] });

  it("gives one row per object, components before the templates made of them, aliases last", () => {
    expect(rows.map((r) => `${r.action} ${r.kind} ${r.name}`)).toEqual([
      "create componentTemplate base",
      "create indexTemplate app",
      "differs legacyTemplate old",
      "cannot pipeline geo",
      "same pipeline stamp",
      "create alias logs",
    ]);
  });

  it("says where an existing object differs, and why one cannot be copied", () => {
    expect(rows.find((r) => r.name === "old")?.differences).toEqual(["mappings", "settings"]);
    expect(rows.find((r) => r.name === "geo")?.reasons).toEqual([expect.stringContaining('"geoip"')]);
    expect(rows.find((r) => r.name === "geo")?.body).toBeUndefined();
  });

  it("carries the body to create and what the translation left out", () => {
    const six = planObjects([{ kind: "legacyTemplate", name: "t", typeName: "doc", body: { index_patterns: ["t"], mappings: { _all: { enabled: false } } } }], [], { sourceInfo: ES6, destInfo: OS2 });
    expect(six).toEqual([{ kind: "legacyTemplate", name: "t", action: "create", typeName: "doc", body: { index_patterns: ["t"] }, dropped: [expect.stringContaining("mappings._all")] }]);
  });

  it("plans nothing but `same` when the destination holds what the source holds", () => {
    const again = planObjects(source.slice(0, 4), source.slice(0, 4), { sourceInfo: ES7, destInfo: OS2 });
    expect(again.every((r) => r.action === "same")).toBe(true);
  });
});

describe("describeObjectPlan", () => {
  it("prints a count line and one line per object", () => {
    const text = describeObjectPlan(planObjects(source, destination, { sourceInfo: ES7, destInfo: OS2, processors: ["set"] }));
    const lines = text.split("\n");
    expect(lines[0]).toBe("Cluster objects (6): 3 to create, 1 the same, 1 differ, 1 cannot be copied");
    expect(lines).toContain('  + create   component template "base"');
    expect(lines).toContain('  = same     ingest pipeline "stamp" (already at the destination)');
    expect(lines.find((l) => l.includes('"old"'))).toMatch(/~ differs {2}legacy index template "old": the destination's differs in mappings, settings; .*adoptExisting: true/);
    expect(lines.find((l) => l.includes('"geo"'))).toMatch(/! cannot {3}ingest pipeline "geo": the destination's ingest nodes have no "geoip" processor/);
  });

  it("says so when there is nothing", () => {
    expect(describeObjectPlan([])).toBe("Cluster objects: none to copy");
  });
});

describe("comparing bodies", () => {
  it("ignores key order and names differences two deep for composable templates", () => {
    expect(sameBody({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(bodyDifferences("indexTemplate", { template: { mappings: { x: 1 }, settings: { y: 1 } }, priority: 1 }, { template: { mappings: { x: 2 }, settings: { y: 1 } }, priority: 2 })).toEqual(["priority", "template.mappings"]);
    expect(bodyDifferences("pipeline", { processors: [1, 2] }, { processors: [2, 1] })).toEqual(["processors"]);
  });

  it("takes the processors every ingest node shares", () => {
    const answer = { nodes: { a: { ingest: { processors: [{ type: "set" }, { type: "geoip" }] } }, b: { ingest: { processors: [{ type: "set" }] } }, c: {} } };
    expect(processorsOfNodes(answer)).toEqual(["set"]);
    expect(processorsOfNodes(undefined)).toEqual([]);
  });
});
