import { describe, expect, it } from "vitest";
import { classifyIndices } from "../../provider/indices";

const rows = [
  { index: "logs-2", status: "open", health: "green", "docs.count": "20", "pri.store.size": "2048" },
  { index: "logs-1", status: "open", health: "yellow", "docs.count": "10", "pri.store.size": "1024" },
  { index: ".kibana_1", status: "open", health: "green", "docs.count": "3", "pri.store.size": "100" },
  { index: ".tasks", status: "open", health: "green", "docs.count": "1", "pri.store.size": "10" },
  { index: "archive", status: "close", health: "red", "docs.count": undefined, "pri.store.size": undefined },
  { index: "metrics", status: "open", health: "green", "docs.count": "5", "pri.store.size": "500" },
];

describe("classifyIndices (listing a source the way the guide does)", () => {
  it("keeps open, non-system indices with counts and sizes, sorted by name", () => {
    expect(classifyIndices(rows).indices).toEqual([
      { name: "logs-1", docs: 10, sizeBytes: 1024, health: "yellow" },
      { name: "logs-2", docs: 20, sizeBytes: 2048, health: "green" },
      { name: "metrics", docs: 5, sizeBytes: 500, health: "green" },
    ]);
  });

  it("reports skipped system and closed indices", () => {
    const list = classifyIndices(rows);
    expect(list.skippedSystem).toEqual([".kibana_1", ".tasks"]);
    expect(list.skippedClosed).toEqual(["archive"]);
  });

  it.each([
    [{ include: ["logs-*"] }, ["logs-1", "logs-2"]],
    [{ exclude: ["logs-*"] }, ["metrics"]],
    [{ include: ["logs-*", "metrics"], exclude: ["logs-2"] }, ["logs-1", "metrics"]],
  ])("filters with %j", (opts, names) => {
    expect(classifyIndices(rows, opts).indices.map((i) => i.name)).toEqual(names);
  });
});
