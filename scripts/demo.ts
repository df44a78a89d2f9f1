// `npm run demo [-- --docs N]`: the whole job on this machine, with the real Pulumi CLI. Starts an Elasticsearch
// 7.10 source and an OpenSearch 2.19 destination, seeds them, migrates with the local example program
// (`pulumi preview`, `pulumi up`), writes more documents, shows the preview counting what waits, copies only that
// with a second `pulumi up`, prints a summary table, and stops everything it started, also on Ctrl-C or failure.
import { randomBytes } from "node:crypto";
import { COMMANDS, timedRun, waitingLines, waitingTotal, type TimedRun } from "./demo/cli";
import { allEqual, compareIndices, formatTable, type IndexComparison } from "./demo/compare";
import { demoIndexPlan, seedSource, writeSecondWave, SYSTEM_INDEX } from "./demo/data";
import { buildPackage, createLocalStack, prepareWorld, startClusters, type EngineNode } from "./demo/world";
import type { TestStack } from "../test/world/pulumi";
import type { ClusterMigrationSummary, IndexMigrationSummary } from "../components/migration";

const DEFAULT_DOCS = 200_000;

function parseDocs(argv: string[]): number {
  const i = argv.findIndex((a) => a === "--docs" || a.startsWith("--docs="));
  if (i < 0) return DEFAULT_DOCS;
  const raw = argv[i].includes("=") ? argv[i].split("=")[1] : argv[i + 1];
  const n = Number(String(raw).replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 100) throw new Error(`--docs ${raw}: give a whole number of documents, at least 100`);
  return n;
}

const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`;
const say = (line: string) => console.log(`${stamp()} ${line}`);
const step = (title: string) => console.log(`\n${stamp()} == ${title}`);
const cliLine = (line: string) => line.trim() && console.log(`         | ${line}`);

// Everything started, stopped in reverse order by `cleanUp` (normal end, failure, Ctrl-C).
let clusters: { source: EngineNode; destination: EngineNode } | undefined;
let stack: TestStack | undefined;
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    say("stopping what the demo started (stack folder, destination, source)...");
    await stack?.remove().catch((e) => say(`could not remove the stack folder: ${e}`));
    await clusters?.destination.stop().catch((e) => say(`could not stop the destination: ${e}`));
    await clusters?.source.stop().catch((e) => say(`could not stop the source: ${e}`));
    say("stopped");
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // A terminal's Ctrl-C reaches this process twice (directly and relayed by tsx): one clean-up serves both.
    if (!interrupted) console.log(`\n${signal}: interrupted, cleaning up`);
    interrupted = true;
    void cleanUp().finally(() => process.exit(130));
  });
}

function comparisonRows(rows: IndexComparison[]): string[][] {
  const n = (x: number) => x.toLocaleString("en-US");
  return rows.map((r) => [
    r.index,
    n(r.sourceCount),
    n(r.destCount),
    r.missing.length + r.extra.length === 0 ? "yes" : "NO",
  ]);
}

/** Per index, the `summary` rows the stack exported (counts of the last run, its rate, verification). */
async function summaryRows(s: TestStack): Promise<Map<string, IndexMigrationSummary>> {
  const summary = (await s.outputs()).summary as ClusterMigrationSummary | undefined;
  return new Map((summary?.rows ?? []).map((r) => [r.index, r]));
}

async function main(): Promise<void> {
  const totalDocs = parseDocs(process.argv.slice(2));
  const plan = demoIndexPlan(totalDocs);
  const names = plan.map((p) => p.name);

  step("Preparing: package build, Pulumi CLI, engines");
  say("compiling the package into dist/ (the example program loads it from there)...");
  buildPackage();
  await prepareWorld(say);

  step("Starting the clusters");
  say("source: Elasticsearch 7.10.2; destination: OpenSearch 2.19 allowed to pull from it (reindex.remote.allowlist)");
  clusters = await startClusters();
  const { source, destination } = clusters;
  say(`source      ${source.url}  (started in ${(source.startupMs / 1000).toFixed(1)} s, log ${source.logFile})`);
  say(
    `destination ${destination.url}  (started in ${(destination.startupMs / 1000).toFixed(1)} s, log ${destination.logFile})`,
  );

  step(`Seeding ${totalDocs.toLocaleString("en-US")} documents on the source`);
  const seedStart = Date.now();
  await seedSource(source.url, plan);
  for (const p of plan)
    say(
      `${p.name.padEnd(14)} ${p.docs.toLocaleString("en-US").padStart(9)} docs${p.typeName ? `  (6.x-style: created with include_type_name=true, mapping type "${p.typeName}")` : ""}`,
    );
  say(`${SYSTEM_INDEX.padEnd(14)} ${"1".padStart(9)} doc   (a system index: the migration must skip it)`);
  say(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

  step("Creating the stack of examples/local (local file backend, passphrase-protected secrets)");
  const password = `demo-${randomBytes(6).toString("hex")}`;
  stack = await createLocalStack({
    sourceUrl: source.url,
    destinationUrl: destination.url,
    // The test world's nodes run without a security plugin and ignore credentials; these show how they are kept.
    sourceUsername: "demo-reader",
    sourcePassword: password,
    mode: "incremental",
    incrementalField: "update_time",
    partitions: 2,
  });
  say(`project ${stack.dir}, state ${stack.stateDir}`);

  step("pulumi preview: what the migration would create and copy");
  const preview1 = await timedRun(stack, COMMANDS.preview, { onLine: cliLine });
  say(`preview took ${preview1.seconds.toFixed(1)} s`);

  step("pulumi up: create the destination indices and copy everything");
  const up1 = await timedRun(stack, COMMANDS.up, { onLine: cliLine });
  say(`first up took ${up1.seconds.toFixed(1)} s`);
  const firstRun = await summaryRows(stack);
  const afterFirst = await compareIndices(source.url, destination.url, names);
  console.log(`\n${formatTable(["index", "source docs", "dest docs", "same IDs"], comparisonRows(afterFirst))}`);
  if (!allEqual(afterFirst))
    throw new Error("after the first up the destination does not hold the source's documents (see the table)");

  step("Writing more documents on the source (new ones, and existing ones with a later update_time)");
  const wave = await writeSecondWave(source.url, plan, {
    added: Math.max(1, Math.round(totalDocs / 100)),
    updated: Math.max(1, Math.round(totalDocs / 400)),
  });
  for (const name of names) say(`${name.padEnd(14)} +${wave.added[name]} new, ${wave.updated[name]} updated`);

  step("pulumi preview: the documents waiting for the next up");
  const preview2 = await timedRun(stack, COMMANDS.preview);
  for (const line of waitingLines(preview2.result.stdout)) cliLine(line);
  say(
    `${waitingTotal(preview2.result.stdout)} document(s) waiting in all (preview took ${preview2.seconds.toFixed(1)} s)`,
  );

  step("pulumi up again: copy only what changed");
  const up2 = await timedRun(stack, COMMANDS.up, { onLine: cliLine });
  say(`second up took ${up2.seconds.toFixed(1)} s`);

  step("Summary");
  const afterSecond = await compareIndices(source.url, destination.url, names);
  const secondRun = await summaryRows(stack);
  const num = (n: number | undefined) => (n === undefined ? "-" : Math.round(n).toLocaleString("en-US"));
  const rows = afterSecond.map((r) => {
    const first = firstRun.get(r.index);
    const second = secondRun.get(r.index);
    return [
      ...comparisonRows([r])[0],
      num(first && first.created + first.updated),
      num(first?.docsPerSecond),
      second ? `${num(second.created)} / ${num(second.updated)}` : "-",
      second === undefined ? "-" : second.verified ? "yes" : "NO",
    ];
  });
  console.log(
    `\n${formatTable(["index", "source docs", "dest docs", "same IDs", "1st up: copied", "docs/s", "2nd up: created / updated", "verified"], rows)}`,
  );
  const total = (k: "sourceCount" | "destCount") => afterSecond.reduce((n, r) => n + r[k], 0);
  console.log(
    `\ntotal: ${total("sourceCount").toLocaleString("en-US")} documents at the source, ${total("destCount").toLocaleString("en-US")} at the destination`,
  );
  printTimes(preview1, up1, up2);
  if (!allEqual(afterSecond))
    throw new Error("after the second up the destination does not hold the source's documents (see the table)");
  say(
    `the password given as a secret (${password.length} characters) is in the state only encrypted: ${(await stack.stateText()).includes(password) ? "NO, found in plain text" : "checked"}`,
  );
}

function printTimes(preview: TimedRun, first: TimedRun, second: TimedRun): void {
  console.log(
    `wall time: preview ${preview.seconds.toFixed(1)} s, first up (full copy) ${first.seconds.toFixed(1)} s, ` +
      `second up (incremental) ${second.seconds.toFixed(1)} s (${(second.seconds / first.seconds).toFixed(2)}x the first)`,
  );
}

main()
  .then(async () => {
    await cleanUp();
    process.exit(0);
  })
  .catch(async (err: Error) => {
    // After Ctrl-C the clean-up kills the running CLI, which fails the step in progress: that is no failure to report.
    if (!interrupted) console.error(`\ndemo failed: ${err.message}`);
    await cleanUp();
    process.exit(1);
  });
