// The chaos suite's rounds: a migration that something interrupts while an application writes at the source, each
// followed by only what the CLI's messages tell a user to do. Per round: the application loads a batch (so the copy
// has work to interrupt), a fault hits the `up` in the phase drawn from the seed (./faults), then `pulumi up` until
// one succeeds (`pulumi cancel` first when the CLI says the stack is locked), then the writer stops, one more `up`
// catches up, and the round counts documents lost, extra and differing (ids and `_source`) and whether the preview
// after it plans nothing. The destination's remote reindex reads the source through the test world's proxy, which
// plays the link's faults. `npm run chaos` (./run) and test/e2e/chaos.test.ts run it.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { startEngine } from "../../test/world/engines";
import { readSources } from "../../test/world/fixtures";
import { startProxy } from "../../test/world/proxy";
import { createStack, type PulumiResult, type TestStack } from "../../test/world/pulumi";
import { strike, type Say, type World } from "./faults";

export type { Say };
import { recovered, type RoundPlan, type RoundResult } from "./plan";
import { addDocuments, migrationProgram, seedIndices, startWriter } from "./writer";

const INDICES = ["alpha", "bravo", "charlie", "delta"];
const MAX_UPS = 5;
/**
 * Documents the application loads into each index before a round's `up`: at 200 documents a second per task, the
 * copy's tasks run some seconds, longer than the fault's delay into the copy (plan MAX_COPY_DELAY_MS).
 */
const ROUND_DOCS = 1500;

const program = migrationProgram(200);

/** Ids and `_source` of every index compared: what the destination lacks, holds beyond, or holds otherwise. */
async function compare(world: World): Promise<Pick<RoundResult, "lost" | "extra" | "differing">> {
  const found = { lost: 0, extra: 0, differing: 0 };
  for (const index of world.indices) {
    const [s, d] = await Promise.all([readSources(world.source.url, index), readSources(world.dest.url, index)]);
    for (const [id, doc] of s) {
      if (!d.has(id)) found.lost++;
      else if (JSON.stringify(d.get(id)) !== JSON.stringify(doc)) found.differing++;
    }
    for (const id of d.keys()) if (!s.has(id)) found.extra++;
  }
  return found;
}

/** With CHAOS_OUTPUT_DIR set, every `up`'s whole output is kept there (`round-<n>-...txt`), to read a round again. */
function keepOutput(name: string, res: PulumiResult): void {
  const dir = process.env.CHAOS_OUTPUT_DIR;
  if (dir === undefined) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, `${name}.txt`),
    `exit ${res.code ?? res.signal}\n${res.stdout}\n--- stderr ---\n${res.stderr}`,
  );
}

/** What a failed `up` told the user: its error lines, each printed once, indented under the round. */
function reportFailure(say: Say, what: string, res: PulumiResult): void {
  const lines = `${res.stdout}\n${res.stderr}`
    .split("\n")
    .filter((l) => /error:|^\s*\*\s|^\s*(warning: )?(failed|cannot)/i.test(l));
  say(`  ${what} exited ${res.code ?? res.signal}\n${[...new Set(lines)].map((l) => `    ${l.trim()}`).join("\n")}`);
}

/** `pulumi up` until one succeeds, doing what the CLI says in between; returns how many it took. */
async function upUntilDone(stack: TestStack, say: Say, label: string): Promise<number> {
  for (let ups = 1; ups <= MAX_UPS; ups++) {
    const res = await stack.up({ check: false });
    keepOutput(`${label}-up-${ups}`, res);
    if (res.code === 0) return ups;
    reportFailure(say, `up ${ups} after the fault`, res);
    if (`${res.stdout}\n${res.stderr}`.includes("delete the lock file with `pulumi cancel`"))
      await stack.run(["cancel", "--yes"]);
  }
  throw new Error(`no successful pulumi up in ${MAX_UPS} tries`);
}

async function runRound(plan: RoundPlan, world: World, say: Say): Promise<RoundResult> {
  const { stack } = world;
  const writer = startWriter(world.source.url, world.indices);
  const loaded = Date.now();
  await addDocuments(
    world.source.url,
    world.indices,
    ROUND_DOCS,
    (index) => `${index}-r${plan.round}`,
    loaded - ROUND_DOCS,
    1,
  );
  const run = stack.start(["up", "--yes", "--skip-preview", "--non-interactive", "--color", "never"]);
  const hit = await strike(plan, run, world, say);
  const faulted = await run.result;
  keepOutput(`round-${plan.round}-fault`, faulted);
  if (faulted.code !== 0) reportFailure(say, "the up under the fault", faulted);
  const ups = await upUntilDone(stack, say, `round-${plan.round}-after`);
  await writer.stop();
  await upUntilDone(stack, say, `round-${plan.round}-catch-up`);
  const preview = await stack.previewEvents();
  const cleanPreview = Object.keys(preview.changes).every((k) => k === "same");
  return { plan, hit, ...(await compare(world)), ups, cleanPreview };
}

/** A one-line account of a round. */
export function roundLine(r: RoundResult, seconds: number): string {
  const { plan } = r;
  return `round ${plan.round} (seed ${plan.seed}, ${plan.fault} in the ${plan.phase}${plan.phase === "copy" ? ` +${plan.delayMs} ms` : ""}, ${r.hit ? "hit" : "missed"}): ${recovered(r) ? "recovered" : "NOT RECOVERED"}, lost ${r.lost}, extra ${r.extra}, differing ${r.differing}, ${r.ups} up(s), preview ${r.cleanPreview ? "clean" : "plans changes"} (${seconds} s)`;
}

/**
 * Starts the world (Elasticsearch 7.10 source, the link proxy, OpenSearch 2.19 destination, a stack of the program),
 * runs the planned rounds in order (`afterRound` after each, with the results so far), and stops it all again. A round
 * that throws ends the run (its error propagates).
 */
export async function runRounds(
  plans: RoundPlan[],
  say: Say,
  afterRound: (results: RoundResult[]) => void = () => {},
): Promise<RoundResult[]> {
  // A restart on a busy machine can take minutes (the JVM's start, then each shard's recovery): wait for it.
  const timeoutMs = 600_000;
  const source = await startEngine({ engine: "elasticsearch", version: "7.10.2", timeoutMs });
  const link = await startProxy({ target: source.url });
  const dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [link.host], timeoutMs });
  let stack: TestStack | undefined;
  const results: RoundResult[] = [];
  try {
    await seedIndices(source.url, INDICES, 2000);
    stack = await createStack({ program, config: { src: source.url, srcRemote: link.url, dest: dest.url } });
    const world: World = { stack, source, dest, link, indices: INDICES };
    for (const plan of plans) {
      const started = Date.now();
      const result = await runRound(plan, world, say);
      results.push(result);
      say(roundLine(result, Math.round((Date.now() - started) / 1000)));
      afterRound(results);
    }
  } finally {
    await stack?.remove();
    await dest.stop();
    await link.stop();
    await source.stop();
  }
  return results;
}
