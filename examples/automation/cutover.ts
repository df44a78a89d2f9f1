// The last step of a migration from a script: Pulumi's Automation API runs the copy program inline, the preview's
// engine events say how many documents wait per index, `up` copies them, and `pulumi-es-migrate/automation`'s
// cutover freezes writes at the source, copies the final delta, verifies, moves the aliases and reports how long
// writes were frozen.
//
//   SOURCE_URL=http://10.0.0.5:9200 DEST_URL=http://10.0.1.7:9200 \
//   INDICES=orders:orders-v2:orders-current,customers:customers-v2 \
//   PULUMI_CONFIG_PASSPHRASE=... node dist/examples/automation/cutover.js [--dry-run]
//
// INDICES lists source:destination[:alias]; see examples/automation/README.md.
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type EngineEvent } from "@pulumi/pulumi/automation";
import { DestinationIndex, Reindex } from "pulumi-es-migrate";
import { cutover, findingsByCopy, planCutover, type CutoverIndex } from "pulumi-es-migrate/automation";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`set ${name} (see examples/automation/README.md)`);
  return value;
}

/** INDICES: "source:destination[:alias],..." */
function parseIndices(text: string): CutoverIndex[] {
  return text.split(",").map((item) => {
    const [sourceIndex, destIndex, alias] = item.trim().split(":");
    if (!sourceIndex || !destIndex)
      throw new Error(`INDICES item "${item}": write source:destination[:alias], e.g. orders:orders-v2:orders-current`);
    return { sourceIndex, destIndex, ...(alias ? { alias } : {}) };
  });
}

const sourceUrl = required("SOURCE_URL");
const destUrl = required("DEST_URL");
// How the destination reaches the source for remote reindex (in its reindex.remote.whitelist). Default: SOURCE_URL.
const sourceRemote = process.env.SOURCE_REMOTE ?? sourceUrl;
const indices = parseIndices(required("INDICES"));
const dryRun = process.argv.includes("--dry-run");

// The copy: one destination index and one incremental Reindex per index. The alias is NOT declared here: the
// cutover moves it once the destination verified, not every `up`.
const program = async () => {
  const cluster = { url: destUrl };
  for (const { sourceIndex, destIndex } of indices) {
    const target = new DestinationIndex(destIndex, {
      cluster,
      index: destIndex,
      copyFrom: { cluster: { url: sourceUrl }, index: sourceIndex },
    });
    new Reindex(`${destIndex}-copy`, {
      cluster,
      destIndex: target.index,
      destIndexUuid: target.uuid,
      source: { index: sourceIndex, remote: { host: sourceRemote } },
      mode: { type: "incremental", field: process.env.INCREMENTAL_FIELD ?? "update_time" },
    });
  }
  return { indices: pulumi.output(indices.map((i) => i.destIndex)) };
};

async function main(): Promise<void> {
  // WORK_DIR keeps the workspace's files (Pulumi.yaml, stack settings) in a folder of yours; default a temporary one.
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: process.env.STACK ?? "cutover", projectName: "es-cutover", program },
    process.env.WORK_DIR !== undefined ? { workDir: process.env.WORK_DIR } : {},
  );

  console.log("preview ...");
  const events: EngineEvent[] = [];
  await stack.preview({ onEvent: (e) => events.push(e) });
  const found = findingsByCopy(events);
  for (const { sourceIndex, destIndex } of indices) {
    const waiting = found.get(`${sourceIndex} -> ${destIndex}`)?.documentsWaiting;
    console.log(
      `  ${sourceIndex} -> ${destIndex}: ${waiting === undefined ? "nothing counted as waiting (new copy, or up to date)" : `${waiting} document(s) waiting`}`,
    );
  }

  const options = {
    stack,
    source: { url: sourceUrl },
    destination: { url: destUrl },
    indices,
    onProgress: (line: string) => console.log(`  ${line}`),
  };
  if (dryRun) {
    const plan = await planCutover(options);
    console.log("cutover (dry run) would:");
    for (const step of plan.steps) console.log(`  - ${step}`);
    return;
  }

  console.log("up ...");
  const up = await stack.up();
  console.log(`  ${JSON.stringify(up.summary.resourceChanges)}`);

  console.log("cutover ...");
  const report = await cutover(options);
  for (const index of report.indices) {
    console.log(
      `  ${index.sourceIndex} -> ${index.destIndex}: frozen ${index.freezeMs} ms, ${index.destCount} document(s) verified (${report.verify})${index.alias ? `, alias ${index.alias.name} moved from ${index.alias.from.join(", ") || "nowhere"}` : ""}`,
    );
  }
  console.log(`  phases (ms): ${JSON.stringify(report.phases)}; longest freeze ${report.freezeMs} ms`);
}

main().catch((err) => {
  // A CutoverError's message says which blocks were lifted and where each alias is.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
