// The estimate benchmark (`npm run bench -- --only estimate [--docs N]`): how close the preview's copy estimates come
// to the copy times the `up` that follows records (each index's copyState.durationSeconds), with the real Pulumi CLI
// on the demo's four indices (N documents in all, default 100,000; ClusterMigration, incremental, 2 partitions):
// 1. first full copy (no run yet: the default model),
// 2. incremental (1% new and 0.25% updated documents since),
// 3. full copy after that small run (the copy's mode changed to full: every document copied again).
// Each case prints estimated / measured over all indices and the worst index; target within 0.75-1.25.
// Writes bench/results/estimate.json.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bytesPerDocument, estimateParts, fitModel, type CopyRun } from "../provider/migrated-index/estimate";
import { COMMANDS, copySeconds, estimatedSeconds, timedRun } from "../scripts/demo/cli";
import { demoIndexPlan, seedSource, writeSecondWave } from "../scripts/demo/data";
import { buildPackage, createLocalStack, prepareWorld } from "../scripts/demo/world";
import { esJson } from "../test/world/fixtures";
import type { TestStack } from "../test/world/pulumi";
import { benchClusters, type BenchOptions } from "./run";

const log = (line: string) => console.log(`  ${line}`);
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** One case: a preview's estimates against the copy durations the up that followed recorded. */
export interface EstimateCase {
  label: string;
  indices: number;
  estimatedSeconds: number;
  measuredSeconds: number;
  /** estimated / measured, summed over the indices the preview estimated. */
  ratio: number;
  worstIndex: string;
  /** estimated / measured of the index farthest from 1. */
  worstRatio: number;
  perIndex: Record<string, { estimated: number; measured: number; ratio: number }>;
}

/** Compares estimates with measured seconds by index (measured times under 0.1 s count as 0.1 s). Pure. */
export function compareEstimates(
  label: string,
  estimated: Map<string, number>,
  measured: Map<string, number>,
): EstimateCase {
  const perIndex: EstimateCase["perIndex"] = {};
  for (const [index, e] of estimated) {
    const m = measured.get(index);
    if (m !== undefined) perIndex[index] = { estimated: e, measured: m, ratio: round(e / Math.max(m, 0.1)) };
  }
  const rows = Object.entries(perIndex);
  const est = rows.reduce((s, [, r]) => s + r.estimated, 0);
  const mes = rows.reduce((s, [, r]) => s + r.measured, 0);
  // Farthest from 1 on a log scale: 0.5 and 2 are as far off.
  const off = (r: number) => Math.abs(Math.log(Math.max(r, 0.01)));
  const worst = rows.reduce<[string, { ratio: number }] | undefined>(
    (w, row) => (w === undefined || off(row[1].ratio) > off(w[1].ratio) ? row : w),
    undefined,
  );
  return {
    label,
    indices: rows.length,
    estimatedSeconds: round(est, 1),
    measuredSeconds: round(mes, 1),
    ratio: round(est / Math.max(mes, 0.1)),
    worstIndex: worst?.[0] ?? "",
    worstRatio: worst?.[1].ratio ?? 0,
    perIndex,
  };
}

/** The preview's total line ("... in all: N indices, ... about 12s one after another"), if it printed one. */
function totalLine(output: string): string | undefined {
  const lines = output.match(/running total for these clusters: [^\n]*/g) ?? [];
  return lines.at(-1)?.replace("running total for these clusters: ", "");
}

/** What one index's copy did in the last up, from the state and the destination's task records. */
interface RunDetail {
  seconds: number;
  /** Documents written (created + updated) and those the destination skipped as version conflicts. */
  written: number;
  conflicts: number;
  versioning?: string;
  verification?: string;
  /** From the first task's start to the last one's end (the engine's own records); undefined without tasks. */
  taskSeconds?: number;
  /** The runs the estimates learn from, after this one. */
  copyRuns: CopyRun[];
}

/** Each MigratedIndex's last copy as the state and the destination's `_tasks` records tell it, by source index. */
async function runDetails(stack: TestStack, destinationUrl: string): Promise<Map<string, RunDetail>> {
  const state = await stack.exportState();
  const out = new Map<string, RunDetail>();
  for (const r of state.deployment.resources ?? []) {
    const c = r.outputs?.copyState;
    if (typeof r.type !== "string" || !r.type.endsWith(":MigratedIndex") || c === undefined) continue;
    const spans = await Promise.all(
      ((c.taskIds ?? []) as string[]).map((id) =>
        esJson(destinationUrl, "GET", `/_tasks/${encodeURIComponent(id)}`)
          .then((t) => {
            const start = Number(t.task.start_time_in_millis);
            return { start, end: start + Number(t.task.running_time_in_nanos) / 1e6 };
          })
          .catch(() => undefined),
      ),
    );
    const known = spans.filter((x): x is { start: number; end: number } => x !== undefined);
    out.set(r.outputs.sourceIndex, {
      seconds: c.durationSeconds ?? 0,
      written: (c.created ?? 0) + (c.updated ?? 0),
      conflicts: c.versionConflicts ?? 0,
      versioning: c.versioning,
      verification: c.verification?.method,
      taskSeconds:
        known.length > 0
          ? (Math.max(...known.map((x) => x.end)) - Math.min(...known.map((x) => x.start))) / 1000
          : undefined,
      copyRuns: c.copyRuns ?? [],
    });
  }
  return out;
}

/** Documents each preview line estimated, by source index. */
function estimatedDocuments(output: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of output.matchAll(/estimate (\S+) -> \S+: ([\d,]+) document\(s\)/g))
    out.set(m[1], Number(m[2].replace(/,/g, "")));
  return out;
}

/** The scratch index of the engines' warm-up (deleted after it), and its documents. */
const WARM_UP_DOCS = 40_000;
const WARM_UP_INDEX = "bench-warm-up";

/**
 * Runs one remote reindex of `docs` documents shaped like the demo's, then deletes both copies: a freshly started
 * engine runs its first seconds of indexing at a fraction of its speed (the JVM compiles its hot paths while it
 * works, on the same 2 cores), which a migration of real size does not see and a 100,000-document benchmark would
 * mostly measure. Returns each pass's seconds (the first is the cold engines').
 */
async function warmEngines(sourceUrl: string, destinationUrl: string, docs: number): Promise<number[]> {
  await esJson(sourceUrl, "PUT", `/${WARM_UP_INDEX}`, { settings: { number_of_shards: 1, number_of_replicas: 0 } });
  for (let from = 0; from < docs; from += 5_000) {
    let body = "";
    for (let n = from; n < Math.min(docs, from + 5_000); n++)
      body += `${JSON.stringify({ index: { _index: WARM_UP_INDEX, _id: `w-${n}` } })}\n${JSON.stringify({ n, tenant: `tenant-${n % 7}`, amount: n % 1000, msg: `warm-up event ${n}`, update_time: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString() })}\n`;
    await esJson(sourceUrl, "POST", "/_bulk", body);
  }
  await esJson(sourceUrl, "POST", `/${WARM_UP_INDEX}/_refresh`);
  const passes: number[] = [];
  for (const dest of [`${WARM_UP_INDEX}-1`, `${WARM_UP_INDEX}-2`]) {
    const started = Date.now();
    await esJson(destinationUrl, "POST", "/_reindex?refresh=true", {
      source: { remote: { host: sourceUrl.replace(/\/$/, "") }, index: WARM_UP_INDEX, size: 1_000 },
      dest: { index: dest },
    });
    passes.push(round((Date.now() - started) / 1000, 1));
  }
  await esJson(destinationUrl, "DELETE", `/${WARM_UP_INDEX}-1,${WARM_UP_INDEX}-2`);
  await esJson(sourceUrl, "DELETE", `/${WARM_UP_INDEX}`);
  return passes;
}

export async function run(opts: BenchOptions): Promise<void> {
  const docs = opts.docs ?? 100_000;
  buildPackage();
  await prepareWorld(log);
  const { source, destination } = await benchClusters(opts);
  let stack: TestStack | undefined;
  try {
    const plan = demoIndexPlan(docs);
    console.log(`estimate: the demo's ${plan.length} indices, ${docs} documents in all, on ${source.url}`);
    await seedSource(source.url, plan);
    const warmUp =
      process.env.BENCH_ESTIMATE_COLD === "1" ? [] : await warmEngines(source.url, destination.url, WARM_UP_DOCS);
    if (warmUp.length > 0)
      log(`engines warmed: a remote reindex of ${WARM_UP_DOCS} documents took ${warmUp.join(" s, then ")} s`);
    stack = await createLocalStack({
      sourceUrl: source.url,
      destinationUrl: destination.url,
      mode: "incremental",
      incrementalField: "update_time",
      include: plan.map((p) => p.name),
      partitions: 2,
    });
    const s = stack;
    const cases: EstimateCase[] = [];
    const totals: string[] = [];
    const loads: number[] = [];
    let before = new Map<string, RunDetail>();
    const measureCase = async (label: string) => {
      // The source's sizes as the preview reads them (its store bytes per document set the bytes' part).
      const sizes = new Map<string, { docs: number; bytes: number }>();
      for (const row of await esJson<any[]>(source.url, "GET", "/_cat/indices?format=json&bytes=b"))
        sizes.set(row.index, { docs: Number(row["docs.count"]), bytes: Number(row["pri.store.size"]) });
      const preview = (await timedRun(s, COMMANDS.preview)).result.stdout;
      totals.push(totalLine(preview) ?? "(no total printed)");
      const up = await timedRun(s, COMMANDS.up);
      const c = compareEstimates(label, estimatedSeconds(preview), await copySeconds(s));
      // The default model is an idle 2-core machine's: on a loaded one the first copy runs slower than it says.
      loads.push(round(os.loadavg()[0], 1));
      log(`${label}: up ${up.seconds.toFixed(1)} s (load average ${loads.at(-1)}); preview's total: ${totals.at(-1)}`);
      // Each index: the model's parts as the preview used them (fitted on the runs before this up) against what the
      // run took: the engine's tasks and the rest (planning, polls, refresh, counts, verification).
      const after = await runDetails(s, destination.url);
      const docs = estimatedDocuments(preview);
      for (const [index, r] of Object.entries(c.perIndex)) {
        const d = after.get(index);
        const runs = before.get(index)?.copyRuns ?? [];
        const bpd = bytesPerDocument(sizes.get(index));
        const n = docs.get(index) ?? 0;
        const parts = estimateParts(fitModel(runs, bpd), n, n * bpd);
        const tasks = d?.taskSeconds === undefined ? "no task record" : `tasks ${d.taskSeconds.toFixed(2)} s`;
        log(
          `  ${index}: ${r.estimated} s estimated (fixed ${parts.fixed.toFixed(2)} + documents ${parts.documents.toFixed(2)} + bytes ${parts.bytes.toFixed(2)}, ${n} document(s), fitted on ${runs.length} run(s)), ${r.measured} s measured (${tasks}; ${d?.written ?? "?"} written, ${d?.conflicts ?? "?"} version conflicts, ${d?.versioning ?? "?"} versions, ${d?.verification ?? "?"} verification) = ${r.ratio}`,
        );
      }
      before = after;
      cases.push(c);
    };

    await measureCase("first full copy (no run yet: the default model)");
    await writeSecondWave(source.url, plan, { added: Math.round(docs / 100), updated: Math.round(docs / 400) });
    await measureCase("incremental (1% new, 0.25% updated)");
    await s.setConfig("mode", "full");
    await measureCase("full copy after a small run");

    for (const c of cases) {
      const met = c.ratio >= 0.75 && c.ratio <= 1.25 ? "met" : "missed";
      console.log(
        `estimate / measured, ${c.label}: ${c.estimatedSeconds} s / ${c.measuredSeconds} s over ${c.indices} indices = ${c.ratio} (target 0.75-1.25: ${met}); worst index ${c.worstIndex} ${c.worstRatio}`,
      );
    }
    const result = {
      measuredAt: new Date().toISOString(),
      docs,
      indices: plan.map((p) => ({ name: p.name, docs: p.docs })),
      layout: "ClusterMigration of the demo's indices, incremental on update_time, 2 partitions, concurrency 2",
      target: [0.75, 1.25],
      previewTotals: totals,
      /** The machine's 1-minute load average after each case's up (2 cores). */
      loadAverages: loads,
      /** Seconds of each pass of the warm-up's remote reindex (the first on the freshly started engines). */
      warmUpSeconds: warmUp,
      cases,
    };
    fs.mkdirSync(opts.resultsDir, { recursive: true });
    fs.writeFileSync(path.join(opts.resultsDir, "estimate.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.join(opts.resultsDir, "estimate.json")}`);
  } finally {
    await stack?.remove().catch(() => {});
    await destination.stop();
    await source.stop();
  }
}
