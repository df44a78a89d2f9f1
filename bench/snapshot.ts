// The snapshot benchmark: the same N small documents moved from Elasticsearch 7.10.2 into OpenSearch 2.19 (the pair
// snapshots are for) by SnapshotMigration (register, snapshot, restore, count verification, final settings) and by
// remote reindex of the same index (a bare task, and the Reindex provider), in the same run on the same nodes.
// Prints docs/s and the ratio, writes results/snapshot.json.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runReindex } from "../provider/reindex/run";
import { validateInputs as validateReindex } from "../provider/reindex/validate";
import { runSnapshotMigration } from "../provider/snapshot/run";
import { validateInputs as validateSnapshot } from "../provider/snapshot/validate";
import { bareTask, bulkBodies, bulkLoad, countOf, freshIndex, http, type Engine } from "./reindex";
import type { BenchOptions } from "./run";

interface Result {
  name: string;
  docs: number;
  seconds: number;
  docsPerSecond: number;
  ratioToRemoteReindex?: number;
  phases?: Record<string, number>;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const quiet = { info: () => undefined, warn: (m: string) => console.log(`    warn: ${m}`) };

async function timed(
  name: string,
  docs: number,
  f: () => Promise<Record<string, number> | void>,
  check: () => Promise<number>,
): Promise<Result> {
  const t = process.hrtime.bigint();
  const phases = await f();
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const got = await check();
  if (got !== docs) throw new Error(`${name}: the destination holds ${got} documents, expected ${docs}`);
  const r: Result = {
    name,
    docs,
    seconds: round(seconds),
    docsPerSecond: Math.round(docs / seconds),
    ...(phases ? { phases } : {}),
  };
  console.log(`  ${name}: ${r.seconds}s, ${r.docsPerSecond} docs/s${phases ? ` (${JSON.stringify(phases)})` : ""}`);
  return r;
}

async function reindexProvider(dest: string, srcUrl: string, index: string): Promise<void> {
  const { inputs, failures } = validateReindex({
    cluster: { url: dest },
    destIndex: index,
    source: { index: "src", remote: { host: srcUrl } },
    verify: "count",
  });
  if (failures.length > 0) throw new Error(failures.map((f) => f.reason).join("\n"));
  await runReindex(inputs, { log: quiet });
}

async function snapshotMigration(
  src: string,
  dest: string,
  repo: string,
  name: string,
): Promise<Record<string, number>> {
  const { inputs, failures } = validateSnapshot({
    source: { url: src },
    destination: { url: dest },
    repository: { name: `bench-${name}`, type: "fs", settings: { location: path.join(repo, name) } },
    indices: ["src"],
    snapshot: `bench-${name}`,
    rename: { pattern: "src", replacement: name },
    // Counts, as the reindex contenders verify.
    verify: "count",
  });
  if (failures.length > 0) throw new Error(failures.map((f) => f.reason).join("\n"));
  const res = await runSnapshotMigration(inputs, { log: quiet, pollMs: 250 });
  return { ...res.durations };
}

export async function run(opts: BenchOptions): Promise<void> {
  const docs = opts.docs ?? 1_000_000;
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "bench-snapshot-"));
  const { startEngine } = require("../test/world/engines") as {
    startEngine(o: {
      engine: string;
      version: string;
      allow?: string[];
      settings?: Record<string, string>;
    }): Promise<Engine>;
  };
  const source = await startEngine({ engine: "elasticsearch", version: "7.10.2", settings: { "path.repo": repo } });
  const destination = await startEngine({
    engine: "opensearch",
    version: "2.19.x",
    allow: [new URL(source.url).host],
    settings: { "path.repo": repo },
  });
  const src = source.url.replace(/\/$/, "");
  const dest = destination.url.replace(/\/$/, "");
  const results: Result[] = [];
  try {
    console.log(
      `snapshot benchmark: ${docs} documents, Elasticsearch 7.10.2 ${src} -> OpenSearch 2.19 ${dest}, fs repository ${repo}`,
    );
    await freshIndex(src, "src");
    await bulkLoad(src, bulkBodies("src", docs), 2);
    await http(src, "PUT", "/src/_settings", { index: { refresh_interval: "1s" } });
    console.log(`  source loaded: ${await countOf(src, "src")} documents`);
    // The source's merges after the load would slow whatever runs first: merge before any clock starts.
    await http(src, "POST", "/src/_forcemerge?max_num_segments=1");
    const contenders: [string, string, () => Promise<Record<string, number> | void>][] = [
      ["SnapshotMigration (snapshot + restore + count)", "snap1", () => snapshotMigration(src, dest, repo, "snap1")],
      ["bare remote reindex task (plain HTTP)", "bare", () => bareTask(dest, src, "bare")],
      ["Reindex (remote, 1 task)", "p1", () => reindexProvider(dest, src, "p1")],
      // Again at the end: noise on a shared machine only slows; the better run counts.
      ["SnapshotMigration (second run)", "snap2", () => snapshotMigration(src, dest, repo, "snap2")],
    ];
    for (const [name, index, f] of contenders) {
      if (!index.startsWith("snap")) await freshIndex(dest, index);
      results.push(await timed(name, docs, f, () => countOf(dest, index)));
      await http(dest, "DELETE", `/${index}`);
    }
  } finally {
    await destination.stop();
    await source.stop();
    fs.rmSync(repo, { recursive: true, force: true });
  }
  const reindexBest = Math.max(
    ...results.filter((r) => !r.name.startsWith("SnapshotMigration")).map((r) => r.docsPerSecond),
  );
  for (const r of results) r.ratioToRemoteReindex = round(r.docsPerSecond / reindexBest);
  console.log("\n| contender | docs | seconds | docs/s | x remote reindex (best) |\n|---|---|---|---|---|");
  for (const r of results)
    console.log(`| ${r.name} | ${r.docs} | ${r.seconds} | ${r.docsPerSecond} | ${r.ratioToRemoteReindex} |`);
  const snapBest = Math.max(
    ...results.filter((r) => r.name.startsWith("SnapshotMigration")).map((r) => r.docsPerSecond),
  );
  console.log(`\nsnapshot path ${round(snapBest / reindexBest)}x the best remote reindex (target: at least 3x)`);
  fs.mkdirSync(opts.resultsDir, { recursive: true });
  const file = path.join(opts.resultsDir, "snapshot.json");
  fs.writeFileSync(file, `${JSON.stringify({ docs, ratio: round(snapBest / reindexBest), results }, null, 2)}\n`);
  console.log(`written ${file}`);
}
