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
import { COMMANDS, copySeconds, estimatedSeconds, timedRun } from "../scripts/demo/cli";
import { demoIndexPlan, seedSource, writeSecondWave } from "../scripts/demo/data";
import { buildPackage, createLocalStack, prepareWorld } from "../scripts/demo/world";
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
    const measureCase = async (label: string) => {
      const preview = (await timedRun(s, COMMANDS.preview)).result.stdout;
      totals.push(totalLine(preview) ?? "(no total printed)");
      const up = await timedRun(s, COMMANDS.up);
      const c = compareEstimates(label, estimatedSeconds(preview), await copySeconds(s));
      // The default model is an idle 2-core machine's: on a loaded one the first copy runs slower than it says.
      loads.push(round(os.loadavg()[0], 1));
      log(`${label}: up ${up.seconds.toFixed(1)} s (load average ${loads.at(-1)}); preview's total: ${totals.at(-1)}`);
      for (const [index, r] of Object.entries(c.perIndex))
        log(`  ${index}: ${r.estimated} s estimated, ${r.measured} s measured = ${r.ratio}`);
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
