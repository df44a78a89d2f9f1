// cutover()'s final copy of a MigratedIndex (or a group's member): which finish follows the copy inside the freeze,
// and the recording up's update, which records the copy and that finish without a request to the destination.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { finishAfterCopy } from "../../provider/migrated-index/final-copy";
import { copyOlds } from "../../provider/migrated-index/parts";
import { diffMigratedIndex, updateMigratedIndex } from "../../provider/migrated-index/provider";
import type { MigratedIndexInputs, MigratedIndexOutputs } from "../../provider/migrated-index/types";
import { FINAL_RESULTS_ENV, runFingerprint } from "../../provider/reindex/final-result";
import type { RunResults } from "../../provider/reindex/run";

// Nothing listens on port 1: a request to either cluster fails.
const connections = { destination: { url: "http://127.0.0.1:1" }, source: { url: "http://127.0.0.1:1" } };
const inputs: MigratedIndexInputs = {
  connections,
  sourceIndex: "orders",
  destIndex: "orders-v2",
  target: {},
  copy: { mode: { type: "incremental", field: "ts" } },
  finish: {},
};

/** What one run of the copy left (a Reindex's results): its tasks, counts and verification. */
const run = (taskId: string, created: number, sourceCount: number) =>
  ({
    status: "complete",
    taskIds: [taskId],
    created,
    updated: 0,
    durationSeconds: 2,
    watermark: sourceCount,
    cursorFrom: { value: 0 },
    cursorTo: { value: sourceCount },
    verification: { level: "ids", sourceCount, extraKept: 0 },
  }) as unknown as RunResults;

/** A migration whose copy ran once (`t1`, 1,000 documents) and whose finish ran after that run. */
function migrated(): MigratedIndexOutputs {
  const o = {
    ...inputs,
    indexState: { index: "orders-v2", uuid: "u1", finalSettings: { "index.number_of_replicas": "1" } },
    copyState: {
      destIndex: "orders-v2",
      destIndexUuid: "u1",
      source: { index: "orders" },
      mode: { type: "incremental", field: "ts" },
      ...run("t1", 1000, 1000),
    },
  } as unknown as MigratedIndexOutputs;
  const { cluster: _cluster, ...finish } = finishAfterCopy(o, o.copyState as unknown as RunResults)!;
  return { ...o, finishState: { ...finish, settings: finish.finalSettings, destCount: 1000 } as any };
}

describe("the finish that follows a MigratedIndex's final copy", () => {
  it("runs after a copy that ran again, keyed on that run and counted against its source count", () => {
    const finish = finishAfterCopy(migrated(), run("t2", 40, 1040));
    expect(finish).toMatchObject({
      cluster: connections.destination,
      index: "orders-v2",
      finalSettings: { "index.number_of_replicas": "1" },
      verify: { sourceCount: 1040, extra: 0 },
      trigger: { taskIds: ["t2"], created: 40 },
    });
  });

  it("does not run again for the run it already finished", () => {
    const o = migrated();
    expect(finishAfterCopy(o, o.copyState as unknown as RunResults)).toBeUndefined();
  });

  it("runs when the migration never finished", () => {
    expect(finishAfterCopy({ ...migrated(), finishState: undefined }, run("t1", 1000, 1000))).toBeDefined();
  });
});

describe("the recording up's update of a MigratedIndex", () => {
  const saved = process.env[FINAL_RESULTS_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[FINAL_RESULTS_ENV];
    else process.env[FINAL_RESULTS_ENV] = saved;
  });

  it("records the final copy and its finish as the update's, without a request to the destination", async () => {
    const olds = migrated();
    const results = { ...run("t2", 40, 1040), copyRuns: [{ documents: 40, seconds: 2 }] };
    const finish = { ...finishAfterCopy(olds, results)!, destCount: 1040, sourceCount: 1040, verified: true };
    const { cluster: _cluster, ...finishState } = finish;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "final-results-")), "r.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ "orders-v2": { after: runFingerprint(copyOlds(olds)), results, finish: finishState } }),
    );
    process.env[FINAL_RESULTS_ENV] = file;

    expect(await diffMigratedIndex(olds, inputs)).toEqual({ changes: true });
    const { outs } = await updateMigratedIndex("orders-v2", olds, inputs);
    expect(outs.copyState).toMatchObject({ ...results, source: { index: "orders" } });
    expect(outs.finishState).toEqual(finishState);
    expect(outs.indexState).toEqual(olds.indexState);
    expect(outs.summary).toMatchObject({ created: 40, destCount: 1040, sourceCount: 1040, verified: true });
  });
});
