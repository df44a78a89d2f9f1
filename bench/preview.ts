// The preview benchmark (`npm run bench -- --only preview [--docs N]`), with the real Pulumi CLI on one machine:
// 1. `pulumi preview` of the local example's ClusterMigration over 200 small source indices (Elasticsearch 7.10.2)
//    against `pulumi preview` of a stack without resources, same CLI, same machine: target <= 3x. For scale, also
//    a program of the same resource shape whose dynamic provider does nothing (Pulumi's own per-resource cost).
// 2. The demo's flow at N documents (default 200,000): wall time of the first `pulumi up` (full copy) and of the
//    second (incremental, after 1% new and 0.25% updated documents).
// Writes bench/results/preview.json.
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMANDS, timedRun, waitingTotal } from "../scripts/demo/cli";
import { allEqual, compareIndices } from "../scripts/demo/compare";
import { demoIndexPlan, seedSource, writeSecondWave } from "../scripts/demo/data";
import { buildPackage, createLocalStack, prepareWorld, startClusters, type LocalConfig } from "../scripts/demo/world";
import { esJson } from "../test/world/fixtures";
import { createStack, type TestStack } from "../test/world/pulumi";
import type { BenchOptions } from "./run";

const INDICES = 200;
const DOCS_PER_INDEX = 10;
const SAMPLES = 3;

const log = (line: string) => console.log(`  ${line}`);

/**
 * Pulumi's own cost of a program shaped like the migration's (per index: a component with three dynamic resources)
 * whose provider does nothing: the floor any ClusterMigration design with those resources stands on.
 */
const NO_OP_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const provider = { async check(olds, news) { return { inputs: news }; }, async create(inputs) { return { id: "x", outs: inputs }; } };
class Index extends pulumi.ComponentResource { constructor(name) { super("bench:index:Index", name, {}, {}); } }
for (let i = 0; i < ${INDICES}; i++) {
  const parent = new Index("index-" + i);
  for (const role of ["index", "copy", "finish"]) new pulumi.dynamic.Resource(provider, "index-" + i + "-" + role, { i }, { parent });
}
`;

/** `count` indices `bench-000`.. with `docs` small documents each, one shard, no replicas. */
async function createSmallIndices(url: string, count: number, docs: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(3, "0")}`);
  const mappings = { properties: { n: { type: "long" }, update_time: { type: "date" } } };
  for (const name of names) await esJson(url, "PUT", `/${name}`, { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings });
  let body = "";
  for (const name of names) {
    for (let n = 0; n < docs; n++) {
      body += `${JSON.stringify({ index: { _index: name, _id: `${n}` } })}\n${JSON.stringify({ n, update_time: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString() })}\n`;
    }
  }
  const res = await esJson(url, "POST", "/_bulk?refresh=true", body);
  if (res.errors) throw new Error("seeding the small indices failed");
  return names;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

interface PreviewSamples {
  migration: number[];
  empty: number[];
  noOp: number[];
  lastOutput: string;
}

/** Alternates previews of the stacks, so machine noise hits them alike; returns seconds per sample. */
async function measurePreviews(migration: TestStack, empty: TestStack, noOp: TestStack): Promise<PreviewSamples> {
  const out: PreviewSamples = { migration: [], empty: [], noOp: [], lastOutput: "" };
  // One unmeasured run each: the first CLI start reads its 160 MB binary and Node's modules from disk.
  for (const s of [empty, noOp, migration]) await timedRun(s, COMMANDS.preview);
  for (let i = 0; i < SAMPLES; i++) {
    out.empty.push((await timedRun(empty, COMMANDS.preview)).seconds);
    out.noOp.push((await timedRun(noOp, COMMANDS.preview)).seconds);
    const run = await timedRun(migration, COMMANDS.preview);
    out.migration.push(run.seconds);
    out.lastOutput = run.result.stdout;
    log(`sample ${i + 1}: empty ${out.empty[i].toFixed(2)} s, no-op resources ${out.noOp[i].toFixed(2)} s, ${INDICES}-index migration ${out.migration[i].toFixed(2)} s`);
  }
  return out;
}

export async function run(opts: BenchOptions): Promise<void> {
  const docs = opts.docs ?? 200_000;
  buildPackage();
  await prepareWorld(log);
  const external = opts.sourceUrl !== undefined && opts.destUrl !== undefined;
  const clusters = external
    ? { source: { url: opts.sourceUrl!, stop: async () => {} }, destination: { url: opts.destUrl!, stop: async () => {} } }
    : await startClusters();
  const { source, destination } = clusters;
  const stacks: TestStack[] = [];
  try {
    const base: LocalConfig = { sourceUrl: source.url, destinationUrl: destination.url, mode: "incremental", incrementalField: "update_time" };

    console.log(`preview: ${INDICES} source indices x ${DOCS_PER_INDEX} documents on ${source.url}`);
    const seedStart = Date.now();
    await createSmallIndices(source.url, INDICES, DOCS_PER_INDEX);
    log(`created in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const empty = await createStack({ program: "module.exports = {};\n", project: "empty-bench", stack: "bench" });
    stacks.push(empty);
    const noOp = await createStack({ program: NO_OP_PROGRAM, project: "no-op-bench", stack: "bench" });
    stacks.push(noOp);
    const migration = await createLocalStack({ ...base, include: ["bench-*"] });
    stacks.push(migration);
    const previews = await measurePreviews(migration, empty, noOp);
    const planned = /(\d+) to create/.exec(previews.lastOutput)?.[1];
    log(`the migration preview plans ${planned ?? "?"} resources to create`);
    const previewSeconds = median(previews.migration);
    const emptyPreviewSeconds = median(previews.empty);
    const ratio = previewSeconds / emptyPreviewSeconds;
    const noOpPreviewSeconds = median(previews.noOp);
    console.log(`preview: ${previewSeconds.toFixed(2)} s vs ${emptyPreviewSeconds.toFixed(2)} s empty (median of ${SAMPLES}) = ${ratio.toFixed(2)}x (target <= 3x)`);
    console.log(`  floor: the same resource shape with a no-op provider ${noOpPreviewSeconds.toFixed(2)} s = ${(noOpPreviewSeconds / emptyPreviewSeconds).toFixed(2)}x empty`);
    await esJson(source.url, "DELETE", "/bench-*");

    console.log(`\nup: the demo's flow at ${docs} documents`);
    const plan = demoIndexPlan(docs);
    await seedSource(source.url, plan);
    const demo = await createLocalStack({ ...base, include: plan.map((p) => p.name), partitions: 2 });
    stacks.push(demo);
    const first = await timedRun(demo, COMMANDS.up);
    log(`first up (full copy of ${docs} documents): ${first.seconds.toFixed(1)} s`);
    const wave = await writeSecondWave(source.url, plan, { added: Math.round(docs / 100), updated: Math.round(docs / 400) });
    const waiting = waitingTotal((await timedRun(demo, COMMANDS.preview)).result.stdout);
    const second = await timedRun(demo, COMMANDS.up);
    const changed = plan.reduce((n, p) => n + wave.added[p.name] + wave.updated[p.name], 0);
    log(`second up (incremental, ${changed} documents written, ${waiting} waiting per preview): ${second.seconds.toFixed(1)} s`);
    const equal = allEqual(await compareIndices(source.url, destination.url, plan.map((p) => p.name)));
    if (!equal) throw new Error("the destination does not match the source after the second up");

    const result = {
      measuredAt: new Date().toISOString(),
      indices: INDICES,
      docsPerIndex: DOCS_PER_INDEX,
      previewSeconds: round(previewSeconds),
      emptyPreviewSeconds: round(emptyPreviewSeconds),
      ratio: round(ratio),
      targetRatio: 3,
      previewSamples: previews.migration.map((s) => round(s)),
      emptyPreviewSamples: previews.empty.map((s) => round(s)),
      plannedResources: planned === undefined ? null : Number(planned),
      noOpPreviewSeconds: round(noOpPreviewSeconds),
      noOpRatio: round(noOpPreviewSeconds / emptyPreviewSeconds),
      noOpPreviewSamples: previews.noOp.map((s) => round(s)),
      up: {
        docs,
        firstUpSeconds: round(first.seconds, 1),
        secondUpSeconds: round(second.seconds, 1),
        secondToFirst: round(second.seconds / first.seconds),
        documentsWrittenBetween: changed,
        documentsWaitingPerPreview: waiting,
        idsEqualAfterSecondUp: equal,
      },
    };
    fs.mkdirSync(opts.resultsDir, { recursive: true });
    fs.writeFileSync(path.join(opts.resultsDir, "preview.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.join(opts.resultsDir, "preview.json")}`);
  } finally {
    for (const s of stacks) await s.remove().catch(() => {});
    await clusters.destination.stop();
    await clusters.source.stop();
  }
}
