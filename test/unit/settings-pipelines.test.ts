// The ingest pipelines an index names (`index.default_pipeline`, `index.final_pipeline`): copied from the source, held
// at "_none" while the copy loads (the documents were processed once, at the source), restored by the finish, and
// refused by the finish where the destination lacks the pipeline.
import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../provider/connection/types";
import {
  createSettings,
  finalSettingsOf,
  heldBackLoadSettings,
  reportedSettings,
} from "../../provider/destination-index/plan";
import { missingPipelineProblem, settingsDrift } from "../../provider/finish";
import { type FlatSettings, loadHolds, namedPipelines, settingsFromSource } from "../../provider/settings";

const ES7: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };
const OS2: ClusterInfo = { flavor: "opensearch", version: "2.19.1", major: 2, minor: 19 };
const LOAD: FlatSettings = { "index.number_of_replicas": "0", "index.refresh_interval": "-1" };

describe("pipelines copied from the source", () => {
  it("copies default_pipeline and final_pipeline with the index's other settings", () => {
    const { settings, dropped } = settingsFromSource(
      { index: { number_of_shards: "2", default_pipeline: "orders-enrich", final_pipeline: "orders-audit" } },
      ES7,
      OS2,
    );
    expect(settings).toEqual({
      "index.default_pipeline": "orders-enrich",
      "index.final_pipeline": "orders-audit",
      "index.number_of_shards": "2",
    });
    expect(dropped).toEqual([]);
  });
});

describe("pipelines held during the load and restored after it", () => {
  it.each<[string, FlatSettings, FlatSettings, FlatSettings, FlatSettings]>([
    [
      "a default pipeline is held at _none and restored by name",
      { "index.default_pipeline": "orders-enrich" },
      LOAD,
      { ...LOAD, "index.default_pipeline": "_none" },
      { "index.default_pipeline": "orders-enrich", "index.number_of_replicas": "1", "index.refresh_interval": "1s" },
    ],
    [
      "both pipelines, with loadSettings {} (final settings at once): the pipelines are still held",
      { "index.default_pipeline": "a", "index.final_pipeline": "b" },
      {},
      { "index.default_pipeline": "_none", "index.final_pipeline": "_none" },
      { "index.default_pipeline": "a", "index.final_pipeline": "b" },
    ],
    [
      "no pipeline: nothing held",
      { "index.number_of_shards": "1" },
      LOAD,
      LOAD,
      { "index.number_of_replicas": "1", "index.refresh_interval": "1s" },
    ],
    ["a pipeline that is _none already: nothing held", { "index.default_pipeline": "_none" }, {}, {}, {}],
    [
      "loadSettings naming the pipeline itself wins (the user wants it to run during the load)",
      { "index.default_pipeline": "a" },
      { "index.default_pipeline": "a" },
      { "index.default_pipeline": "a" },
      { "index.default_pipeline": "a" },
    ],
  ])("%s", (_what, settings, loadSettings, heldForLoad, restored) => {
    expect(heldBackLoadSettings(settings, loadSettings)).toEqual(heldForLoad);
    expect(createSettings(settings, loadSettings)).toEqual({ ...settings, ...heldForLoad });
    expect(finalSettingsOf(settings, loadSettings)).toEqual(restored);
  });

  it("names the pipelines an index's settings hold", () => {
    expect(loadHolds({ "index.default_pipeline": "a", "index.final_pipeline": "_none" })).toEqual({
      "index.default_pipeline": "_none",
    });
    expect(
      namedPipelines({ "index.default_pipeline": "a", "index.final_pipeline": "b", "index.codec": "best_compression" }),
    ).toEqual([
      { key: "index.default_pipeline", pipeline: "a" },
      { key: "index.final_pipeline", pipeline: "b" },
    ]);
  });

  it("a held pipeline is no drift while the index loads, and drift for the finish once restored", () => {
    const settings = { "index.default_pipeline": "orders-enrich" };
    const live = { "index.default_pipeline": "_none" };
    expect(reportedSettings(settings, live, heldBackLoadSettings(settings, LOAD))).toEqual(settings);
    // The finish compares what it restored with the live value: someone putting "_none" back runs the finish again.
    expect(settingsDrift(finalSettingsOf(settings, {}), live)).toEqual([
      'index.default_pipeline is "_none", declared "orders-enrich"',
    ]);
  });
});

describe("the finish refuses to restore a pipeline the destination lacks", () => {
  it("names the setting, the pipeline and the ways out", () => {
    const finalSettings = {
      "index.default_pipeline": "orders-enrich",
      "index.final_pipeline": "audit",
      "index.number_of_replicas": "1",
    };
    const problem = missingPipelineProblem(finalSettings, new Set(["orders-enrich"]));
    expect(problem).toMatch(
      /^index\.default_pipeline names the ingest pipeline "orders-enrich", which the destination does not have/,
    );
    expect(problem).toContain("objects.pipelines");
    expect(problem).toContain('settings: { "index.default_pipeline": "_none" }');
    expect(missingPipelineProblem(finalSettings, new Set())).toBeUndefined();
  });
});
