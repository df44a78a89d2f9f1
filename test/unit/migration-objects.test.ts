// ClusterMigration's decisions about cluster objects: the `objects` option (shape, kinds, names), which plan rows are
// declared, which stop the preview (an object the destination has with another definition) and which are left out
// with a warning, and the ingest pipelines the migrated indices name (held during the load, restored by the finish).
import { describe, expect, it } from "vitest";
import { clusterMigrationProblems } from "../../components/migration";
import {
  decideObjects,
  differsMessage,
  indexPipelines,
  objectChildName,
  objectSelected,
  pipelineHolds,
  selectedKinds,
} from "../../components/migration/objects-plan";
import type { ObjectPlanRow } from "../../provider/objects/types";

const base = { source: { url: "http://src:9200" }, destination: { url: "http://dst:9200" } };

describe("the objects option", () => {
  it.each([
    ["a kind turned off", { scripts: false }, []],
    [
      "names narrowed",
      { templates: { include: ["logs-*"], exclude: ["logs-old"] }, aliases: true, adoptExisting: true },
      [],
    ],
    ["data streams (their own field)", { dataStreams: false }, []],
    ["not an object", true, [/objects must be an object/]],
    [
      "a misspelt kind",
      { pipeline: false },
      [
        /objects: unknown field\(s\) pipeline: objects takes templates, componentTemplates, pipelines, scripts, aliases, adoptExisting, dataStreams/,
      ],
    ],
    [
      "a list instead of include/exclude",
      { templates: ["logs-*"] },
      [/objects\.templates must be true \(default\), false, or \{ include\?, exclude\? \}/],
    ],
    [
      "an empty pattern",
      { pipelines: { exclude: [""] } },
      [/objects\.pipelines\.exclude must be a list of name patterns/],
    ],
    ["adoptExisting not a boolean", { adoptExisting: "yes" }, [/objects\.adoptExisting must be true or false/]],
  ])("%s", (_what, objects, expected) => {
    const problems = clusterMigrationProblems({ ...base, objects } as never);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((re, k) => expect(problems[k]).toMatch(re));
  });

  it("copies every kind by default, and each name unless narrowed", () => {
    expect(selectedKinds(undefined).sort()).toEqual([
      "alias",
      "componentTemplate",
      "indexTemplate",
      "legacyTemplate",
      "pipeline",
      "script",
    ]);
    expect(selectedKinds({ templates: false, scripts: false }).sort()).toEqual([
      "alias",
      "componentTemplate",
      "pipeline",
    ]);
    const objects = { templates: { include: ["logs-*"], exclude: ["logs-old"] } };
    expect(["logs-app", "logs-old", "metrics"].filter((n) => objectSelected(objects, "legacyTemplate", n))).toEqual([
      "logs-app",
    ]);
    expect(objectSelected(objects, "pipeline", "anything")).toBe(true);
  });

  it("names each child after the migration, the kind and the object", () => {
    expect(objectChildName("shop", "indexTemplate", "orders")).toBe("shop-index-template-orders");
    expect(objectChildName("shop", "alias", "orders-write")).toBe("shop-alias-orders-write");
  });
});

const row = (
  action: ObjectPlanRow["action"],
  kind: ObjectPlanRow["kind"],
  name: string,
  extra: Partial<ObjectPlanRow> = {},
): ObjectPlanRow => ({ kind, name, action, ...extra });

describe("what the plan rows become", () => {
  const rows = [
    row("create", "pipeline", "enrich", { body: {} }),
    row("same", "legacyTemplate", "logs", { body: {} }),
    row("differs", "indexTemplate", "orders", { body: {}, differences: ["template.mappings"] }),
    row("cannot", "pipeline", "geo", { reasons: ['the destination\'s ingest nodes have no "geoip" processor'] }),
  ];

  it("declares created and same objects, stops on one that differs, leaves out one the destination cannot hold", () => {
    const d = decideObjects(rows, undefined);
    expect(d.declared.map((r) => r.name)).toEqual(["enrich", "logs"]);
    expect(d.differs.map((r) => r.name)).toEqual(["orders"]);
    expect(d.cannot.map((r) => r.name)).toEqual(["geo"]);
  });

  it("with adoptExisting, declares the differing object too (its body replaced by the source's)", () => {
    const d = decideObjects(rows, { adoptExisting: true });
    expect(d.declared.map((r) => r.name)).toEqual(["enrich", "logs", "orders"]);
    expect(d.differs).toEqual([]);
  });

  it('once cut over (phase "cutover-done"), declares an object the application changed at the destination instead of stopping', () => {
    const d = decideObjects(rows, undefined, "cutover-done");
    expect(d.declared.map((r) => r.name)).toEqual(["enrich", "logs", "orders"]);
    expect(d.differs).toEqual([]);
    expect(d.cannot.map((r) => r.name)).toEqual(["geo"]);
  });

  it("says which object differs, where, and both ways out", () => {
    expect(differsMessage('ClusterMigration "m"', [rows[2]])).toBe(
      'ClusterMigration "m": the destination already has an object of the source\'s names with another definition: indexTemplate "orders" (differs in template.mappings). ' +
        "Nothing was changed, and nothing is overwritten silently. Either set objects.adoptExisting: true to replace them with the source's definitions, " +
        'or leave them out (e.g. objects.templates: { exclude: ["orders"] }).',
    );
  });
});

describe("the pipelines the migrated indices name", () => {
  const answer = {
    orders: { settings: { "index.default_pipeline": "orders-enrich", "index.final_pipeline": "audit" } },
    carts: { settings: { index: { default_pipeline: "_none" } } },
    users: { settings: {} },
    other: { settings: { "index.default_pipeline": "x" } },
  };

  it("reads each listed index's pipeline settings, flat or nested, and leaves out _none", () => {
    expect(indexPipelines(answer, ["orders", "carts", "users"])).toEqual([
      {
        index: "orders",
        pipelines: [
          { key: "index.default_pipeline", pipeline: "orders-enrich" },
          { key: "index.final_pipeline", pipeline: "audit" },
        ],
      },
    ]);
  });

  it("names the hold in the preview, and refuses a pipeline neither copied nor at the destination", () => {
    const named = indexPipelines(answer, ["orders"]);
    const ok = pipelineHolds('ClusterMigration "m"', named, new Set(["orders-enrich"]), new Set(["audit"]), undefined);
    expect(ok.line).toBe(
      'ClusterMigration "m": ingest pipelines the indices name are held at "_none" during the load (the documents were processed once, at the source) and restored by the finish: orders (default_pipeline orders-enrich, final_pipeline audit)',
    );
    expect(ok.problems).toEqual([]);
    const missing = pipelineHolds('ClusterMigration "m"', named, new Set(), new Set(["audit"]), undefined);
    expect(missing.problems).toEqual([
      expect.stringMatching(
        /^index "orders" names the ingest pipeline "orders-enrich" \(index\.default_pipeline\), which is neither copied .* overrides: \{ "orders": \{ settings: \{ "index\.default_pipeline": "_none" \} \} \} to leave it off$/,
      ),
    ]);
    // The way out works: a setting declared in the index's override is the user's.
    expect(
      pipelineHolds('ClusterMigration "m"', named, new Set(), new Set(["audit"]), {
        orders: { settings: { default_pipeline: "_none" } },
      }).problems,
    ).toEqual([]);
  });
});
