// The verification benchmark: what provable copies cost, measured in one run on the same two nodes.
// - full copies through the provider with verify "count" (the baseline, run first and last, the better kept), "ids"
//   and "content": what ids and content verification add to a copy as users run it (targets: at most 10% and 25%);
//   then a profile of a comparison alone (each side's scan, both at once, hashing);
// - an incremental Reindex (verify "ids"): its first up against a later up with a 0.1% delta (target: at most 5%);
// - pulumi preview of one migrated index with nothing waiting against an empty stack's (target: at most +1.5 s).
// Prints the figures and writes bench/results/verify.json.
import * as fs from "node:fs";
import * as path from "node:path";
import { connect } from "../provider/connection/client";
import { runReindex } from "../provider/reindex/run";
import { reindexProvider } from "../provider/reindex/provider";
import { validateInputs } from "../provider/reindex/validate";
import { compareIndices, scanDocs, SCAN_DEFAULTS, sourceHash } from "../provider/verify";
import { buildPackage } from "../test/world/build";
import { createStack, type TestStack } from "../test/world/pulumi";
import { EMPTY_PROGRAM, median } from "./preview";
import { benchClusters, bulkBodies, bulkLoad, countOf, freshIndex, http } from "./reindex";
import type { BenchOptions } from "./run";

const PREVIEW_SAMPLES = 5;
const quiet = { info: () => undefined, warn: (m: string) => console.log(`    warn: ${m}`) };
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function seconds(f: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function inputs(dest: string, src: string, destIndex: string, extra: Record<string, unknown>) {
  const { inputs: i, failures } = validateInputs({
    cluster: { url: dest },
    destIndex,
    source: { index: "src", remote: { host: src } },
    ...extra,
  });
  if (failures.length > 0) throw new Error(failures.map((f) => f.reason).join("\n"));
  return i;
}

const PREVIEW_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { DestinationIndex, Reindex } = require("pulumi-es-migrate/provider");
const cfg = new pulumi.Config();
const target = new DestinationIndex("idx", { cluster: { url: cfg.require("dest") }, index: "previewed", copyFrom: { cluster: { url: cfg.require("src") }, index: "src" }, deletionProtection: false });
new Reindex("copy", { cluster: { url: cfg.require("dest") }, destIndex: target.index, destIndexUuid: target.uuid, source: { index: "src", remote: { host: cfg.require("src") } }, mode: { type: "incremental", field: "ts" } });
`;

// Pulumi's own floor for the same shape: two dynamic resources whose provider does nothing (no I/O, no package).
const NO_OP_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const provider = { async check(olds, news) { return { inputs: news }; }, async create(inputs) { return { id: "x", outs: inputs }; } };
for (const role of ["idx", "copy"]) new pulumi.dynamic.Resource(provider, role, { role });
`;

export async function run(opts: BenchOptions): Promise<void> {
  const docs = opts.docs ?? 1_000_000;
  const { source, destination } = await benchClusters(opts);
  const src = source.url.replace(/\/$/, "");
  const dest = destination.url.replace(/\/$/, "");
  const figures: Record<string, number> = { docs };
  const stacks: TestStack[] = [];
  try {
    console.log(`verification benchmark: ${docs} documents, source ${src}, destination ${dest}`);
    await freshIndex(src, "src");
    await bulkLoad(src, bulkBodies("src", docs), 2);
    await http(src, "PUT", "/src/_settings", { index: { refresh_interval: "1s" } });
    await http(src, "POST", "/src/_forcemerge?max_num_segments=1");
    console.log(`  source loaded: ${await countOf(src, "src")} documents`);

    // 1. What verification adds to a full copy, through the provider: the same copy with "count" (first and last,
    // the better kept: noise on a shared machine only slows), "ids" and "content".
    const copy = async (level: "count" | "ids" | "content", index: string) => {
      await freshIndex(dest, index);
      const t = await seconds(() => runReindex(inputs(dest, src, index, { verify: level }), { log: quiet }));
      if (level !== "count") await http(dest, "DELETE", `/${index}`);
      return t;
    };
    // Two rounds of the three levels, interleaved, each level's better run kept: the nodes' JIT warm-up and a shared
    // machine only slow a run, and a level measured once would carry the warm-up of whichever ran first.
    const countFirst = await copy("count", "full-count");
    await http(dest, "DELETE", "/full-count");
    figures.idsCopySeconds = await copy("ids", "full-ids");
    figures.contentCopySeconds = await copy("content", "full-content");
    figures.idsCopySeconds = Math.min(figures.idsCopySeconds, await copy("ids", "full-ids"));
    figures.contentCopySeconds = Math.min(figures.contentCopySeconds, await copy("content", "full-content"));
    figures.copySeconds = Math.min(countFirst, await copy("count", "full"));
    figures.idsAddsPercent = round((100 * (figures.idsCopySeconds - figures.copySeconds)) / figures.copySeconds, 1);
    figures.contentAddsPercent = round(
      (100 * (figures.contentCopySeconds - figures.copySeconds)) / figures.copySeconds,
      1,
    );
    console.log(
      `  full copy with verify "count" ${round(figures.copySeconds)} s (better of ${round(countFirst)} s first and the run after the others; each level the better of two interleaved runs); with "ids" ${round(figures.idsCopySeconds)} s (+${figures.idsAddsPercent}%, target <= 10%); with "content" ${round(figures.contentCopySeconds)} s (+${figures.contentAddsPercent}%, target <= 25%)`,
    );

    // The profile of a comparison alone (of the "count" copy, whose destination is complete): each side's scan alone,
    // both at once as a comparison reads them, and the hashing of the content level in this process.
    const s = connect({ url: src }, "source");
    const d = connect({ url: dest }, "destination");
    try {
      for (const level of ["ids", "content"] as const) {
        const content = level === "content";
        const scan = (c: typeof s, index: string) =>
          scanDocs(
            c,
            index,
            { match_all: {} },
            {
              versions: false,
              content,
              slices: 1,
              size: content ? SCAN_DEFAULTS.contentPageSize : SCAN_DEFAULTS.idsPageSize,
              keepAlive: "1m",
            },
            () => undefined,
          );
        figures[`${level}SourceScanSeconds`] = round(await seconds(() => scan(s, "src")));
        figures[`${level}DestScanSeconds`] = round(await seconds(() => scan(d, "full")));
        let found = { missing: [] as unknown[], differing: [] as unknown[] };
        figures[`${level}Seconds`] = round(
          await seconds(async () => {
            found = await compareIndices(s, d, {
              sourceIndex: "src",
              destIndex: "full",
              query: { match_all: {} },
              level,
            });
          }),
        );
        if (found.missing.length + found.differing.length > 0)
          throw new Error(`${level} comparison of an exact copy found differences`);
      }
      const sample = Array.from({ length: 100_000 }, (_, i) => ({
        n: i,
        ts: new Date(i * 1000).toISOString(),
        tenant: `t${i % 10}`,
        msg: `message number ${i}`,
      }));
      figures.hashSecondsPerMillion = round((await seconds(async () => sample.forEach((doc) => sourceHash(doc)))) * 10);
      console.log(
        `  profile: ids comparison ${figures.idsSeconds} s (source scan alone ${figures.idsSourceScanSeconds} s, destination ${figures.idsDestScanSeconds} s); content comparison ${figures.contentSeconds} s (source ${figures.contentSourceScanSeconds} s, destination ${figures.contentDestScanSeconds} s); hashing ${figures.hashSecondsPerMillion} s a million documents`,
      );
      // One changed document among all of them, found by content.
      await http(dest, "PUT", `/full/_doc/d${Math.floor(docs / 2)}?refresh=true`, { n: -1, msg: "changed" });
      const diff = await compareIndices(s, d, {
        sourceIndex: "src",
        destIndex: "full",
        query: { match_all: {} },
        level: "content",
      });
      figures.contentFoundChanged = diff.differing.length;
      console.log(`  one changed document found by content: ${figures.contentFoundChanged === 1}`);
    } finally {
      await s.close();
      await d.close();
    }
    await http(dest, "DELETE", "/full");

    // 2. An incremental up with a 0.1% delta against the first up, through the provider as the CLI calls it.
    await freshIndex(dest, "inc");
    const inc = inputs(dest, src, "inc", { mode: { type: "incremental", field: "ts" } });
    let created: any;
    figures.firstUpSeconds = await seconds(async () => {
      created = await reindexProvider.create!(inc);
    });
    const delta = Math.max(1, Math.round(docs / 1000));
    const now = Date.now();
    const lines: string[] = [];
    for (let i = 0; i < delta; i++)
      lines.push(
        JSON.stringify({ index: { _index: "src", _id: `new${i}` } }),
        JSON.stringify({ n: docs + i, ts: new Date(now).toISOString(), tenant: "t0", msg: `new ${i}` }),
      );
    await http(src, "POST", "/_bulk?refresh=true", `${lines.join("\n")}\n`, true);
    let updated: any;
    figures.deltaUpSeconds = await seconds(async () => {
      updated = await reindexProvider.update!(created.id, created.outs, inc);
    });
    if (updated.outs.created !== delta)
      throw new Error(`the incremental up created ${updated.outs.created}, expected ${delta}`);
    figures.deltaDocs = delta;
    figures.deltaPercentOfFirst = round((100 * figures.deltaUpSeconds) / figures.firstUpSeconds, 1);
    console.log(
      `  incremental: first up ${round(figures.firstUpSeconds)} s, up with ${delta} new documents ${round(figures.deltaUpSeconds)} s = ${figures.deltaPercentOfFirst}% (target <= 5%; verification: ${updated.outs.verification.method})`,
    );
    await http(dest, "DELETE", "/inc");

    // 3. Preview of one migrated index with nothing waiting, against an empty stack.
    buildPackage();
    const empty = await createStack({ program: EMPTY_PROGRAM, project: "verify-bench-empty", stack: "bench" });
    stacks.push(empty);
    const one = await createStack({
      program: PREVIEW_PROGRAM,
      project: "verify-bench-one",
      stack: "bench",
      config: { src, dest },
    });
    stacks.push(one);
    const noOp = await createStack({ program: NO_OP_PROGRAM, project: "verify-bench-no-op", stack: "bench" });
    stacks.push(noOp);
    await one.up();
    await noOp.up();
    const samples = { empty: [] as number[], one: [] as number[], noOp: [] as number[] };
    for (let i = 0; i < PREVIEW_SAMPLES; i++) {
      samples.empty.push(await seconds(() => empty.preview()));
      samples.noOp.push(await seconds(() => noOp.preview()));
      const t = process.hrtime.bigint();
      const out = await one.preview();
      samples.one.push(Number(process.hrtime.bigint() - t) / 1e9);
      if (!/Resources:\s+3 unchanged/.test(out.stdout)) throw new Error(`the preview planned changes:\n${out.stdout}`);
    }
    figures.emptyPreviewSeconds = round(median(samples.empty));
    figures.onePreviewSeconds = round(median(samples.one));
    figures.noOpPreviewSeconds = round(median(samples.noOp));
    figures.previewExtraSeconds = round(figures.onePreviewSeconds - figures.emptyPreviewSeconds);
    figures.previewExtraOverNoOpSeconds = round(figures.onePreviewSeconds - figures.noOpPreviewSeconds);
    console.log(
      `  preview of one index (${docs} documents, nothing waiting) ${figures.onePreviewSeconds} s vs empty ${figures.emptyPreviewSeconds} s: +${figures.previewExtraSeconds} s (median of ${PREVIEW_SAMPLES}; target <= +1.5 s); Pulumi's floor for two no-op dynamic resources ${figures.noOpPreviewSeconds} s, so ours +${figures.previewExtraOverNoOpSeconds} s over it`,
    );
    await one.destroy();
  } finally {
    for (const st of stacks) await st.remove().catch(() => undefined);
    await destination.stop();
    await source.stop();
  }
  fs.mkdirSync(opts.resultsDir, { recursive: true });
  const file = path.join(opts.resultsDir, "verify.json");
  fs.writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`written ${file}`);
}
