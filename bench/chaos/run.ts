// `npm run chaos -- --seed N --rounds K`: rounds of a migration that something interrupts while an application
// writes at the source, each followed by only what the CLI's messages tell a user to do. Per round: a fault at a
// moment drawn from the seed (./plan), then `pulumi up` until one succeeds (`pulumi cancel` first when the CLI says
// the stack is locked), then the writer stops, one more `up` catches up, and the round counts documents lost, extra and
// differing (ids and `_source`) and whether the preview after it plans nothing. Prints the table per fault; a round that
// did not recover prints its seed. The destination's remote reindex reads the source through the test world's proxy,
// which plays the link's faults. The faults so far (./plan FAULTS): the CLI's own deaths, the link's drops and 429
// storms, and node restarts; the flood stage and a provider killed while it verifies are still to come.
import { buildPackage } from "../../test/world/build";
import { startEngine, type EngineNode } from "../../test/world/engines";
import { readSources } from "../../test/world/fixtures";
import { startProxy, type Proxy } from "../../test/world/proxy";
import { createStack, type PulumiResult, type RunningCommand, type TestStack } from "../../test/world/pulumi";
import { formatTable, planRounds, recovered, tally, type FaultKind, type RoundPlan, type RoundResult } from "./plan";
import { migrationProgram, seedIndices, startWriter } from "./writer";

const INDICES = ["alpha", "bravo", "charlie", "delta"];
const MAX_UPS = 5;
/** How long the link between the clusters drops every connection, or answers every request 429. */
const LINK_FAULT_MS = 10_000;

const program = migrationProgram(200);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv: string[]): { seed: number; rounds: number } {
  const out = { seed: Date.now() % 2 ** 31, rounds: 5 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = inline ?? argv[++i];
    const n = Number(value);
    if (flag !== "--seed" && flag !== "--rounds")
      throw new Error(`unknown option ${flag}: usage npm run chaos -- --seed N --rounds K`);
    if (!Number.isInteger(n) || n < (flag === "--seed" ? 0 : 1))
      throw new Error(`${flag} ${value}: give a ${flag === "--seed" ? "non-negative" : "positive"} integer`);
    if (flag === "--seed") out.seed = n;
    else out.rounds = n;
  }
  return out;
}

/** Ids and `_source` of every index compared: what the destination lacks, holds beyond, or holds otherwise. */
async function compare(
  source: EngineNode,
  dest: EngineNode,
): Promise<Pick<RoundResult, "lost" | "extra" | "differing">> {
  const found = { lost: 0, extra: 0, differing: 0 };
  for (const index of INDICES) {
    const [s, d] = await Promise.all([readSources(source.url, index), readSources(dest.url, index)]);
    for (const [id, doc] of s) {
      if (!d.has(id)) found.lost++;
      else if (JSON.stringify(d.get(id)) !== JSON.stringify(doc)) found.differing++;
    }
    for (const id of d.keys()) if (!s.has(id)) found.extra++;
  }
  return found;
}

/** What a failed `up` told the user: its error lines, each printed once, indented under the round. */
function reportFailure(what: string, res: PulumiResult): void {
  const lines = `${res.stdout}\n${res.stderr}`
    .split("\n")
    .filter((l) => /error:|^\s*\*\s|^\s*(warning: )?(failed|cannot)/i.test(l));
  process.stdout.write(
    `  ${what} exited ${res.code ?? res.signal}\n${[...new Set(lines)].map((l) => `    ${l.trim()}\n`).join("")}`,
  );
}

/** `pulumi up` until one succeeds, doing what the CLI says in between; returns how many it took. */
async function upUntilDone(stack: TestStack): Promise<number> {
  for (let ups = 1; ups <= MAX_UPS; ups++) {
    const res = await stack.up({ check: false });
    if (res.code === 0) return ups;
    reportFailure(`up ${ups} after the fault`, res);
    if (`${res.stdout}\n${res.stderr}`.includes("delete the lock file with `pulumi cancel`"))
      await stack.run(["cancel", "--yes"]);
  }
  throw new Error(`no successful pulumi up in ${MAX_UPS} tries`);
}

interface World {
  stack: TestStack;
  source: EngineNode;
  dest: EngineNode;
  /** Between the clusters: the destination's remote reads of the source. */
  link: Proxy;
}

/** Injects the round's fault into the running `up`; resolves once the fault is over (the link healed, the node up). */
async function inject(fault: FaultKind, run: RunningCommand, world: World): Promise<void> {
  switch (fault) {
    case "sigkill-cli":
      return run.signal("SIGKILL", { cliOnly: true });
    case "sigint":
      return run.signal("SIGINT");
    case "remote-drops":
    case "remote-429-storm": {
      const armed = world.link.setFault(
        fault === "remote-drops"
          ? { kind: "drop", afterBytes: 0 }
          : { kind: "status", status: 429, retryAfterSeconds: 1 },
      );
      await sleep(LINK_FAULT_MS);
      world.link.setFault(undefined);
      // A storm that hit nothing (the copy over before it) is worth knowing when reading the table.
      process.stdout.write(`  the link's ${fault} hit ${armed?.hits ?? 0} request(s) in ${LINK_FAULT_MS / 1000} s\n`);
      return;
    }
    case "dest-restart":
      return world.dest.restart();
    case "source-restart":
      return world.source.restart();
  }
}

async function runRound(plan: RoundPlan, world: World): Promise<RoundResult> {
  const { stack, source, dest } = world;
  const writer = startWriter(source.url, INDICES);
  const run = stack.start(["up", "--yes", "--skip-preview", "--non-interactive", "--color", "never"]);
  // The moment counts from the copy's start; a run with nothing to copy yet is hit when it ends or at the moment.
  await run.waitForOutput(/started \d+ task\(s\)|attaching to the reindex task/, 600_000).catch(() => undefined);
  let ended = false;
  void run.result.then(() => (ended = true));
  await Promise.race([sleep(plan.atMs), run.result]);
  // Later rounds copy only the writer's few documents: their up can be over before the moment, then the fault hits
  // the next up's start (a restart) or nothing (a link fault); the line says which.
  process.stdout.write(`  ${plan.fault} ${ended ? "after the up ended" : "while the up ran"}\n`);
  await inject(plan.fault, run, world);
  const faulted = await run.result;
  if (faulted.code !== 0) reportFailure("the up under the fault", faulted);
  const ups = await upUntilDone(stack);
  await writer.stop();
  await upUntilDone(stack);
  const preview = await stack.previewEvents();
  const cleanPreview = Object.keys(preview.changes).every((k) => k === "same");
  return { plan, ...(await compare(source, dest)), ups, cleanPreview };
}

async function main(argv: string[]): Promise<void> {
  const { seed, rounds } = parseArgs(argv);
  const plans = planRounds(seed, rounds);
  process.stdout.write(
    `chaos: seed ${seed}, ${rounds} round(s): ${plans.map((p) => `${p.fault}@${p.atMs}ms`).join(", ")}\n`,
  );
  buildPackage("pipe");
  const source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  const link = await startProxy({ target: source.url });
  const dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [link.host] });
  let stack: TestStack | undefined;
  const results: RoundResult[] = [];
  try {
    await seedIndices(source.url, INDICES, 2000);
    stack = await createStack({ program, config: { src: source.url, srcRemote: link.url, dest: dest.url } });
    const world: World = { stack, source, dest, link };
    for (const plan of plans) {
      const started = Date.now();
      const result = await runRound(plan, world);
      results.push(result);
      process.stdout.write(
        `round ${plan.round} (seed ${plan.seed}, ${plan.fault} at ${plan.atMs} ms): ${recovered(result) ? "recovered" : "NOT RECOVERED"}, lost ${result.lost}, extra ${result.extra}, differing ${result.differing}, ${result.ups} up(s), preview ${result.cleanPreview ? "clean" : "plans changes"} (${Math.round((Date.now() - started) / 1000)} s)\n`,
      );
    }
  } finally {
    await stack?.remove();
    await dest.stop();
    await link.stop();
    await source.stop();
  }
  process.stdout.write(`\n${formatTable(tally(results))}\n`);
  const failed = results.filter((r) => !recovered(r));
  if (failed.length > 0) {
    process.stdout.write(
      `\nreplay: ${failed.map((r) => `npm run chaos -- --seed ${r.plan.seed} --rounds 1`).join("\n        ")}\n`,
    );
    process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
