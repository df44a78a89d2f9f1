// MigrationFinish's pure pieces: input checks (field and fix), the alias cutover actions, what counts as settings
// drift, when it runs again, and the verification outcome.
import { describe, expect, it } from "vitest";
import {
  aliasMoveActions,
  checkFinishInputs,
  finishChanges,
  liveView,
  settingsDrift,
  verification,
} from "../../provider/finish";
import type { MigrationFinishOutputs } from "../../provider/finish";
import { UNKNOWN } from "../../provider/connection";

const ok = {
  cluster: { url: "http://127.0.0.1:9200" },
  index: "logs-v2",
  finalSettings: { number_of_replicas: 1, refresh_interval: "1s" },
};

describe("checkFinishInputs", () => {
  it("normalizes settings and fills defaults", () => {
    const { inputs, failures } = checkFinishInputs({
      ...ok,
      alias: "logs",
      verify: { sourceCount: 5 },
      trigger: { taskIds: ["n:1"] },
    });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      index: "logs-v2",
      alias: "logs",
      refresh: true,
      verify: { sourceCount: 5 },
      finalSettings: { "index.number_of_replicas": "1", "index.refresh_interval": "1s" },
    });
  });

  it("accepts values not known yet (preview)", () => {
    expect(
      checkFinishInputs({ ...ok, index: UNKNOWN, verify: UNKNOWN, trigger: UNKNOWN, finalSettings: UNKNOWN }).failures,
    ).toEqual([]);
  });

  it.each([
    ["no cluster", { cluster: undefined }, "cluster", /cluster is required/],
    ["a bad cluster URL", { cluster: { url: "localhost:9200" } }, "cluster", /cluster\.url .*no scheme/],
    ["no index", { index: undefined }, "index", /index is required/],
    ["an uppercase index", { index: "Logs" }, "index", /uppercase/],
    ["no finalSettings", { finalSettings: undefined }, "finalSettings", /finalSettings is required/],
    ["a static final setting", { finalSettings: { number_of_shards: 2 } }, "finalSettings", /not a dynamic setting/],
    ["an alias equal to the index", { alias: "logs-v2" }, "alias", /the index's own name/],
    ["an alias with a wildcard", { alias: "logs*" }, "alias", /contains "\*"/],
    ["a bad verify", { verify: { sourceCount: -1 } }, "verify", /verify must be \{ sourceCount/],
    ["a non-boolean refresh", { refresh: "yes" }, "refresh", /refresh must be true or false/],
    ["an unknown field", { aliases: ["x"] }, "aliases", /unknown field\(s\) aliases/],
  ])("refuses %s", (_what, change, property, reason) => {
    const { failures } = checkFinishInputs({ ...ok, ...change } as any);
    expect(failures.find((f) => f.property === property)?.reason).toMatch(reason);
  });
});

describe("aliasMoveActions", () => {
  it.each([
    ["no index has it: add", {}, [{ add: { index: "new", alias: "logs" } }], []],
    [
      "moves it from the old index in one request",
      { old: {} },
      [{ remove: { index: "old", alias: "logs" } }, { add: { index: "new", alias: "logs" } }],
      ["old"],
    ],
    [
      "keeps the write index flag",
      { old: { is_write_index: true } },
      [{ remove: { index: "old", alias: "logs" } }, { add: { index: "new", alias: "logs", is_write_index: true } }],
      ["old"],
    ],
    [
      "removes it from every other holder",
      { a: {}, b: {}, new: {} },
      [
        { remove: { index: "a", alias: "logs" } },
        { remove: { index: "b", alias: "logs" } },
        { add: { index: "new", alias: "logs" } },
      ],
      ["a", "b"],
    ],
    ["nothing to do when only the index has it", { new: {} }, [], []],
  ] as const)("%s", (_what, holders, actions, movedFrom) => {
    expect(aliasMoveActions("logs", "new", holders as any)).toEqual({ actions, movedFrom });
  });
});

describe("settings drift", () => {
  const desired = { "index.number_of_replicas": "1", "index.refresh_interval": null };
  it("reads absent live settings as the engine defaults", () => {
    expect(liveView(desired, {})).toEqual({ "index.number_of_replicas": "1", "index.refresh_interval": "1s" });
  });
  it("finds no drift when live values are the declared ones, and names the key that moved", () => {
    expect(settingsDrift(desired, liveView(desired, { "index.number_of_replicas": "1" }))).toEqual([]);
    expect(
      settingsDrift(desired, liveView(desired, { "index.number_of_replicas": "0", "index.refresh_interval": "-1" })),
    ).toEqual(['index.number_of_replicas is "0", declared "1"', 'index.refresh_interval is "-1", declared "1s"']);
  });
});

describe("finishChanges", () => {
  const inputs = {
    cluster: { url: "http://d:9200" },
    index: "new",
    finalSettings: { "index.number_of_replicas": "1" },
    alias: "logs",
    refresh: true,
    trigger: { taskIds: ["n:1"] },
  };
  const olds = {
    ...inputs,
    settings: { "index.number_of_replicas": "1" },
    aliasIndices: ["new"],
    destCount: 1,
    sourceCount: null,
    verified: false,
    aliasMovedFrom: [],
  } as unknown as MigrationFinishOutputs;
  it.each([
    ["nothing changed", {}, {}, []],
    ["the copy ran again", { trigger: { taskIds: ["n:2"] } }, {}, ["the copy ran again"]],
    [
      "someone changed replicas (refresh saw it)",
      {},
      { settings: { "index.number_of_replicas": "3" } },
      ['settings drifted: index.number_of_replicas is "3", declared "1"'],
    ],
    ["the alias was moved away", {}, { aliasIndices: ["other"] }, ['alias "logs" is on other, not only on "new"']],
    [
      "the final settings changed",
      { finalSettings: { "index.number_of_replicas": "2" } },
      {},
      ["inputs changed", 'settings drifted: index.number_of_replicas is "1", declared "2"'],
    ],
  ])("%s", (_what, newsChange, oldsChange, reasons) => {
    expect(finishChanges({ ...olds, ...oldsChange } as any, { ...inputs, ...newsChange } as any)).toEqual(reasons);
  });
});

describe("verification", () => {
  it.each([
    [10, undefined, { verified: false }],
    [10, 10, { verified: true }],
    [9, 10, { verified: false, problem: "the index holds 9 document(s), the source 10" }],
  ] as const)("dest %s, source %s", (d, s, out) => {
    expect(verification(d, s)).toEqual(out);
  });
  it("verifies more documents than the source with a note (deletes at the source are not copied)", () => {
    expect(verification(11, 10)).toMatchObject({ verified: true, note: expect.stringContaining("1 more document(s)") });
  });
});
