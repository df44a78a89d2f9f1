// The cutover benchmark: the write-freeze window of `cutover()` from pulumi-es-migrate/automation for one index of
// `--docs` documents (default 1,000,000) while a writer sends about 1,000 writes/s to the source, measured per phase
// (block, final copy, verify, alias) and set against an empty Automation API `up` (a program with no resources, the
// same CLI and backend) measured in the same run; target: a freeze shorter than that `up`. The stack is the test
// world's CLI driven through the Automation API; the first full copy is made by a plain `up` before the clock starts.
// `--layout reindex` (default): a DestinationIndex and a Reindex; `--layout cluster`: a ClusterMigration of the index
// (one MigratedIndex: the final copy is followed by its finish inside the freeze).
// Prints the figures and writes bench/results/cutover.json (cutover-cluster.json for the cluster layout).
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { cutover } from "../automation";
import { buildPackage } from "../test/world/build";
import { createStack, ensurePulumiCli, pulumiEnv, type TestStack } from "../test/world/pulumi";
import { benchClusters, bulkBodies, bulkLoad, countOf, freshIndex, http } from "./reindex";
import type { BenchOptions } from "./run";

const WRITES_PER_SECOND = 1000;
const WRITE_BATCH = 50;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

const PROGRAMS: Record<string, string> = {
  reindex: `
const pulumi = require("@pulumi/pulumi");
const { DestinationIndex, Reindex } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const cluster = { url: cfg.require("dest") };
const target = new DestinationIndex("idx", { cluster, index: "dst", copyFrom: { cluster: { url: cfg.require("src") }, index: "src" }, deletionProtection: false });
new Reindex("copy", { cluster, destIndex: target.index, destIndexUuid: target.uuid, source: { index: "src", remote: { host: cfg.require("src") } }, mode: { type: "incremental", field: "ts" } });
`,
  cluster: `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const objects = { templates: false, componentTemplates: false, pipelines: false, scripts: false, aliases: false, dataStreams: false };
new ClusterMigration("cm", { source: { url: cfg.require("src") }, destination: { url: cfg.require("dest") }, include: ["src"], objects,
  defaults: { mode: { type: "incremental", field: "ts" }, deletionProtection: false }, overrides: { src: { destIndex: "dst" } } });
`,
};

const EMPTY_UPS = 3;

/** The results' file name: the default layout keeps the name it always had. */
const resultName = (layout: string) => (layout === "reindex" ? "cutover" : `cutover-${layout}`);

/** The median time of an Automation API `up` of a program with no resources (same CLI, same kind of backend). */
async function emptyUpMs(envVars: Record<string, string>): Promise<number> {
  const empty = await createStack({ program: 'require("@pulumi/pulumi");\n', project: "empty-up", stack: "bench" });
  try {
    const env = { ...envVars, PULUMI_BACKEND_URL: `file://${empty.stateDir}` };
    const auto = await LocalWorkspace.selectStack({ stackName: "bench", workDir: empty.dir }, { envVars: env });
    await auto.up(); // the first creates the stack resource
    const times: number[] = [];
    for (let i = 0; i < EMPTY_UPS; i++) {
      const start = Date.now();
      await auto.up();
      times.push(Date.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(EMPTY_UPS / 2)];
  } finally {
    await empty.remove().catch(() => undefined);
  }
}

/** About WRITES_PER_SECOND single-document writes a second to `src`, in bulk requests; counts acknowledged and refused items. */
function startWriter(src: string, firstN: number) {
  const stats = { acked: 0, refused: 0, otherErrors: 0, startedAt: Date.now(), stoppedAt: 0 };
  let n = firstN;
  let running = true;
  const interval = (1000 * WRITE_BATCH) / WRITES_PER_SECOND;
  const loop = (async () => {
    let next = Date.now();
    while (running) {
      const lines: string[] = [];
      const ts = new Date().toISOString();
      for (let i = 0; i < WRITE_BATCH; i++, n++)
        lines.push(
          JSON.stringify({ index: { _index: "src", _id: `w${n}` } }),
          JSON.stringify({ n, ts, tenant: "writer", msg: `write ${n}` }),
        );
      const res = await http(src, "POST", "/_bulk", `${lines.join("\n")}\n`, true).catch(() => undefined);
      for (const item of res?.items ?? []) {
        const error = item.index?.error;
        if (error === undefined) stats.acked++;
        else if (error.type === "cluster_block_exception") stats.refused++;
        else stats.otherErrors++;
      }
      next += interval;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    stats.stoppedAt = Date.now();
  })();
  return { stats, stop: async () => ((running = false), await loop) };
}

export async function run(opts: BenchOptions): Promise<void> {
  const docs = opts.docs ?? 1_000_000;
  const layout = opts.layout ?? "reindex";
  const program = PROGRAMS[layout];
  if (program === undefined)
    throw new Error(`--layout ${layout}: the cutover benchmark takes ${Object.keys(PROGRAMS).join(" or ")}`);
  const { source, destination } = await benchClusters(opts);
  const src = source.url.replace(/\/$/, "");
  const dest = destination.url.replace(/\/$/, "");
  const figures: Record<string, number | string | Record<string, number>> = {
    layout,
    docs,
    writesPerSecondTarget: WRITES_PER_SECOND,
  };
  let stack: TestStack | undefined;
  try {
    console.log(
      `cutover benchmark (${layout} layout): ${docs} documents, about ${WRITES_PER_SECOND} writes/s to the source during the cutover, source ${src}, destination ${dest}`,
    );
    await freshIndex(src, "src");
    await bulkLoad(src, bulkBodies("src", docs), 2);
    await http(src, "PUT", "/src/_settings", { index: { refresh_interval: "1s" } });
    await http(src, "POST", "/src/_forcemerge?max_num_segments=1");
    console.log(`  source loaded: ${await countOf(src, "src")} documents`);

    buildPackage();
    stack = await createStack({ program, project: "cutover-bench", stack: "bench", config: { src, dest } });
    const binDir = await ensurePulumiCli();
    const env = pulumiEnv({ binDir, backendUrl: `file://${stack.stateDir}` });
    process.env.PATH = env.PATH;
    const envVars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
    const auto = await LocalWorkspace.selectStack({ stackName: "bench", workDir: stack.dir }, { envVars });
    const first = Date.now();
    await auto.up();
    figures.firstUpSeconds = round((Date.now() - first) / 1000);
    console.log(`  first up (full copy): ${figures.firstUpSeconds} s`);
    figures.emptyUpSeconds = round((await emptyUpMs(envVars)) / 1000);
    console.log(`  empty Automation API up (no resources, median of ${EMPTY_UPS}): ${figures.emptyUpSeconds} s`);

    const cliLog = path.join(opts.resultsDir, `${resultName(layout)}-cli.log`);
    fs.mkdirSync(opts.resultsDir, { recursive: true });
    fs.writeFileSync(cliLog, "");
    const writer = startWriter(src, docs);
    await new Promise((r) => setTimeout(r, 5000));
    let report;
    try {
      // The CLI's output of the cutover's up runs, each line stamped with the seconds since the cutover started.
      const t0 = Date.now();
      const stamp = (text: string) =>
        fs.appendFileSync(
          cliLog,
          text
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map((l) => `${((Date.now() - t0) / 1000).toFixed(1)}s ${l}\n`)
            .join(""),
        );
      report = await cutover({
        stack: auto,
        source: { url: src },
        destination: { url: dest },
        indices: [{ sourceIndex: "src", destIndex: "dst", alias: "current" }],
        onProgress: (l) => (console.log(`    ${l}`), stamp(`[cutover] ${l}`)),
        onOutput: stamp,
      });
    } finally {
      await writer.stop();
    }
    const { stats } = writer;
    const atDest = (await http(dest, "POST", "/dst/_count", { query: { range: { n: { gte: docs } } } })).count;
    if (atDest !== stats.acked)
      throw new Error(`${stats.acked} writes were acknowledged by the source, ${atDest} are at the destination`);
    figures.freezeSeconds = round(report.freezeMs / 1000);
    figures.phasesSeconds = Object.fromEntries(
      Object.entries(report.phases).map(([k, v]) => [k, round((v ?? 0) / 1000)]),
    );
    figures.writesAcked = stats.acked;
    figures.writesRefused = stats.refused;
    figures.writesOtherErrors = stats.otherErrors;
    figures.writerRate = round(
      ((stats.acked + stats.refused + stats.otherErrors) * 1000) / (stats.stoppedAt - stats.startedAt),
      0,
    );
    figures.destinationCount = report.indices[0].destCount ?? 0;
    const p = figures.phasesSeconds as Record<string, number>;
    figures.freezeOverEmptyUp = round((figures.freezeSeconds as number) / (figures.emptyUpSeconds as number));
    figures.catchUps = JSON.stringify(report.catchUps);
    figures.finalCopied = report.indices[0].finalCopied ?? 0;
    figures.finalCopyBy = report.finalCopyBy;
    console.log(
      `  freeze window ${figures.freezeSeconds} s = ${figures.freezeOverEmptyUp}x an empty up (target < 1): block ${p.block} s, final copy ${p["final-copy"]} s (${figures.finalCopied} documents, ${report.finalCopyBy}), verify ${p.verify} s${p.finish === undefined ? "" : `, finish ${p.finish} s`}, alias ${p.alias} s`,
    );
    console.log(
      `  outside the freeze: catch-up ${p["catch-up"]} s (${report.catchUps.length} up(s), documents copied ${figures.catchUps}), record up ${p["record-up"] ?? "-"} s`,
    );
    figures.verifiedBy = report.indices[0].verifiedBy ?? "";
    console.log(
      `  verified by: ${figures.verifiedBy}; the CLI's output of the cutover's up runs, time-stamped: ${cliLog}`,
    );
    console.log(
      `  writer: ${stats.acked} writes acknowledged (all at the destination), ${stats.refused} refused by the block, ${stats.otherErrors} other errors; ${figures.writerRate} writes/s offered`,
    );
  } finally {
    await stack?.remove().catch(() => undefined);
    await destination.stop();
    await source.stop();
  }
  fs.mkdirSync(opts.resultsDir, { recursive: true });
  const file = path.join(opts.resultsDir, `${resultName(layout)}.json`);
  fs.writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`written ${file}`);
}
