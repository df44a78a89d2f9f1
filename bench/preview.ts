// The preview benchmark (`npm run bench -- --only preview [--docs N]`), with the real Pulumi CLI on one machine:
// 1. `pulumi preview` of the local example's ClusterMigration over 200 small source indices (Elasticsearch 7.10.2)
//    against a program of the same resource shape whose dynamic provider does nothing (Pulumi's own cost, the
//    floor), same CLI, same machine: target <= 1.10 of the floor. For scale, also a stack without resources, an
//    empty program that loads @pulumi/pulumi (the SDK's own start) and the preview over 1,000 indices (how the cost
//    grows per index).
// 2. `pulumi up` with nothing waiting over the 200 indices (after a first up copied them) against the no-op
//    program's up (Pulumi's floor for an up of that shape): target <= 1.10. Also against an empty `up`, and the same
//    up with PULUMI_PARALLEL_DIFF=true (the engine diffs resources at once).
//    1 and 2 are measured for both layouts: one MigratedIndex per index (the default) and `groups: 4` (the indices
//    registered as 4 MigratedIndexGroup resources).
// 3. The demo's flow at N documents (default 200,000): wall time of the first `pulumi up` (full copy) and of the
//    second (incremental, after 1% new and 0.25% updated documents), then a third (mode changed to full: every
//    document copied again). Before each, the preview's copy estimates (#16) against the copy durations the up
//    records (first: the default rate; then the rate each index's last run measured): target within 25%.
// Writes bench/results/preview.json.
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMANDS, copySeconds, estimatedSeconds, timedRun, waitingTotal } from "../scripts/demo/cli";
import { allEqual, compareIndices } from "../scripts/demo/compare";
import { demoIndexPlan, seedSource, writeSecondWave } from "../scripts/demo/data";
import { buildPackage, createLocalStack, prepareWorld, type LocalConfig } from "../scripts/demo/world";
import { esJson } from "../test/world/fixtures";
import { createStack, type TestStack } from "../test/world/pulumi";
import { benchClusters, type BenchOptions } from "./run";

const INDICES = 200;
const MANY_INDICES = 1_000;
const DOCS_PER_INDEX = 10;
const SAMPLES = 5;
/** The default layout's preview and up against Pulumi's own cost of the same shape (the no-op program): at most this. */
const FLOOR_TARGET = 1.1;
/** ClusterMigration's `groups` for the grouped layout's figures. */
const GROUPS = 4;

const log = (line: string) => console.log(`  ${line}`);

/**
 * Pulumi's own cost of a program shaped like the migration's (per index: one dynamic resource with six grouped
 * inputs, under one component) whose provider does nothing: the floor the ClusterMigration layout stands on.
 */
export const noOpProgram = (indices: number): string => `
const pulumi = require("@pulumi/pulumi");
const provider = { async check(olds, news) { return { inputs: news }; }, async create(inputs) { return { id: "x", outs: inputs }; } };
class Migration extends pulumi.ComponentResource { constructor(name) { super("bench:index:Migration", name, {}, {}); } }
const parent = new Migration("cm");
const connections = pulumi.secret({ destination: { url: "http://d:9200" }, source: { url: "http://s:9200" } });
for (let i = 0; i < ${indices}; i++) {
  new pulumi.dynamic.Resource(provider, "cm-" + i, { connections, sourceIndex: "i" + i, destIndex: "i" + i, target: {}, copy: { mode: { type: "full" } }, finish: {}, summary: undefined }, { parent, additionalSecretOutputs: ["connections"] });
}
`;

/** A stack without resources: the baseline of every ratio. */
export const EMPTY_PROGRAM = "module.exports = {};\n";
/** An empty program that loads Pulumi's SDK, as every real program does (context, not the baseline). */
export const SDK_ONLY_PROGRAM = 'require("@pulumi/pulumi");\nmodule.exports = {};\n';

/** `count` indices `bench-0000`.. with `docs` small documents each, one shard, no replicas. */
export async function createSmallIndices(url: string, count: number, docs: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
  const mappings = { properties: { n: { type: "long" }, update_time: { type: "date" } } };
  // A single node holds 1,000 shards by default: room for the 1,000 indices and what the engine keeps itself.
  await esJson(url, "PUT", "/_cluster/settings", { persistent: { "cluster.max_shards_per_node": 5000 } });
  for (let i = 0; i < names.length; i += 8) {
    await Promise.all(
      names
        .slice(i, i + 8)
        .map((name) =>
          esJson(url, "PUT", `/${name}`, { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings }),
        ),
    );
  }
  for (let i = 0; i < names.length; i += 100) {
    let body = "";
    for (const name of names.slice(i, i + 100)) {
      for (let n = 0; n < docs; n++) {
        body += `${JSON.stringify({ index: { _index: name, _id: `${n}` } })}\n${JSON.stringify({ n, update_time: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString() })}\n`;
      }
    }
    const res = await esJson(url, "POST", "/_bulk?refresh=true", body);
    if (res.errors) throw new Error("seeding the small indices failed");
  }
  return names;
}

interface EstimateCheck {
  label: string;
  indices: number;
  estimatedSeconds: number;
  measuredSeconds: number;
  /** estimated / measured over the indices the preview estimated. */
  ratio: number;
  worstIndex: string;
  worstRatio: number;
  perIndex: Record<string, { estimated: number; measured: number }>;
}

/** A preview's estimates against the copy durations the up that followed recorded. */
function estimateCheck(label: string, estimated: Map<string, number>, measured: Map<string, number>): EstimateCheck {
  const perIndex: EstimateCheck["perIndex"] = {};
  for (const [index, e] of estimated)
    if (measured.has(index)) perIndex[index] = { estimated: e, measured: measured.get(index)! };
  const rows = Object.entries(perIndex);
  const est = rows.reduce((s, [, r]) => s + r.estimated, 0);
  const mes = rows.reduce((s, [, r]) => s + r.measured, 0);
  const off = (r: { estimated: number; measured: number }) => Math.abs(r.estimated / Math.max(r.measured, 0.1) - 1);
  const worst = rows.reduce<[string, { estimated: number; measured: number }] | undefined>(
    (w, row) => (w === undefined || off(row[1]) > off(w[1]) ? row : w),
    undefined,
  );
  return {
    label,
    indices: rows.length,
    estimatedSeconds: round(est, 1),
    measuredSeconds: round(mes, 1),
    ratio: round(est / Math.max(mes, 0.1)),
    worstIndex: worst?.[0] ?? "",
    worstRatio: worst === undefined ? 0 : round(worst[1].estimated / Math.max(worst[1].measured, 0.1)),
    perIndex,
  };
}

/** The median of samples (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

type Runner = TestStack | { stack: TestStack; env: Record<string, string> };
const runOf = (r: Runner, command: string[]) =>
  "env" in r ? timedRun(r.stack, command, { env: r.env }) : timedRun(r, command);

/** Alternates runs of the stacks (same command), so machine noise hits them alike; seconds per sample, by label. */
async function measure(
  command: string[],
  stacks: Record<string, Runner>,
): Promise<{ seconds: Record<string, number[]>; lastOutput: Record<string, string> }> {
  const seconds: Record<string, number[]> = {};
  const lastOutput: Record<string, string> = {};
  // One unmeasured run each: the first CLI start reads its 160 MB binary and Node's modules from disk.
  for (const s of Object.values(stacks)) await runOf(s, command);
  for (let i = 0; i < SAMPLES; i++) {
    const line: string[] = [];
    for (const [label, s] of Object.entries(stacks)) {
      const run = await runOf(s, command);
      (seconds[label] ??= []).push(run.seconds);
      lastOutput[label] = run.result.stdout;
      line.push(`${label} ${run.seconds.toFixed(2)} s`);
    }
    log(`${command[0]} sample ${i + 1}: ${line.join(", ")}`);
  }
  return { seconds, lastOutput };
}

export async function run(opts: BenchOptions): Promise<void> {
  const docs = opts.docs ?? 200_000;
  buildPackage();
  await prepareWorld(log);
  const { source, destination } = await benchClusters(opts);
  const stacks: TestStack[] = [];
  try {
    const base: LocalConfig = {
      sourceUrl: source.url,
      destinationUrl: destination.url,
      mode: "incremental",
      incrementalField: "update_time",
    };

    console.log(
      `preview: ${MANY_INDICES} source indices x ${DOCS_PER_INDEX} documents on ${source.url} (the first ${INDICES} for the ${INDICES}-index figures)`,
    );
    const seedStart = Date.now();
    await createSmallIndices(source.url, MANY_INDICES, DOCS_PER_INDEX);
    log(`created in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const empty = await createStack({ program: EMPTY_PROGRAM, project: "empty-bench", stack: "bench" });
    stacks.push(empty);
    // For context, not the target's baseline: every real program loads Pulumi's SDK, which the empty stack does not.
    const sdkOnly = await createStack({ program: SDK_ONLY_PROGRAM, project: "sdk-only-bench", stack: "bench" });
    stacks.push(sdkOnly);
    const noOp = await createStack({ program: noOpProgram(INDICES), project: "no-op-bench", stack: "bench" });
    stacks.push(noOp);
    // bench-0000 .. bench-0199
    const migration = await createLocalStack({ ...base, include: ["bench-00*", "bench-01*"], concurrency: 8 });
    stacks.push(migration);
    const many = await createLocalStack({ ...base, include: ["bench-*"] });
    stacks.push(many);
    const grouped = await createLocalStack({
      ...base,
      include: ["bench-00*", "bench-01*"],
      concurrency: 8,
      groups: GROUPS,
    });
    stacks.push(grouped);
    const manyGrouped = await createLocalStack({ ...base, include: ["bench-*"], groups: GROUPS });
    stacks.push(manyGrouped);
    const previews = await measure(COMMANDS.preview, { empty, sdkOnly, noOp, migration, many, grouped, manyGrouped });
    const planned = /(\d+) to create/.exec(previews.lastOutput.migration)?.[1];
    const plannedMany = /(\d+) to create/.exec(previews.lastOutput.many)?.[1];
    log(`the migration previews plan ${planned ?? "?"} and ${plannedMany ?? "?"} resources to create`);
    const m = (label: string) => median(previews.seconds[label]);
    const [previewSeconds, emptyPreviewSeconds, noOpPreviewSeconds, manySeconds] = [
      m("migration"),
      m("empty"),
      m("noOp"),
      m("many"),
    ];
    const [groupedSeconds, manyGroupedSeconds] = [m("grouped"), m("manyGrouped")];
    const estimateLines = (out: string) => (out.match(/^\s*estimate bench-\d{4} -> /gm) ?? []).length;
    // The grouped previews must still tell every index: one estimate line per new index.
    for (const [label, n] of [
      ["grouped", INDICES],
      ["manyGrouped", MANY_INDICES],
    ] as const) {
      if (estimateLines(previews.lastOutput[label]) !== n)
        throw new Error(
          `the ${label} preview said ${estimateLines(previews.lastOutput[label])} estimate lines, not one per index (${n})`,
        );
    }
    const ratio = previewSeconds / emptyPreviewSeconds;
    const perIndexMs = (1000 * (previewSeconds - emptyPreviewSeconds)) / INDICES;
    const perIndexManyMs = (1000 * (manySeconds - emptyPreviewSeconds)) / MANY_INDICES;
    console.log(
      `preview: ${previewSeconds.toFixed(2)} s vs ${emptyPreviewSeconds.toFixed(2)} s empty (median of ${SAMPLES}) = ${ratio.toFixed(2)}x`,
    );
    console.log(
      `  context: an empty program that loads @pulumi/pulumi ${m("sdkOnly").toFixed(2)} s = ${(m("sdkOnly") / emptyPreviewSeconds).toFixed(2)}x empty`,
    );
    console.log(
      `  floor: the same resource shape with a no-op provider ${noOpPreviewSeconds.toFixed(2)} s = ${(noOpPreviewSeconds / emptyPreviewSeconds).toFixed(2)}x empty; the migration's preview / the floor = ${(previewSeconds / noOpPreviewSeconds).toFixed(2)} (target <= ${FLOOR_TARGET}: ${previewSeconds / noOpPreviewSeconds <= FLOOR_TARGET ? "met" : "missed"})`,
    );
    console.log(
      `  ${MANY_INDICES} indices: ${manySeconds.toFixed(2)} s = ${(manySeconds / emptyPreviewSeconds).toFixed(2)}x empty; ${perIndexMs.toFixed(1)} ms per index at ${INDICES}, ${perIndexManyMs.toFixed(1)} ms at ${MANY_INDICES}`,
    );
    const groupedPerIndexMs = (1000 * (groupedSeconds - emptyPreviewSeconds)) / INDICES;
    const manyGroupedPerIndexMs = (1000 * (manyGroupedSeconds - emptyPreviewSeconds)) / MANY_INDICES;
    console.log(
      `preview with groups: ${GROUPS}: ${groupedSeconds.toFixed(2)} s = ${(groupedSeconds / emptyPreviewSeconds).toFixed(2)}x empty; ${MANY_INDICES} indices ${manyGroupedSeconds.toFixed(2)} s = ${(manyGroupedSeconds / emptyPreviewSeconds).toFixed(2)}x; ${groupedPerIndexMs.toFixed(1)} ms per index at ${INDICES}, ${manyGroupedPerIndexMs.toFixed(1)} ms at ${MANY_INDICES}`,
    );
    for (const s of [many, manyGrouped]) {
      await s.remove();
      stacks.splice(stacks.indexOf(s), 1);
    }

    console.log(`\nup with nothing waiting: ${INDICES} indices`);
    const firstUp = await timedRun(migration, COMMANDS.up);
    log(`first up (copies the ${INDICES} indices): ${firstUp.seconds.toFixed(1)} s`);
    await timedRun(noOp, COMMANDS.up);
    const parallel = { stack: migration, env: { PULUMI_PARALLEL_DIFF: "true" } };
    const ups = await measure(COMMANDS.up, { empty, noOp, migration, parallel });
    const upSeconds = median(ups.seconds.migration);
    const emptyUpSeconds = median(ups.seconds.empty);
    const noOpUpSeconds = median(ups.seconds.noOp);
    const parallelUpSeconds = median(ups.seconds.parallel);
    for (const label of ["migration", "parallel"]) {
      if (
        !/(\d+) unchanged/.test(ups.lastOutput[label]) ||
        /updated|created/.test(ups.lastOutput[label].split("Resources:")[1] ?? "")
      ) {
        throw new Error(
          `the up with nothing waiting (${label}) changed something:\n${ups.lastOutput[label].split("Resources:")[1]}`,
        );
      }
    }
    console.log(
      `up, nothing waiting: ${upSeconds.toFixed(2)} s vs ${emptyUpSeconds.toFixed(2)} s empty (median of ${SAMPLES}) = ${(upSeconds / emptyUpSeconds).toFixed(2)}x`,
    );
    console.log(
      `  with PULUMI_PARALLEL_DIFF=true: ${parallelUpSeconds.toFixed(2)} s = ${(parallelUpSeconds / emptyUpSeconds).toFixed(2)}x empty`,
    );
    console.log(
      `  floor: the no-op program's up ${noOpUpSeconds.toFixed(2)} s = ${(noOpUpSeconds / emptyUpSeconds).toFixed(2)}x empty; the migration's up / the floor = ${(upSeconds / noOpUpSeconds).toFixed(2)} (target <= ${FLOOR_TARGET}: ${upSeconds / noOpUpSeconds <= FLOOR_TARGET ? "met" : "missed"})`,
    );
    await timedRun(migration, [...COMMANDS.destroy], { check: false });
    await esJson(destination.url, "DELETE", "/bench-*");

    // The same with groups (the destination emptied: both stacks migrate the same 200 indices).
    const groupedFirstUp = await timedRun(grouped, COMMANDS.up);
    log(`grouped: first up (copies the ${INDICES} indices): ${groupedFirstUp.seconds.toFixed(1)} s`);
    const groupedUps = await measure(COMMANDS.up, { empty, grouped });
    if (
      !/(\d+) unchanged/.test(groupedUps.lastOutput.grouped) ||
      /updated|created/.test(groupedUps.lastOutput.grouped.split("Resources:")[1] ?? "")
    ) {
      throw new Error(
        `the grouped up with nothing waiting changed something:\n${groupedUps.lastOutput.grouped.split("Resources:")[1]}`,
      );
    }
    const groupedUpSeconds = median(groupedUps.seconds.grouped);
    const groupedEmptyUpSeconds = median(groupedUps.seconds.empty);
    console.log(
      `up, nothing waiting, groups: ${GROUPS}: ${groupedUpSeconds.toFixed(2)} s vs ${groupedEmptyUpSeconds.toFixed(2)} s empty = ${(groupedUpSeconds / groupedEmptyUpSeconds).toFixed(2)}x`,
    );
    await timedRun(grouped, [...COMMANDS.destroy], { check: false });
    await esJson(source.url, "DELETE", "/bench-*");
    await esJson(destination.url, "DELETE", "/bench-*");

    console.log(`\nup: the demo's flow at ${docs} documents`);
    const plan = demoIndexPlan(docs);
    await seedSource(source.url, plan);
    const demo = await createLocalStack({ ...base, include: plan.map((p) => p.name), partitions: 2 });
    stacks.push(demo);
    const estimates: EstimateCheck[] = [];
    const firstEstimates = estimatedSeconds((await timedRun(demo, COMMANDS.preview)).result.stdout);
    const first = await timedRun(demo, COMMANDS.up);
    log(`first up (full copy of ${docs} documents): ${first.seconds.toFixed(1)} s`);
    estimates.push(estimateCheck("first up: full copy, the default rate", firstEstimates, await copySeconds(demo)));
    const wave = await writeSecondWave(source.url, plan, {
      added: Math.round(docs / 100),
      updated: Math.round(docs / 400),
    });
    const secondPreview = (await timedRun(demo, COMMANDS.preview)).result.stdout;
    const waiting = waitingTotal(secondPreview);
    const second = await timedRun(demo, COMMANDS.up);
    estimates.push(
      estimateCheck(
        "second up: incremental, the first run's rate",
        estimatedSeconds(secondPreview),
        await copySeconds(demo),
      ),
    );
    const changed = plan.reduce((n, p) => n + wave.added[p.name] + wave.updated[p.name], 0);
    log(
      `second up (incremental, ${changed} documents written, ${waiting} waiting per preview): ${second.seconds.toFixed(1)} s`,
    );
    const equal = allEqual(
      await compareIndices(
        source.url,
        destination.url,
        plan.map((p) => p.name),
      ),
    );
    if (!equal) throw new Error("the destination does not match the source after the second up");
    // A full copy after a first run: the copy's mode changes, so every document is copied again into the same index.
    await demo.setConfig("mode", "full");
    const thirdEstimates = estimatedSeconds((await timedRun(demo, COMMANDS.preview)).result.stdout);
    const third = await timedRun(demo, COMMANDS.up);
    log(`third up (mode full: every document copied again): ${third.seconds.toFixed(1)} s`);
    estimates.push(
      estimateCheck("third up: full copy again, the second run's rate", thirdEstimates, await copySeconds(demo)),
    );
    for (const e of estimates) {
      console.log(
        `estimate vs measured, ${e.label}: ${e.estimatedSeconds} s estimated, ${e.measuredSeconds} s measured (sum over ${e.indices} indices) = ${e.ratio}; worst index ${e.worstIndex} ${e.worstRatio} (target within 25%)`,
      );
    }

    const result = {
      measuredAt: new Date().toISOString(),
      indices: INDICES,
      docsPerIndex: DOCS_PER_INDEX,
      samples: SAMPLES,
      layout: "one MigratedIndex resource per index under the ClusterMigration component (grouped: groups: 4)",
      previewSeconds: round(previewSeconds),
      emptyPreviewSeconds: round(emptyPreviewSeconds),
      ratio: round(ratio),
      targetRatio: 3,
      floorTarget: FLOOR_TARGET,
      previewSamples: previews.seconds.migration.map((s) => round(s)),
      emptyPreviewSamples: previews.seconds.empty.map((s) => round(s)),
      plannedResources: planned === undefined ? null : Number(planned),
      sdkOnlyPreviewSeconds: round(m("sdkOnly")),
      sdkOnlyRatio: round(m("sdkOnly") / emptyPreviewSeconds),
      sdkOnlyPreviewSamples: previews.seconds.sdkOnly.map((s) => round(s)),
      noOpPreviewSeconds: round(noOpPreviewSeconds),
      noOpRatio: round(noOpPreviewSeconds / emptyPreviewSeconds),
      /** The migration's preview over the no-op floor's (target FLOOR_TARGET). */
      floorRatio: round(previewSeconds / noOpPreviewSeconds),
      noOpPreviewSamples: previews.seconds.noOp.map((s) => round(s)),
      many: {
        indices: MANY_INDICES,
        previewSeconds: round(manySeconds),
        ratio: round(manySeconds / emptyPreviewSeconds),
        previewSamples: previews.seconds.many.map((s) => round(s)),
        plannedResources: plannedMany === undefined ? null : Number(plannedMany),
        msPerIndexAt200: round(perIndexMs, 1),
        msPerIndexAt1000: round(perIndexManyMs, 1),
      },
      grouped: {
        groups: GROUPS,
        previewSeconds: round(groupedSeconds),
        ratio: round(groupedSeconds / emptyPreviewSeconds),
        previewSamples: previews.seconds.grouped.map((s) => round(s)),
        manyPreviewSeconds: round(manyGroupedSeconds),
        manyRatio: round(manyGroupedSeconds / emptyPreviewSeconds),
        manyPreviewSamples: previews.seconds.manyGrouped.map((s) => round(s)),
        msPerIndexAt200: round(groupedPerIndexMs, 1),
        msPerIndexAt1000: round(manyGroupedPerIndexMs, 1),
        firstUpSeconds: round(groupedFirstUp.seconds, 1),
        upSeconds: round(groupedUpSeconds),
        emptyUpSeconds: round(groupedEmptyUpSeconds),
        upRatio: round(groupedUpSeconds / groupedEmptyUpSeconds),
        upSamples: groupedUps.seconds.grouped.map((s) => round(s)),
        emptyUpSamples: groupedUps.seconds.empty.map((s) => round(s)),
      },
      upNothingWaiting: {
        indices: INDICES,
        firstUpSeconds: round(firstUp.seconds, 1),
        upSeconds: round(upSeconds),
        emptyUpSeconds: round(emptyUpSeconds),
        ratio: round(upSeconds / emptyUpSeconds),
        targetRatio: 3,
        upSamples: ups.seconds.migration.map((s) => round(s)),
        emptyUpSamples: ups.seconds.empty.map((s) => round(s)),
        parallelDiffUpSeconds: round(parallelUpSeconds),
        parallelDiffRatio: round(parallelUpSeconds / emptyUpSeconds),
        parallelDiffUpSamples: ups.seconds.parallel.map((s) => round(s)),
        noOpUpSeconds: round(noOpUpSeconds),
        noOpRatio: round(noOpUpSeconds / emptyUpSeconds),
        floorRatio: round(upSeconds / noOpUpSeconds),
        noOpUpSamples: ups.seconds.noOp.map((s) => round(s)),
      },
      up: {
        docs,
        firstUpSeconds: round(first.seconds, 1),
        secondUpSeconds: round(second.seconds, 1),
        secondToFirst: round(second.seconds / first.seconds),
        documentsWrittenBetween: changed,
        documentsWaitingPerPreview: waiting,
        idsEqualAfterSecondUp: equal,
        thirdUpSeconds: round(third.seconds, 1),
      },
      estimates,
    };
    fs.mkdirSync(opts.resultsDir, { recursive: true });
    fs.writeFileSync(path.join(opts.resultsDir, "preview.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.join(opts.resultsDir, "preview.json")}`);
  } finally {
    for (const s of stacks) await s.remove().catch(() => {});
    await destination.stop();
    await source.stop();
  }
}
