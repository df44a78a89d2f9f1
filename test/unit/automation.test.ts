// The cutover helper's pure parts: its options checked field by field, and the preview's engine events read into
// documents waiting per copy.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { CutoverConfigError, findingsByCopy, plannedChanges } from "../../automation";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { anotherCatchUp, documentsCopied, finalDeltaRefusal } from "../../automation/catch-up";
import { copyOutputsOf, finalCopyOf, revealSecrets } from "../../automation/copies";
import { FINAL_RESULTS_ENV, finalCopyResults, runFingerprint } from "../../provider/reindex/final-result";
import { diffReindex, updateReindex } from "../../provider/reindex/provider";
import { validateCutover } from "../../automation/validate";
import { changedSteps, messages, opOf, parseEngineEvents } from "../world/pulumi-events";

const stack = { up: async () => ({}) };
const base = {
  stack,
  source: { url: "http://10.0.0.5:9200" },
  destination: { url: "http://10.0.1.7:9200" },
  indices: [{ sourceIndex: "orders", destIndex: "orders-v2", alias: "orders-current" }],
};

function problems(opts: object): string[] {
  try {
    validateCutover({ ...base, ...opts } as any);
  } catch (e) {
    expect(e).toBeInstanceOf(CutoverConfigError);
    return (e as CutoverConfigError).problems;
  }
  return [];
}

describe("cutover options", () => {
  it("takes a stack, two connections and the indices, with defaults ids / catch-up / keep the block", () => {
    const valid = validateCutover(base as any);
    expect(valid).toMatchObject({
      verify: "ids",
      catchUp: true,
      maxCatchUps: 3,
      smallDelta: 1000,
      keepSourceBlocked: true,
      indices: base.indices,
    });
  });

  it.each([
    [{ stack: undefined }, "stack must be an Automation API Stack"],
    [{ stack: {} }, "stack must be an Automation API Stack"],
    [{ source: { url: "10.0.0.5:9200" } }, "source.url"],
    [{ destination: undefined }, "destination"],
    [{ indices: [] }, "indices must list at least one"],
    [{ maxCatchUps: 0 }, "maxCatchUps must be a whole number of at least 1"],
    [{ smallDelta: -5 }, "smallDelta must be a whole number of documents"],
    [{ maxFinalDelta: 1.5 }, "maxFinalDelta must be a whole number of documents (0 or more), got 1.5"],
    [
      { indices: [{ sourceIndex: "Orders", destIndex: "orders-v2" }] },
      'indices[0].sourceIndex "Orders" has uppercase letters',
    ],
    [{ indices: [{ sourceIndex: "orders" }] }, "indices[0].destIndex is required"],
    [
      {
        indices: [
          { sourceIndex: "a", destIndex: "b" },
          { sourceIndex: "a", destIndex: "c" },
        ],
      },
      'indices[1].sourceIndex "a" is also indices[0].sourceIndex',
    ],
    [{ indices: [{ sourceIndex: "a", destIndex: "b", alias: "b" }] }, "is the destination index's own name"],
    [
      {
        indices: [
          { sourceIndex: "a", destIndex: "b", alias: "x" },
          { sourceIndex: "c", destIndex: "d", alias: "x" },
        ],
      },
      'alias "x" is given for several indices',
    ],
    [
      { indices: [{ sourceIndex: "a", destIndex: "b", query: "tenant:blue" }] },
      "indices[0].query must be a query object",
    ],
    [{ verify: "hashes" }, 'verify must be one of "count", "ids", "content", got "hashes"'],
    [{ catchUp: "yes" }, "catchUp must be true or false"],
  ])("refuses %j naming the field", (opts, expected) => {
    expect(problems(opts).join("\n")).toContain(expected);
  });

  it("lists every problem at once and says nothing was touched", () => {
    try {
      validateCutover({ ...base, verify: "x", indices: [{ sourceIndex: "A" }] } as any);
      expect.unreachable();
    } catch (e) {
      expect((e as CutoverConfigError).problems.length).toBe(3);
      expect((e as Error).message).toContain("nothing was blocked or moved");
    }
  });
});

const diag = (message: string, urn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic:Resource::orders-copy"): EngineEvent =>
  ({
    sequence: 1,
    timestamp: 0,
    diagnosticEvent: { urn, message: `${message}\n`, color: "never", severity: "info" },
  }) as EngineEvent;
const pre = (urn: string, op: string): EngineEvent =>
  ({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: { urn, op, type: "t", provider: "" } } }) as EngineEvent;

describe("reading a preview's events", () => {
  it("counts the documents waiting per copy from the providers' diagnostic lines", () => {
    const found = findingsByCopy([
      diag(
        "reindex orders -> orders-v2: 1,234 document(s) waiting at the source in the window from 2026-12-01T00:00:00Z minus 5m: 1,000 new, 234 changed",
      ),
      diag(
        'reindex events -> events-v2: 3 destination document(s) no longer exist at the source (deletes: "report" leaves them; "reconcile" deletes them)',
      ),
      diag("some other provider's line"),
    ]);
    expect(found.get("orders -> orders-v2")?.documentsWaiting).toBe(1234);
    expect(found.get("events -> events-v2")?.documentsWaiting).toBeUndefined();
    expect(found.get("events -> events-v2")?.lines).toEqual([expect.stringContaining("no longer exist")]);
    expect(found.size).toBe(2);
  });

  it("lists the resources a preview would change, leaving out the unchanged", () => {
    expect(plannedChanges([pre("urn:a", "same"), pre("urn:b", "update"), diag("x"), pre("urn:c", "create")])).toEqual([
      { urn: "urn:b", op: "update" },
      { urn: "urn:c", op: "create" },
    ]);
  });
});

describe("the test world's reading of an event log", () => {
  it("gives each resource's step, the diagnostics without debug lines, and the summary's changes", () => {
    const log = [
      { sequence: 0, preludeEvent: { config: {} } },
      {
        sequence: 1,
        resourcePreEvent: {
          metadata: { op: "same", urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", type: "pulumi:pulumi:Stack" },
        },
      },
      { sequence: 2, diagnosticEvent: { prefix: "debug: ", message: "Registering resource\n", severity: "debug" } },
      {
        sequence: 3,
        diagnosticEvent: {
          message: "reindex a -> a: 3 document(s) waiting at the source\nsecond line\n\n",
          severity: "info",
        },
      },
      {
        sequence: 4,
        resourcePreEvent: {
          metadata: {
            op: "update",
            urn: "urn:pulumi:s::p::pulumi-nodejs:dynamic/es-migrate:Reindex::a-copy",
            type: "pulumi-nodejs:dynamic/es-migrate:Reindex",
            diffs: ["mode"],
          },
        },
      },
      { sequence: 5, summaryEvent: { resourceChanges: { same: 1, update: 1 } } },
    ]
      .map((e) => JSON.stringify(e))
      .join("\n");
    const run = parseEngineEvents(`${log}\n{"sequence":6,"cancelEv`);
    expect(run.changes).toEqual({ same: 1, update: 1 });
    expect(opOf(run, "a-copy")).toBe("update");
    expect(run.steps[1]).toMatchObject({ name: "a-copy", diffs: ["mode"], replaces: [] });
    expect(changedSteps(run)).toEqual(["a-copy: update"]);
    expect(messages(run)).toEqual(["reindex a -> a: 3 document(s) waiting at the source", "second line"]);
  });
});

describe("finding the copy's outputs in the stack's state", () => {
  const reindex = (destIndex: string, extra: object = {}) => ({
    type: "pulumi-nodejs:dynamic/es-migrate:Reindex",
    outputs: {
      destIndex,
      status: "complete",
      source: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" },
      ...extra,
    },
  });
  const entry = { sourceIndex: "orders", destIndex: "orders-v2" };

  it("finds the one Reindex writing into the destination index (its source being secret)", () => {
    expect(copyOutputsOf({ resources: [reindex("other"), reindex("orders-v2", { marker: 1 })] }, entry)).toMatchObject({
      marker: 1,
    });
  });

  it("finds a MigratedIndex's copy by both index names", () => {
    const migrated = {
      type: "pulumi-nodejs:dynamic/es-migrate:MigratedIndex",
      outputs: { sourceIndex: "orders", destIndex: "orders-v2", copyState: { marker: 2 } },
    };
    expect(copyOutputsOf({ resources: [migrated] }, entry)).toEqual({ marker: 2 });
    expect(copyOutputsOf({ resources: [migrated] }, { ...entry, sourceIndex: "x" })).toBeUndefined();
  });

  it("finds a grouped index's copy among its MigratedIndexGroup's members", () => {
    const group = {
      type: "pulumi-nodejs:dynamic/es-migrate:MigratedIndexGroup",
      outputs: {
        members: {
          orders: { sourceIndex: "orders", destIndex: "orders-v2", copyState: { marker: 3 } },
          logs: { sourceIndex: "logs", destIndex: "logs", copyState: { marker: 4 } },
        },
      },
    };
    expect(copyOutputsOf({ resources: [group] }, entry)).toEqual({ marker: 3 });
    expect(copyOutputsOf({ resources: [group] }, { ...entry, destIndex: "orders" })).toBeUndefined();
    // This release stores each member as its JSON text; earlier ones as the object (above).
    const stored = {
      ...group,
      outputs: {
        members: {
          orders: JSON.stringify(group.outputs.members.orders),
          logs: JSON.stringify(group.outputs.members.logs),
        },
      },
    };
    expect(copyOutputsOf({ resources: [stored] }, entry)).toEqual({ marker: 3 });
  });

  it("gives nothing when two copies write into the same index name (it cannot tell which)", () => {
    expect(copyOutputsOf({ resources: [reindex("orders-v2"), reindex("orders-v2")] }, entry)).toBeUndefined();
  });
});

describe("finding the state the final copy runs from", () => {
  const secret = (value: unknown) => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    plaintext: JSON.stringify(value),
  });

  it("reveals the secrets of an export made with secrets shown, at any depth", () => {
    expect(revealSecrets({ a: [secret({ url: "http://x:9200", password: "p" })], b: 1 })).toEqual({
      a: [{ url: "http://x:9200", password: "p" }],
      b: 1,
    });
    expect(() => revealSecrets({ "4dabf18193072939515e22adb298388d": "1b4", ciphertext: "x" })).toThrow(
      "export it with secrets shown",
    );
  });

  const connections = { destination: { url: "http://dest:9200" }, source: { url: "http://src:9200", password: "pw" } };
  const entry = { sourceIndex: "orders", destIndex: "orders-v2" };
  const copyState = { destIndex: "orders-v2", status: "complete", source: { index: "orders" }, taskIds: ["t1"] };
  const member = { sourceIndex: "orders", destIndex: "orders-v2", indexState: { uuid: "u1" }, copyState };

  it("gives the standalone Reindex's state with its connections", () => {
    const reindex = {
      type: "pulumi-nodejs:dynamic/es-migrate:Reindex",
      outputs: { destIndex: "orders-v2", status: "complete", source: secret({ index: "orders" }) },
    };
    const final = finalCopyOf({ resources: [reindex] }, entry);
    expect(final?.copy).toMatchObject({ source: { index: "orders" } });
    expect(final?.migration).toBeUndefined();
  });

  it("gives a MigratedIndex's copy part with the recorded connections given back, and the migration's state", () => {
    const migrated = {
      type: "pulumi-nodejs:dynamic/es-migrate:MigratedIndex",
      outputs: { ...member, connections: secret(connections) },
    };
    const final = finalCopyOf({ resources: [migrated] }, entry);
    expect(final?.copy).toMatchObject({
      cluster: connections.destination,
      source: { index: "orders", cluster: connections.source },
      taskIds: ["t1"],
    });
    expect(final?.migration).toMatchObject({ connections, indexState: { uuid: "u1" } });
  });

  it("gives a group member's copy, stored as JSON text, with the group's connections", () => {
    const group = {
      type: "pulumi-nodejs:dynamic/es-migrate:MigratedIndexGroup",
      outputs: { connections: secret(connections), members: { orders: JSON.stringify(member) } },
    };
    const final = finalCopyOf({ resources: [group] }, entry);
    expect(final?.copy).toMatchObject({ cluster: connections.destination, taskIds: ["t1"] });
    expect(final?.migration).toMatchObject({ connections, sourceIndex: "orders", indexState: { uuid: "u1" } });
  });

  it("gives nothing for a migration whose index was never created (the final copy is then an up)", () => {
    const migrated = {
      type: "pulumi-nodejs:dynamic/es-migrate:MigratedIndex",
      outputs: { ...member, indexState: undefined, connections: secret(connections) },
    };
    expect(finalCopyOf({ resources: [migrated] }, entry)).toBeUndefined();
  });
});

describe("how many catch-up ups run before the block", () => {
  const opts = { maxCatchUps: 3, smallDelta: 1000 };
  it.each([
    [[], true, "always one"],
    [[50_000], true, "a first catch-up that copied many"],
    [[800], false, "a delta small enough for the freeze"],
    [[50_000, 6_000], true, "a delta still shrinking"],
    [[6_000, 6_500], false, "a delta no longer shrinking"],
    [[50_000, 20_000, 6_000], false, "the bound reached"],
    [[undefined], false, "a delta not known"],
  ] as [(number | undefined)[], boolean, string][])("after %j: %s (%s)", (copied, expected) => {
    expect(anotherCatchUp(copied, opts)).toBe(expected);
  });

  it("counts what each copy's run created and updated, nothing for a copy that did not run", () => {
    const run = (taskIds: string[], created: number, updated: number) => ({
      destIndex: "d",
      status: "complete",
      taskIds,
      created,
      updated,
    });
    expect(
      documentsCopied([
        { before: run(["a"], 5, 5), after: run(["b"], 300, 20) },
        { before: run(["c"], 7, 0), after: run(["c"], 7, 0) },
      ]),
    ).toBe(320);
    expect(documentsCopied([{ before: run(["a"], 5, 5), after: undefined }])).toBeUndefined();
  });
});

describe("whether the final copy is small enough to block writes for", () => {
  const waiting = [
    { copy: "orders -> orders-v2", documents: 30_000 },
    { copy: "users -> users-v2", documents: 0 },
    { copy: "carts -> carts-v2", documents: 19_163 },
  ];
  it("always, without maxFinalDelta", () => {
    expect(validateCutover(base as any).maxFinalDelta).toBeUndefined();
    expect(finalDeltaRefusal(waiting, {}, [25_787, 49_163])).toBeUndefined();
  });

  it("when what waits in all is at most maxFinalDelta", () => {
    expect(validateCutover({ ...base, maxFinalDelta: 0 } as any).maxFinalDelta).toBe(0);
    expect(finalDeltaRefusal(waiting, { maxFinalDelta: 49_163 }, [])).toBeUndefined();
    expect(finalDeltaRefusal([{ copy: "a -> b", documents: 0 }], { maxFinalDelta: 0 }, [12])).toBeUndefined();
  });

  it("never above it: the message names the total, each copy with documents waiting and the catch-ups", () => {
    expect(finalDeltaRefusal(waiting, { maxFinalDelta: 5_000 }, [25_787, 49_163])).toBe(
      "the final copy would move 49,163 document(s) (orders -> orders-v2 30,000, carts -> carts-v2 19,163), more than " +
        "maxFinalDelta 5,000, so writes were not blocked: the catch-up ups copied 25,787, then 49,163 document(s). Cut " +
        "over when the application writes less, or raise maxFinalDelta (the freeze lasts about as long as the final copy)",
    );
    expect(finalDeltaRefusal(waiting, { maxFinalDelta: 0 }, [])).toContain("no catch-up ran (catchUp: false)");
    expect(finalDeltaRefusal(waiting, { maxFinalDelta: 0 }, [undefined])).toContain(
      "the catch-up ups copied an unknown number of document(s)",
    );
  });
});

describe("the recording up's hand-off to the Reindex provider", () => {
  const olds = { destIndex: "orders-v2", status: "complete" as const, taskIds: ["t1"], cursorTo: { value: 1 } };
  const results = { status: "complete", created: 12, updated: 3, watermark: 2 };
  const fileWith = (content: object) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "final-results-")), "r.json");
    fs.writeFileSync(file, JSON.stringify(content));
    return { [FINAL_RESULTS_ENV]: file };
  };

  it("gives the final copy's results for the state that copy started from", () => {
    const env = fileWith({ "orders-v2": { after: runFingerprint(olds), results } });
    expect(finalCopyResults(olds as any, { destIndex: "orders-v2" }, env)).toEqual(results);
  });

  it("makes the Reindex's update record the results without a request to either cluster", async () => {
    // Nothing listens on port 1: any request would fail the update.
    const cluster = { url: "http://127.0.0.1:1" };
    const inputs = {
      cluster,
      destIndex: "orders-v2",
      source: { index: "orders", remote: { host: "http://127.0.0.1:1" } },
      mode: { type: "incremental", field: "update_time" },
    };
    const state = { ...inputs, ...olds, created: 1, updated: 0 };
    const env = fileWith({ "orders-v2": { after: runFingerprint(state), results } });
    const saved = process.env[FINAL_RESULTS_ENV];
    process.env[FINAL_RESULTS_ENV] = env[FINAL_RESULTS_ENV];
    try {
      expect(await diffReindex(state as any, inputs as any)).toEqual({ changes: true });
      const { outs } = await updateReindex("id", state as any, inputs as any);
      expect(outs).toMatchObject({ ...inputs, taskIds: ["t1"], created: 12, updated: 3, watermark: 2 });
    } finally {
      if (saved === undefined) delete process.env[FINAL_RESULTS_ENV];
      else process.env[FINAL_RESULTS_ENV] = saved;
    }
  });

  it("gives nothing outside the recording up, for another index, or for a state that moved on since", () => {
    const env = fileWith({ "orders-v2": { after: runFingerprint(olds), results } });
    expect(finalCopyResults(olds as any, { destIndex: "orders-v2" }, {})).toBeUndefined();
    expect(finalCopyResults({ ...olds, destIndex: "x" } as any, { destIndex: "x" }, env)).toBeUndefined();
    expect(finalCopyResults({ ...olds, taskIds: ["t2"] } as any, { destIndex: "orders-v2" }, env)).toBeUndefined();
  });
});
